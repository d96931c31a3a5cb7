#include "io/jsonl.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "io/fields.hpp"
#include "io/scan.hpp"
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

// ---- the common line, parsed without a DOM --------------------------------------------------
//
// Almost every line of a corpus is an object whose values are all strings. For such a line the
// fields are decoded straight into the Article: nlohmann would build a map of strings and hand
// each character through a push_back first. The fast path only ever accepts: anything it is not
// sure of (another value type, a malformed escape, trailing garbage, a repeated field) makes it
// give up, and the line goes through nlohmann as before, so errors and their wording are
// nlohmann's and the accepted lines mean exactly what they did.

// The six fields an article is made of, in a fixed order.
enum Field : unsigned { kId, kDate, kSource, kUrl, kTitle, kText, kFieldCount, kOther = kFieldCount };

Field field_of(std::string_view key) {
  switch (key.size()) {
    case 2: return key == "id" ? kId : kOther;
    case 3: return key == "url" ? kUrl : kOther;
    case 4: return key == "date" ? kDate : key == "text" ? kText : kOther;
    case 5: return key == "title" ? kTitle : kOther;
    case 6: return key == "source" ? kSource : kOther;
    default: return kOther;
  }
}

class FlatObjectParser {
 public:
  // `scratch` is working space only, passed in so that its capacity serves line after line.
  FlatObjectParser(std::string_view line, std::string& scratch) : s_(line), scratch_(scratch) {}

  // True when the line is one JSON object of string values; `fields` then holds the six fields
  // (those absent are left empty) and `present` has bit f set for each field f that was there.
  bool parse(const std::array<std::string*, kFieldCount>& fields, unsigned& present) {
    present = 0;
    skip_space();
    if (!eat('{')) return false;
    skip_space();
    if (eat('}')) return at_end();
    std::string other;  // keys and values of fields no article has: decoded to be checked, then dropped
    for (;;) {
      skip_space();
      if (!eat('"') || !string_body(key_)) return false;
      skip_space();
      if (!eat(':')) return false;
      skip_space();
      const Field field = field_of(key_);
      if (field != kOther) {
        if ((present & (1U << field)) != 0) return false;  // a repeated field: nlohmann decides
        present |= 1U << field;
      }
      if (!eat('"') || !string_body(field == kOther ? other : *fields[field])) return false;
      skip_space();
      if (eat('}')) return at_end();
      if (!eat(',')) return false;
    }
  }

 private:
  // JSON white space, as nlohmann skips it.
  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool at_end() {
    skip_space();
    return i_ == s_.size();
  }

