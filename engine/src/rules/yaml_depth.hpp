#pragma once
// A guard run before yaml-cpp: its parser recurses once per nesting level, so a file with
// thousands of nested [ or { (or "- - - ...") would overflow the stack instead of failing.
#include <cstddef>
#include <optional>
#include <string_view>

namespace stance::rules {

// No rule pack needs a tenth of this; a parser frame per level stays far below any stack size.
inline constexpr int kMaxYamlNesting = 256;
// Rule files are hand-written; this is far above the largest real one.
inline constexpr std::size_t kMaxRuleFileBytes = std::size_t{16} << 20U;

struct NestingProblem {
  int line = 0;    // 1-based, of the character that went one level too deep
  int column = 0;  // 1-based, in bytes
  int depth = 0;
};

// The first place where `yaml` nests deeper than `limit` levels, counting block levels
// (indentation, "- " and "? " indicators) and flow levels ([ and {) outside quoted scalars and
// comments, or nullopt. Linear in the size of `yaml`; errs on the side of counting a level too
// many, never too few, so that whatever passes is safe to parse.
[[nodiscard]] std::optional<NestingProblem> find_deep_nesting(std::string_view yaml,
                                                              int limit = kMaxYamlNesting);

}  // namespace stance::rules
