#pragma once
// UTF-8 validation with a reason, so input errors can say what is wrong, not only where.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stance::io {

struct Utf8Problem {
  std::size_t offset = 0;   // first byte that does not belong to a well-formed character
  std::string_view reason;  // static text, e.g. "overlong encoding"
};

// The first ill-formed sequence in `text` (Unicode Table 3-7), or nullopt when all is valid.
// Everything before `offset` is valid UTF-8; the sequence starting at `offset` is not.
[[nodiscard]] std::optional<Utf8Problem> find_invalid_utf8(std::string_view text);

// "invalid UTF-8: reason (bytes E0 80 80)": one wording for every reader. `text` is the text
// `problem` was found in.
[[nodiscard]] std::string describe(const Utf8Problem& problem, std::string_view text);

// One ill-formed sequence that repair_utf8 replaced, in the coordinates of the text before repair.
struct Utf8Replacement {
  std::size_t offset = 0;
  std::size_t length = 0;  // bytes replaced by the one U+FFFD
};

struct Utf8Repair {
  std::vector<Utf8Replacement> replacements;  // in text order; empty when nothing was wrong
  std::string first_problem;                  // describe() of the first one
  // Where byte `repaired_offset` of the repaired text came from in the original.
  [[nodiscard]] std::size_t original_offset(std::size_t repaired_offset) const;
};

// Replaces every maximal ill-formed subpart of `text` by U+FFFD (the "best practice" of Unicode
// chapter 3, so the count matches what other decoders show), in linear time.
Utf8Repair repair_utf8(std::string& text);

// "repaired N ill-formed UTF-8 sequence(s) with U+FFFD (first: invalid UTF-8: ...)".
[[nodiscard]] std::string repair_notice(const Utf8Repair& repair);

}  // namespace stance::io
