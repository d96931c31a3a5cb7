#pragma once
// Checks shared by the front-matter and JSONL readers, so both accept the same articles.
#include <optional>
#include <string>
#include <string_view>

namespace stance::io {

// Why `date` is not usable as Article::date (a real calendar day as YYYY-MM-DD, or empty), or
// nullopt when it is.
[[nodiscard]] std::optional<std::string> date_problem(std::string_view date);

// True when `text` holds nothing but ASCII whitespace: such a body has nothing to code.
[[nodiscard]] bool is_blank(std::string_view text);

}  // namespace stance::io
