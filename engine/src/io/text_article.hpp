#pragma once
// A .txt or .md file as one article: checks, optional front matter, byte-exact body.
#include <string>
#include <variant>

#include "stance/article.hpp"

namespace stance::io {

// Makes the article from a whole file's `content`. `file` is the path as given (the origin and
// the name in errors); `default_id` is used when the front matter names no id.
[[nodiscard]] std::variant<Article, InputError> parse_text_article(const std::string& file,
                                                                   std::string content,
                                                                   const std::string& default_id);

}  // namespace stance::io
