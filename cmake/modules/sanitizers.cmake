# AddressSanitizer + UndefinedBehaviorSanitizer over everything (engine, CLI, tests), for the CI
# run in build-asan: -DSTANCE_SANITIZE=ON. Any finding aborts the test that hit it.
option(STANCE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(STANCE_SANITIZE)
  # Directory-wide flags (the value at the end of configuration applies to every target here), so
  # targets that other modules add after this one are instrumented too.
  string(APPEND CMAKE_CXX_FLAGS
         " -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer")
  string(APPEND CMAKE_EXE_LINKER_FLAGS " -fsanitize=address,undefined")
endif()
