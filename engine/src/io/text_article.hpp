#pragma once
// A .txt or .md file as one article: checks, optional front matter, byte-exact body.
#include <string>
#include <variant>

#include "stance/article.hpp"

namespace stance::io {

// Makes the article from a whole file's `content`. `file` is the path as given (the origin and
// the name in errors); `default_id` is used when the front matter names no id. A repair
// (options.repair_utf8) is reported to options.on_notice.
[[nodiscard]] std::variant<Article, InputError> parse_text_article(const std::string& file,
                                                                   std::string content,
                                                                   const std::string& default_id,
                                                                   const ReadOptions& options = {});

// The error for a file that starts with a UTF-16 byte order mark, or nullopt.
[[nodiscard]] std::optional<std::string> utf16_problem(std::string_view content);

}  // namespace stance::io
