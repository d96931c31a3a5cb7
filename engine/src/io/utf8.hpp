#pragma once
// UTF-8 validation with a reason, so input errors can say what is wrong, not only where.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

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

}  // namespace stance::io
