# The persistent store (docs/store.md): SQLite through its C API, linked into the engine, and the
# end-to-end scripts that drive `stance ingest/recode/matrix/history/shifts` against real files.
find_package(SQLite3 REQUIRED)
target_link_libraries(stance_engine PRIVATE SQLite::SQLite3)
# Runs record which stance wrote them.
set_source_files_properties(${PROJECT_SOURCE_DIR}/engine/src/store/sqlite_store.cpp
  PROPERTIES COMPILE_DEFINITIONS "STANCE_VERSION=\"${PROJECT_VERSION}\"")
# The CLI's store verbs print JSON Lines themselves (history, shifts, recode reports).
target_link_libraries(stance PRIVATE nlohmann_json::nlohmann_json)

if(STANCE_BUILD_TESTS)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  foreach(_script store_cli store_kill)
    add_test(NAME ${_script}
             COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/tests/scripts/${_script}.py
                     $<TARGET_FILE:stance>
             WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(${_script} PROPERTIES TIMEOUT 60 LABELS store)
  endforeach()
endif()
