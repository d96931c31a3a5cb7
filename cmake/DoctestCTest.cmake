# Register each doctest test suite as its own CTest test so `ctest` output names what failed,
# without doctest's test-case scanning at build time (keeps configure fast and deterministic).
file(GLOB _stance_test_files ${PROJECT_SOURCE_DIR}/tests/test_*.cpp)
foreach(_file ${_stance_test_files})
  get_filename_component(_name ${_file} NAME_WE)
  string(REGEX REPLACE "^test_" "" _suite ${_name})  # ctest name: the module
  add_test(NAME ${_suite}
           COMMAND stance_tests "--source-file=*${_name}.cpp" --no-intro --no-version
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endforeach()
