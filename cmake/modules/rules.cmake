# Rule authoring: user regular expressions in patterns go through RE2 only (linear time, no
# backtracking), so a rule can never make coding hang.
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
target_link_libraries(stance_engine PRIVATE PkgConfig::RE2)
