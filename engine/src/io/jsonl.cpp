#include "io/jsonl.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "io/fields.hpp"
#include "io/utf8.hpp"

namespace stance::io {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

bool is_blank_line(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// nlohmann's what() starts "[json.exception.parse_error.101] parse error at line 1, column 7: ";
// line and column are ours to report (as file offsets), so keep only the reason.
std::string parse_error_reason(const nlohmann::json::parse_error& error) {
  std::string_view what = error.what();
  if (const std::size_t column = what.find(", column "); column != std::string_view::npos) {
    if (const std::size_t colon = what.find(": ", column); colon != std::string_view::npos) {
      what.remove_prefix(colon + 2);
    }
  }
  return std::string(what);
}

// Copies one string field of the object into `out`; a field that is present but not a string is
// an error, since silently dropping e.g. a numeric id would misfile the article.
std::optional<std::string> take_string(const nlohmann::json& object, const char* key,
                                       std::string& out) {
  const auto found = object.find(key);
  if (found == object.end()) return std::nullopt;
  if (!found->is_string()) {
    return "field '" + std::string(key) + "' must be a string, got " + found->type_name();
  }
  out = found->get<std::string>();
  return std::nullopt;
}

class LineReader {
 public:
  LineReader(const std::string& file, const PlacedArticleSink& on_article,
             const InputErrorSink& on_error)
      : file_(file), on_article_(on_article), on_error_(on_error) {}

  // `content` is the line without its newline and without a leading BOM; `content_offset` is
  // where it starts in the file.
  void read(std::string_view content, const LinePlace& place, std::size_t content_offset) {
    if (is_blank_line(content)) return;
    // Checked before parsing so the error names the exact byte, not nlohmann's view of it.
    if (const auto problem = find_invalid_utf8(content)) {
      return fail(place, content_offset + problem->offset, describe(*problem, content));
    }
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(content.begin(), content.end());
    } catch (const nlohmann::json::parse_error& error) {
      // error.byte is 1-based and may point one past the end for a truncated line.
      const std::size_t in_line =
          std::min<std::size_t>(error.byte > 0 ? error.byte - 1 : 0, content.size());
      return fail(place, content_offset + in_line, "malformed JSON: " + parse_error_reason(error));
    }
    if (!object.is_object()) {
      return fail(place, place.byte_offset,
                  std::string("expected a JSON object, got ") + object.type_name());
    }

    Article article;
    const std::array<std::pair<const char*, std::string*>, 6> fields{{{"id", &article.id},
                                                                      {"date", &article.date},
                                                                      {"source", &article.source},
                                                                      {"url", &article.url},
                                                                      {"title", &article.title},
                                                                      {"text", &article.text}}};
    for (const auto& [key, out] : fields) {
      if (auto problem = take_string(object, key, *out)) {
        return fail(place, place.byte_offset, std::move(*problem));
      }
    }
    if (!object.contains("id")) return fail(place, place.byte_offset, "missing field 'id'");
    if (article.id.empty()) return fail(place, place.byte_offset, "empty field 'id'");
    if (!object.contains("text")) return fail(place, place.byte_offset, "missing field 'text'");
    if (is_blank(article.text)) return fail(place, place.byte_offset, "empty field 'text'");
    if (auto problem = date_problem(article.date)) {
      return fail(place, place.byte_offset, std::move(*problem));
    }
    article.origin = file_ + ":" + std::to_string(place.line);
    on_article_(std::move(article), place);
  }

 private:
  void fail(const LinePlace& place, std::size_t byte_offset, std::string message) const {
    on_error_(InputError{file_, place.line, byte_offset, std::move(message)});
  }

  const std::string& file_;
  const PlacedArticleSink& on_article_;
  const InputErrorSink& on_error_;
};

}  // namespace

void read_jsonl(std::istream& in, const std::string& file, const PlacedArticleSink& on_article,
                const InputErrorSink& on_error) {
  LineReader reader(file, on_article, on_error);
  std::string line;
  LinePlace place{0, 0};
  std::size_t next_offset = 0;
  while (std::getline(in, line)) {
    place.line += 1;
    place.byte_offset = next_offset;
    next_offset += line.size() + 1;  // the newline getline consumed (harmless past the end)
    std::string_view content = line;
    std::size_t content_offset = place.byte_offset;
    if (place.line == 1 && content.starts_with(utf8_bom)) {
      content.remove_prefix(utf8_bom.size());
      content_offset += utf8_bom.size();
    }
    reader.read(content, place, content_offset);
  }
  if (in.bad()) {
    on_error(InputError{file, place.line + 1, next_offset, "read error"});
  }
}

}  // namespace stance::io
