#include "io/text_article.hpp"

#include <string_view>
#include <utility>

#include "io/fields.hpp"
#include "io/front_matter.hpp"
#include "io/utf8.hpp"

namespace stance::io {

std::variant<Article, InputError> parse_text_article(const std::string& file, std::string content,
                                                     const std::string& default_id) {
  if (content.empty()) return InputError{file, 0, InputError::no_offset, "empty article"};
  // NUL is valid UTF-8, but in a text file it means someone passed a binary (or UTF-16) file.
  if (const std::size_t nul = content.find('\0'); nul != std::string::npos) {
    return InputError{file, 0, nul, "binary file (NUL byte at offset " + std::to_string(nul) + ")"};
  }
  if (const auto problem = find_invalid_utf8(content)) {
    return InputError{file, 0, problem->offset, describe(*problem, content)};
  }

  constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
  const std::size_t start = std::string_view(content).starts_with(utf8_bom) ? utf8_bom.size() : 0;
  auto parsed = parse_front_matter(content, start);
  if (auto* error = std::get_if<FrontMatterError>(&parsed)) {
    return InputError{file, error->line, error->byte_offset, std::move(error->message)};
  }
  auto& front = std::get<FrontMatter>(parsed);

  if (is_blank(std::string_view(content).substr(front.body_offset))) {
    if (front.present) {
      return InputError{file, 0, front.body_offset, "empty article (no text after front matter)"};
    }
    return InputError{file, 0, InputError::no_offset, "empty article"};
  }
  Article article;
  article.id = front.id ? std::move(*front.id) : default_id;
  if (article.id.empty()) {
    return InputError{file, 0, InputError::no_offset,
                      "empty article id (name the file or add 'id:' front matter)"};
  }
  article.date = std::move(front.date);
  article.source = std::move(front.source);
  article.url = std::move(front.url);
  article.title = std::move(front.title);
  // Drop the header in place: the body is the rest of the file, byte for byte.
  content.erase(0, front.body_offset);
  article.text = std::move(content);
  article.origin = file;
  return article;
}

}  // namespace stance::io
