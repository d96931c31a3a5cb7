#include "io/jsonl.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "io/fields.hpp"
#include "io/text_article.hpp"
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

// "[json.exception.out_of_range.406] number overflow parsing '1e999'" -> the part after "] ".
std::string exception_reason(const nlohmann::json::exception& error) {
  std::string_view what = error.what();
  if (const std::size_t bracket = what.find("] "); bracket != std::string_view::npos) {
    what.remove_prefix(bracket + 2);
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
  LineReader(const std::string& file, const ReadOptions& options,
             const PlacedArticleSink& on_article, const InputErrorSink& on_error)
      : file_(file), options_(options), on_article_(on_article), on_error_(on_error) {}

  // `line` is the line without its newline; `content_offset` is where its content starts in the
  // file (past a BOM on line 1, which `bom` bytes at the front of `line` hold).
  void read(std::string& line, std::size_t bom, const LinePlace& place) {
    std::string_view content = std::string_view(line).substr(bom);
    const std::size_t content_offset = place.byte_offset + bom;
    if (is_blank_line(content)) return;
    // Checked before parsing so the error names the exact byte, not nlohmann's view of it.
    Utf8Repair repair;
    if (const auto problem = find_invalid_utf8(content)) {
      if (!options_.repair_utf8) {
        return fail(place, content_offset + problem->offset, describe(*problem, content));
      }
      line.erase(0, bom);
      repair = repair_utf8(line);
      content = line;
    }
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(content.begin(), content.end());
    } catch (const nlohmann::json::parse_error& error) {
      // error.byte is 1-based and may point one past the end for a truncated line.
      const std::size_t in_line =
          std::min<std::size_t>(error.byte > 0 ? error.byte - 1 : 0, content.size());
      return fail(place, content_offset + repair.original_offset(in_line),
                  "malformed JSON: " + parse_error_reason(error));
    } catch (const nlohmann::json::exception& error) {
      // Not a syntax error but a value the parser cannot hold (a number beyond double, found by
      // fuzzing): it has no position of its own.
      return fail(place, place.byte_offset, "malformed JSON: " + exception_reason(error));
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
    if (!repair.replacements.empty() && options_.on_notice) {
      options_.on_notice(InputError{file_, place.line,
                                    content_offset + repair.replacements.front().offset,
                                    repair_notice(repair)});
    }
    on_article_(std::move(article), place);
  }

  void fail(const LinePlace& place, std::size_t byte_offset, std::string message) const {
    on_error_(InputError{file_, place.line, byte_offset, std::move(message)});
  }

 private:
  const std::string& file_;
  const ReadOptions& options_;
  const PlacedArticleSink& on_article_;
  const InputErrorSink& on_error_;
};

// One line of input, read in bounded memory: `text` keeps at most `limit` + 1 bytes of it, while
// `length` counts all of it, so an endless line costs time but never memory.
struct BoundedLine {
  std::string text;
  std::size_t length = 0;
  bool newline = false;  // ended by '\n' (else by the end of the input)
};

// False at the end of the input (or on a read error: the caller checks in.bad()).
bool next_line(std::istream& in, std::size_t limit, BoundedLine& line) {
  line.text.clear();
  line.length = 0;
  line.newline = false;
  std::array<char, 64 * 1024> buffer;  // NOLINT: filled by getline before use
  for (;;) {
    // istream::getline stops at '\n' (extracted, not stored), at the end of the input, or when the
    // buffer is full (failbit without eofbit); a sentry turns a read error into badbit.
    in.getline(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto extracted = static_cast<std::size_t>(in.gcount());
    if (in.bad()) return line.length > 0;
    const bool full = in.fail() && !in.eof() && extracted + 1 == buffer.size();
    if (extracted == 0 && in.eof()) return line.length > 0;  // nothing more
    line.newline = !full && !in.eof();
    const std::size_t stored = line.newline ? extracted - 1 : extracted;
    line.length += stored;
    const std::size_t room = limit + 1 > line.text.size() ? limit + 1 - line.text.size() : 0;
    line.text.append(buffer.data(), std::min(stored, room));
    if (!full) return true;
    in.clear(in.rdstate() & ~std::ios::failbit);
  }
}

}  // namespace

JsonlSummary read_jsonl(std::istream& in, const std::string& file, const ReadOptions& options,
                        const PlacedArticleSink& on_article, const InputErrorSink& on_error) {
  const std::size_t limit = effective_max_article_bytes(options);
  LineReader reader(file, options, on_article, on_error);
  JsonlSummary summary;
  BoundedLine line;
  LinePlace place{0, 0};
  std::size_t next_offset = 0;
  while (next_line(in, limit, line)) {
    place.line += 1;
    place.byte_offset = next_offset;
    next_offset += line.length + (line.newline ? 1 : 0);
    const std::size_t bom =
        place.line == 1 && std::string_view(line.text).starts_with(utf8_bom) ? utf8_bom.size() : 0;
    if (line.length > limit) {
      ++summary.lines;
      reader.fail(place, place.byte_offset,
                  "line of " + std::to_string(line.length) + " bytes is over the limit of " +
                      std::to_string(limit) + " bytes per article (--max-article-bytes)");
      continue;
    }
    if (is_blank_line(std::string_view(line.text).substr(bom))) continue;
    ++summary.lines;
    if (place.line == 1) {
      if (auto problem = utf16_problem(line.text)) {
        reader.fail(place, 0, std::move(*problem));
        return summary;
      }
    }
    if (const std::size_t nul = line.text.find('\0'); nul != std::string::npos) {
      // JSON never holds a raw NUL: this is binary data. When it starts the file, the whole file
      // is binary, and one message beats one per "line" of noise.
      const bool first = summary.lines == 1;
      reader.fail(place, place.byte_offset + nul,
                  "binary data (NUL byte at offset " + std::to_string(place.byte_offset + nul) +
                      ")" + (first ? "; the rest of the file is skipped" : ""));
      if (first) return summary;
      continue;
    }
    reader.read(line.text, bom, place);
  }
  if (in.bad()) {
    on_error(InputError{file, place.line + 1, next_offset, "read error"});
  }
  return summary;
}

}  // namespace stance::io

namespace stance::io {

std::size_t effective_max_article_bytes(const ReadOptions& options) {
  if (options.max_article_bytes == 0) return kMaxArticleBytesCeiling;
  return std::min(options.max_article_bytes, kMaxArticleBytesCeiling);
}

}  // namespace stance::io
