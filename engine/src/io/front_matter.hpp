#pragma once
// The optional header of a .txt/.md article: a "---" line, "key: value" lines, a "---" line.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace stance::io {

struct FrontMatter {
  bool present = false;
  std::optional<std::string> id;  // nullopt: the caller falls back to the file stem
  std::string date;
  std::string source;
  std::string url;
  std::string title;
  std::size_t body_offset = 0;  // where the body starts within the content
};

struct FrontMatterError {
  std::size_t line = 0;         // 1-based line in the file
  std::size_t byte_offset = 0;  // within the content (which is the whole file)
  std::string message;
};

// Parses the front matter at `start` (just past a BOM, if any) of a whole file. Without a "---"
// first line there is no front matter and the body starts at `start`. Strict: an unknown or
// repeated key, a line that is not "key: value", or a missing closing line is an error.
[[nodiscard]] std::variant<FrontMatter, FrontMatterError> parse_front_matter(
    std::string_view content, std::size_t start);

}  // namespace stance::io
