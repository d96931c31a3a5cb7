# Fuzzing (fuzz/, fixtures/fuzz/; tools/fuzz.sh builds and runs it).
#
# Every build: the regression test replays each input in fixtures/fuzz/regressions/ through the
# fuzz targets' bodies, so a crash found once stays fixed without clang.
if(TARGET stance_tests)
  target_sources(stance_tests PRIVATE ${PROJECT_SOURCE_DIR}/fuzz/targets.cpp)
  target_include_directories(stance_tests PRIVATE ${PROJECT_SOURCE_DIR}/fuzz)
endif()

# -DSTANCE_BUILD_FUZZ=ON (clang only): one libFuzzer binary per target, everything instrumented
# for coverage and checked by ASan and UBSan. A build of its own (build-fuzz): the flags apply to
# the whole directory.
option(STANCE_BUILD_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)
if(STANCE_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "STANCE_BUILD_FUZZ needs clang and libFuzzer: configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ (Debian: clang, libclang-rt-14-dev)")
  endif()
  string(APPEND CMAKE_CXX_FLAGS " -fsanitize=fuzzer-no-link,address,undefined"
                                " -fno-sanitize-recover=undefined -fno-omit-frame-pointer")
  string(APPEND CMAKE_EXE_LINKER_FLAGS " -fsanitize=address,undefined")
  set(STANCE_FUZZ_TARGETS text_article jsonl_line jsonl_reader text rule_loader)
  add_custom_target(fuzz_targets)
  add_library(stance_fuzz_bodies OBJECT ${PROJECT_SOURCE_DIR}/fuzz/targets.cpp)
  target_include_directories(stance_fuzz_bodies PRIVATE ${PROJECT_SOURCE_DIR}/engine/src)
  target_link_libraries(stance_fuzz_bodies PRIVATE stance_engine)
  foreach(_target ${STANCE_FUZZ_TARGETS})
    add_executable(fuzz_${_target} ${PROJECT_SOURCE_DIR}/fuzz/fuzz_${_target}.cpp)
    target_include_directories(fuzz_${_target} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz)
    target_link_libraries(fuzz_${_target} PRIVATE stance_fuzz_bodies stance_engine)
    target_link_options(fuzz_${_target} PRIVATE -fsanitize=fuzzer)
    add_dependencies(fuzz_targets fuzz_${_target})
  endforeach()
endif()
