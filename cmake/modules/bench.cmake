# Google Benchmark programs (bench/README.md): the tokenizer, the matcher and the whole pipeline.
# Built when libbenchmark-dev is installed (Debian's package; not needed for anything else); never
# part of ctest: they measure, they do not check.
find_package(benchmark QUIET)
option(STANCE_BUILD_BENCH "Build the benchmark programs in bench/" ${benchmark_FOUND})
if(STANCE_BUILD_BENCH)
  if(NOT benchmark_FOUND)
    message(FATAL_ERROR "STANCE_BUILD_BENCH is ON but Google Benchmark was not found (libbenchmark-dev)")
  endif()
  foreach(_bench tokenizer matcher pipeline)
    add_executable(bench_${_bench} ${PROJECT_SOURCE_DIR}/bench/bench_${_bench}.cpp)
    target_include_directories(bench_${_bench} PRIVATE ${PROJECT_SOURCE_DIR}/engine/src ${PROJECT_SOURCE_DIR}/bench)
    target_link_libraries(bench_${_bench} PRIVATE stance_engine benchmark::benchmark)
    target_compile_options(bench_${_bench} PRIVATE ${STANCE_WARNINGS})
    set_target_properties(bench_${_bench} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
  endforeach()
endif()
