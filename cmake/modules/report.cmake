# Report outputs end to end (docs/output.md): every `stance run` format and option on the fixture
# corpus, GraphML loaded by networkx, and the HTML report rendered and clicked in headless
# Chromium. The scripts exit 77 (skipped) when chromium or networkx is not installed.
if(STANCE_BUILD_TESTS)
  # Debian's python3-networkx is installed for the system interpreter; prefer it to whatever
  # python3 comes first on PATH (pyenv, a virtualenv), which may lack it.
  find_program(STANCE_REPORT_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT STANCE_REPORT_PYTHON)
    find_package(Python3 REQUIRED COMPONENTS Interpreter)
    set(STANCE_REPORT_PYTHON ${Python3_EXECUTABLE})
  endif()
  foreach(_script report_cli report_graphml report_html)
    add_test(NAME ${_script}
             COMMAND ${STANCE_REPORT_PYTHON} ${PROJECT_SOURCE_DIR}/tests/scripts/${_script}.py
                     $<TARGET_FILE:stance>
             WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(${_script} PROPERTIES TIMEOUT 60 SKIP_RETURN_CODE 77 LABELS report)
  endforeach()
endif()
