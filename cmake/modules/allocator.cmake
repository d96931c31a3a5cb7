# The CLI's allocator: mimalloc (Debian's libmimalloc-dev) instead of glibc's malloc. Coding an
# article allocates and frees a few dozen small blocks (records, their strings, per-sentence lists)
# on whichever worker thread codes it; glibc's malloc and free were 8 % of a `stance run`, and
# mimalloc's thread-local free lists make the whole run some 6 % faster (bench/README.md).
# Only the executable links it: a program that embeds the engine library keeps its own allocator.
# Never under the sanitizers or the fuzz build, whose runtimes must own malloc themselves.
option(STANCE_MIMALLOC "Link the stance CLI with mimalloc" ON)
if(STANCE_MIMALLOC AND NOT STANCE_SANITIZE AND NOT STANCE_BUILD_FUZZ)
  find_package(mimalloc 2.0 REQUIRED)
  # Linked as a shared library ahead of libc, it takes over malloc and free for the whole program.
  target_link_libraries(stance PRIVATE mimalloc)
endif()
