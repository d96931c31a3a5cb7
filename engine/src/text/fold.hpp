#pragma once
#include <string>
#include <string_view>

namespace stance::text {

// The matching form of a piece of UTF-8 text: case-folded, diacritics stripped, compatibility
// characters decomposed, curly apostrophes made ASCII. Never used for output: evidence is quoted
// from the original text.
[[nodiscard]] std::string fold(std::string_view utf8);

}  // namespace stance::text
