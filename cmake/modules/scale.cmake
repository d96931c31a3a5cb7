# Throughput and scale (docs/scale.md): `stance run -j N` with output in input order, streaming,
# `--emit partial` and `stance merge`, and the differential test of the matcher.
#
# The matrix-state renderers print the csv and table formats with the report module's own
# escaping and number formatting (report/format.hpp), so the CLI sees the engine's sources.
target_include_directories(stance PRIVATE ${PROJECT_SOURCE_DIR}/engine/src)

if(STANCE_BUILD_TESTS)
  # tests/test_scale.cpp holds the state renderers to the Analysis-based writers, byte for byte.
  target_sources(stance_tests PRIVATE ${PROJECT_SOURCE_DIR}/tools/stance/matrix_state.cpp
                                      ${PROJECT_SOURCE_DIR}/tools/stance/ordered_coder.cpp)
  target_include_directories(stance_tests PRIVATE ${PROJECT_SOURCE_DIR}/tools/stance)

  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  # Shards merge into the single run's output; -j 1 and -j 2 print the same bytes.
  add_test(NAME scale_cli
           COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/tests/scripts/scale_cli.py
                   $<TARGET_FILE:stance>
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(scale_cli PROPERTIES TIMEOUT 60 LABELS scale)
endif()
