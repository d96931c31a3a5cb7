#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "io/scan.hpp"
#include "io/utf8.hpp"
#include "report/json_record.hpp"
#include "stance/report.hpp"

namespace stance {

namespace report_internal {
namespace {

// Two decimals is the precision the rules can justify; more digits would only add noise to diffs
// between runs.
double rounded_confidence(double confidence) { return std::round(confidence * 100.0) / 100.0; }

// The inside of a JSON string (no quotes) exactly as nlohmann::json::dump(-1, ' ', false,
// replace) writes it: '"', '\\' and the controls escaped, valid UTF-8 copied as is (ensure_ascii
// is off). The runs between escapes, nearly all of an evidence sentence, are found 16 bytes a
// step and copied whole. The quotes are left to the caller, which writes them with the keys.
void append_string_body(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  bool utf8_checked = false;  // a non-ASCII byte was met, and all of the text is valid UTF-8
  std::size_t run = 0;        // start of the bytes not yet copied
  std::size_t i = 0;
  for (;;) {
    i = utf8_checked ? io::scan_to<io::kJsonSpecial>(text, i)
                     : io::scan_to<io::kJsonSpecial | io::kNonAscii>(text, i);
    if (i == text.size()) break;
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x80) {
      // Invalid UTF-8 (readers let none through, but a record can be made by hand) goes to
      // nlohmann, whose U+FFFD replacement rules are its own. All before `i` is ASCII.
      if (io::find_invalid_utf8(text.substr(i))) {
        out.resize(start);
        const std::string quoted = dump(nlohmann::ordered_json(std::string(text)));
        out.append(quoted, 1, quoted.size() - 2);
        return;
      }
      utf8_checked = true;
      continue;
    }
    out.append(text.data() + run, i - run);
    run = ++i;
    switch (byte) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default: {
        constexpr std::string_view hex = "0123456789abcdef";  // nlohmann writes "\\u%04x"
        out += "\\u00";
        out.push_back(hex[byte >> 4U]);
        out.push_back(hex[byte & 0xFU]);
      }
    }
  }
  out.append(text.data() + run, text.size() - run);
}

// Copies `text` to `p` and returns the end of the copy (the caller has made room).
char* put(char* p, std::string_view text) {
  std::memcpy(p, text.data(), text.size());
  return p + text.size();
}

// nlohmann's own float formatting (shortest round trip, "1.0" for whole numbers, null for NaN and
// infinities), so the figures cannot drift from what record_to_json + dump prints.
void append_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  std::array<char, 64> buffer{};
  char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), end);
}

// append_double(rounded_confidence(confidence)) without the general float printer for the usual
// case. round(c * 100) / 100 is the double nearest to k/100 (k = round(c * 100); the division is
// correctly rounded), and nlohmann prints such a double as k/100's own short decimal, "1.0" for
// a whole number. tests/test_report.cpp checks every k against nlohmann.
void append_confidence(std::string& out, double confidence) {
  const double hundredths = std::round(confidence * 100.0);
  if (!(hundredths >= 1.0 && hundredths <= 100.0)) {  // also NaN
    append_double(out, hundredths / 100.0);
    return;
  }
  const auto k = static_cast<unsigned>(hundredths);
  if (k == 100) {
    out += "1.0";
    return;
  }
  out += "0.";
  out.push_back(static_cast<char>('0' + k / 10));
  if (k % 10 != 0) out.push_back(static_cast<char>('0' + k % 10));
}

}  // namespace

nlohmann::ordered_json record_to_json(const StanceRecord& record) {
  nlohmann::ordered_json object;
  object["article"] = record.article;
  object["sentence"] = record.sentence;
  object["span"] = nlohmann::ordered_json::array({record.span.begin, record.span.end});
  object["actor"] = record.actor;
  object["affiliation"] = record.affiliation;
  object["issue"] = record.issue;
  object["stance"] = std::string(to_string(record.stance));
  object["confidence"] = rounded_confidence(record.confidence);
  object["rule"] = record.rule;
  object["evidence"] = record.evidence;
  // Only records of unknown objects (issue "?", `--unknown`) carry the object's words.
  if (!record.object.empty()) object["object"] = record.object;
  return object;
}

// Keep in step with record_to_json: tests/test_report.cpp compares the two on awkward records.
// Each string's closing quote goes out with the next key, to append fewer, longer pieces.
void append_record_json(std::string& out, const StanceRecord& record) {
  out += "{\"article\":\"";
  append_string_body(out, record.article);
  {
    // The three numbers and the keys around them, put together here and appended in one piece.
    constexpr std::size_t kDigits = 20;  // of the largest std::size_t
    std::array<char, 128> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init): written first
    char* p = put(buffer.data(), "\",\"sentence\":");
    p = std::to_chars(p, p + kDigits, record.sentence).ptr;
    p = put(p, ",\"span\":[");
    p = std::to_chars(p, p + kDigits, record.span.begin).ptr;
    p = put(p, ",");
    p = std::to_chars(p, p + kDigits, record.span.end).ptr;
    p = put(p, "],\"actor\":\"");
    out.append(buffer.data(), p);
  }
  append_string_body(out, record.actor);
  out += "\",\"affiliation\":\"";
  append_string_body(out, record.affiliation);
  out += "\",\"issue\":\"";
  append_string_body(out, record.issue);
  out += "\",\"stance\":\"";
  append_string_body(out, to_string(record.stance));
  out += "\",\"confidence\":";
  append_confidence(out, record.confidence);
  out += ",\"rule\":\"";
  append_string_body(out, record.rule);
  out += "\",\"evidence\":\"";
  append_string_body(out, record.evidence);
  if (!record.object.empty()) {
    out += "\",\"object\":\"";
    append_string_body(out, record.object);
  }
  out += "\"}";
}

std::string dump(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

void append_jsonl(std::string& out, std::span<const StanceRecord> records) {
  // Room for the evidence and the rest of a typical record, so a long batch is not grown (and
  // copied) a doubling at a time.
  std::size_t estimate = out.size();
  for (const StanceRecord& record : records) estimate += record.evidence.size() + 256;
  out.reserve(estimate);
  for (const StanceRecord& record : records) {
    append_record_json(out, record);
    out.push_back('\n');
  }
}

}  // namespace report_internal

void write_jsonl(std::ostream& out, std::span<const StanceRecord> records) {
  std::string text;
  report_internal::append_jsonl(text, records);
  out << text;
}

}  // namespace stance
