#include "io/text_article.hpp"

#include <string_view>
#include <utility>

#include "io/fields.hpp"
#include "io/front_matter.hpp"
#include "io/utf8.hpp"

namespace stance::io {

std::optional<std::string> utf16_problem(std::string_view content) {
  // Notepad's "Unicode" is UTF-16: without this, the user would only hear of a NUL byte.
  if (content.starts_with("\xFF\xFE") || content.starts_with("\xFE\xFF")) {
    return "UTF-16 text (byte order mark " +
           std::string(content.starts_with("\xFF\xFE") ? "FF FE" : "FE FF") +
           "): stance reads UTF-8; convert it first, e.g. iconv -f UTF-16 -t UTF-8";
  }
  return std::nullopt;
}

std::variant<Article, InputError> parse_text_article(const std::string& file, std::string content,
                                                     const std::string& default_id,
                                                     const ReadOptions& options) {
  if (content.empty()) return InputError{file, 0, InputError::no_offset, "empty article"};
  if (auto problem = utf16_problem(content)) return InputError{file, 0, 0, std::move(*problem)};
  // NUL is valid UTF-8, but in a text file it means someone passed a binary (or UTF-16) file.
  if (const std::size_t nul = content.find('\0'); nul != std::string::npos) {
    return InputError{file, 0, nul, "binary file (NUL byte at offset " + std::to_string(nul) + ")"};
  }
  Utf8Repair repair;
  if (options.repair_utf8) {
    repair = repair_utf8(content);
  } else if (const auto problem = find_invalid_utf8(content)) {
    return InputError{file, 0, problem->offset, describe(*problem, content)};
  }

  constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
  const std::size_t start = std::string_view(content).starts_with(utf8_bom) ? utf8_bom.size() : 0;
  auto parsed = parse_front_matter(content, start);
  if (auto* error = std::get_if<FrontMatterError>(&parsed)) {
    // Errors name bytes of the file as it is on disk, not of the repaired copy.
    return InputError{file, error->line, repair.original_offset(error->byte_offset),
                      std::move(error->message)};
  }
  auto& front = std::get<FrontMatter>(parsed);

  if (is_blank(std::string_view(content).substr(front.body_offset))) {
    if (front.present) {
      return InputError{file, 0, repair.original_offset(front.body_offset),
                        "empty article (no text after front matter)"};
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
  // Only a kept article's repair is news: a skipped one has its error.
  if (!repair.replacements.empty() && options.on_notice) {
    options.on_notice(InputError{file, 0, repair.replacements.front().offset,
                                 repair_notice(repair)});
  }
  return article;
}

}  // namespace stance::io
