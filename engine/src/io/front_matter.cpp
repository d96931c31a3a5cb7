#include "io/front_matter.hpp"

#include <array>
#include <utility>

#include "io/fields.hpp"

namespace stance::io {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && (is_space(text.back()) || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// Only trailing blanks (and the CR of a CRLF file) are tolerated around a fence.
bool is_fence(std::string_view line) { return trim(line) == "---" && line.substr(0, 3) == "---"; }

struct Line {
  std::string_view text;   // without the line break
  std::size_t offset = 0;  // of its first byte within the content
  std::size_t next = 0;    // offset of the following line
};

// Every view here points into the content, so positions fall out of pointer arithmetic.
std::size_t offset_in(std::string_view content, std::string_view part) {
  return static_cast<std::size_t>(part.data() - content.data());
}

Line line_at(std::string_view content, std::size_t offset) {
  const std::size_t end = content.find('\n', offset);
  if (end == std::string_view::npos) {
    return {content.substr(offset), offset, content.size()};
  }
  return {content.substr(offset, end - offset), offset, end + 1};
}

constexpr std::array<std::string_view, 5> known_keys{"id", "date", "source", "url", "title"};

std::string* field_for(FrontMatter& front, std::string_view key, std::string& id_storage) {
  if (key == "id") return &id_storage;
  if (key == "date") return &front.date;
  if (key == "source") return &front.source;
  if (key == "url") return &front.url;
  if (key == "title") return &front.title;
  return nullptr;
}

}  // namespace

std::variant<FrontMatter, FrontMatterError> parse_front_matter(std::string_view content,
                                                               std::size_t start) {
  FrontMatter front;
  front.body_offset = start;
  const Line opening = line_at(content, start);
  if (!is_fence(opening.text)) return front;
  front.present = true;

  std::string id;
  // Lines where each key was seen, to reject repeats and to point at a bad value afterwards.
  std::array<std::size_t, known_keys.size()> key_line{};
  std::array<std::size_t, known_keys.size()> value_offset{};
  std::size_t line_number = 1;
  std::size_t offset = opening.next;
  bool closed = false;
  while (offset < content.size()) {
    const Line line = line_at(content, offset);
    ++line_number;
    offset = line.next;
    if (is_fence(line.text)) {
      closed = true;
      front.body_offset = line.next;
      break;
    }
    const std::string_view trimmed = trim(line.text);
    if (trimmed.empty() || trimmed.front() == '#') continue;  // blank lines and YAML comments

    const std::size_t key_offset = offset_in(content, trimmed);
    const std::size_t colon = trimmed.find(':');
    if (colon == std::string_view::npos || trim(trimmed.substr(0, colon)).empty()) {
      return FrontMatterError{
          line_number, key_offset,
          "expected 'key: value' in front matter, got '" + std::string(trimmed) + "'"};
    }
    const std::string_view key = trim(trimmed.substr(0, colon));
    std::size_t key_index = known_keys.size();
    for (std::size_t k = 0; k < known_keys.size(); ++k) {
      if (known_keys[k] == key) key_index = k;
    }
    if (key_index == known_keys.size()) {
      return FrontMatterError{line_number, key_offset,
                              "unknown front matter key '" + std::string(key) +
                                  "' (expected id, date, source, url or title)"};
    }
    if (key_line[key_index] != 0) {
      return FrontMatterError{line_number, key_offset,
                              "duplicate front matter key '" + std::string(key) +
                                  "' (first on line " + std::to_string(key_line[key_index]) + ")"};
    }
    key_line[key_index] = line_number;

    const std::string_view raw_value = trimmed.substr(colon + 1);
    std::string_view value = trim(raw_value);
    // An empty value has no position of its own: point just past the colon.
    const std::size_t value_start =
        value.empty() ? offset_in(content, raw_value) : offset_in(content, value);
    value_offset[key_index] = value_start;
    if (!value.empty() && (value.front() == '"' || value.front() == '\'')) {
      if (value.size() < 2 || value.back() != value.front()) {
        return FrontMatterError{
            line_number, value_start,
            "unterminated quoted value for front matter key '" + std::string(key) + "'"};
      }
      value = value.substr(1, value.size() - 2);
    }
    *field_for(front, key, id) = std::string(value);
  }
  if (!closed) {
    return FrontMatterError{1, start, "front matter not closed (no '---' line after line 1)"};
  }

  constexpr std::size_t id_index = 0;
  constexpr std::size_t date_index = 1;
  if (key_line[id_index] != 0) {
    if (id.empty()) {
      return FrontMatterError{key_line[id_index], value_offset[id_index],
                              "empty id in front matter"};
    }
    front.id = std::move(id);
  }
  if (auto problem = date_problem(front.date)) {
    return FrontMatterError{key_line[date_index], value_offset[date_index], std::move(*problem)};
  }
  return front;
}

}  // namespace stance::io