  // After the opening quote: decodes up to and past the closing one into `out`. The line is
  // valid UTF-8 already (checked before parsing), so only '"', '\\' and controls need a look.
  // A string without escapes (nearly every one) is copied straight from the line; one with
  // escapes is decoded in scratch_, whose capacity outlives the line, and then copied once, so
  // that a long text is not grown a piece at a time.
  bool string_body(std::string& out) {
    const std::size_t start = i_;
    i_ = scan_to<kJsonSpecial>(s_, i_);
    if (i_ < s_.size() && s_[i_] == '"') {
      out.assign(s_.data() + start, i_ - start);
      ++i_;
      return true;
    }
    std::string& decoded = scratch_;
    decoded.assign(s_.data() + start, i_ - start);
    for (;;) {
      if (i_ >= s_.size()) return false;
      const char c = s_[i_++];
      if (c == '"') {
        out.assign(decoded);
        return true;
      }
      if (c != '\\') return false;  // a raw control character: an error nlohmann words
      if (i_ >= s_.size()) return false;
      switch (s_[i_++]) {
        case '"': decoded.push_back('"'); break;
        case '\\': decoded.push_back('\\'); break;
        case '/': decoded.push_back('/'); break;
        case 'b': decoded.push_back('\b'); break;
        case 'f': decoded.push_back('\f'); break;
        case 'n': decoded.push_back('\n'); break;
        case 'r': decoded.push_back('\r'); break;
        case 't': decoded.push_back('\t'); break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00U && cp <= 0xDFFFU) return false;  // a lone low surrogate
          if (cp >= 0xD800U && cp <= 0xDBFFU) {
            std::uint32_t low = 0;
            if (!eat('\\') || !eat('u') || !hex4(low) || low < 0xDC00U || low > 0xDFFFU) return false;
            cp = 0x10000U + ((cp - 0xD800U) << 10U) + (low - 0xDC00U);
          }
          append_utf8(decoded, cp);
          break;
        }
        default: return false;
      }
      const std::size_t run = i_;
      i_ = scan_to<kJsonSpecial>(s_, i_);
      decoded.append(s_.data() + run, i_ - run);
    }
  }

  bool hex4(std::uint32_t& value) {
    if (s_.size() - i_ < 4) return false;
    value = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      std::uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
      value = value << 4U | digit;
    }
    return true;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80U) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800U) {
      out.push_back(static_cast<char>(0xC0U | (cp >> 6U)));
      out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else if (cp < 0x10000U) {
      out.push_back(static_cast<char>(0xE0U | (cp >> 12U)));
      out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else {
      out.push_back(static_cast<char>(0xF0U | (cp >> 18U)));
      out.push_back(static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string key_;
  std::string& scratch_;
};

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
    Article article;
    const std::array<std::string*, kFieldCount> fields{&article.id,  &article.date,  &article.source,
                                                       &article.url, &article.title, &article.text};
    unsigned present = 0;
    if (!FlatObjectParser(content, scratch_).parse(fields, present)) {
      article = Article{};
      if (auto problem = parse_with_nlohmann(content, place, content_offset, repair, fields, present)) {
        return fail(place, problem->first, std::move(problem->second));
      }
    }
    if ((present & (1U << kId)) == 0) return fail(place, place.byte_offset, "missing field 'id'");
    if (article.id.empty()) return fail(place, place.byte_offset, "empty field 'id'");
    if ((present & (1U << kText)) == 0) return fail(place, place.byte_offset, "missing field 'text'");
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

  // The general path: any JSON, with nlohmann's error messages. Returns the error (its byte offset
  // in the file and message), or fills `fields` and `present` as FlatObjectParser does.
  static std::optional<std::pair<std::size_t, std::string>> parse_with_nlohmann(
      std::string_view content, const LinePlace& place, std::size_t content_offset,
      const Utf8Repair& repair, const std::array<std::string*, kFieldCount>& fields,
      unsigned& present) {
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(content.begin(), content.end());
    } catch (const nlohmann::json::parse_error& error) {
      // error.byte is 1-based and may point one past the end for a truncated line.
      const std::size_t in_line =
          std::min<std::size_t>(error.byte > 0 ? error.byte - 1 : 0, content.size());
      return std::pair{content_offset + repair.original_offset(in_line),
                       "malformed JSON: " + parse_error_reason(error)};
    } catch (const nlohmann::json::exception& error) {
      // Not a syntax error but a value the parser cannot hold (a number beyond double, found by
      // fuzzing): it has no position of its own.
      return std::pair{place.byte_offset, "malformed JSON: " + exception_reason(error)};
    }
    if (!object.is_object()) {
      return std::pair{place.byte_offset,
                       std::string("expected a JSON object, got ") + object.type_name()};
    }
    constexpr std::array<const char*, kFieldCount> keys{"id", "date", "source", "url", "title", "text"};
    present = 0;
    for (unsigned f = 0; f < kFieldCount; ++f) {
      if (auto problem = take_string(object, keys[f], *fields[f])) {
        return std::pair{place.byte_offset, std::move(*problem)};
      }
      if (object.contains(keys[f])) present |= 1U << f;
    }
    return std::nullopt;
  }

  void fail(const LinePlace& place, std::size_t byte_offset, std::string message) const {
    on_error_(InputError{file_, place.line, byte_offset, std::move(message)});
  }

 private:
  const std::string& file_;
  const ReadOptions& options_;
  const PlacedArticleSink& on_article_;
  const InputErrorSink& on_error_;
  std::string scratch_;  // FlatObjectParser's, kept from line to line
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
