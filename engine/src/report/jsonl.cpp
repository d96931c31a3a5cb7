#include <array>
#include <charconv>
#include <cmath>
#include <ostream>
#include <string_view>

#include "io/utf8.hpp"
#include "report/json_record.hpp"
#include "stance/report.hpp"

namespace stance {

namespace report_internal {
namespace {

// Two decimals is the precision the rules can justify; more digits would only add noise to diffs
// between runs.
double rounded_confidence(double confidence) { return std::round(confidence * 100.0) / 100.0; }

// Which ASCII bytes nlohmann's serialiser escapes: the controls, '"' and '\\'.
constexpr std::array<bool, 128> kEscaped = [] {
  std::array<bool, 128> escaped{};
  for (std::size_t c = 0; c < 0x20; ++c) escaped[c] = true;
  escaped['"'] = true;
  escaped['\\'] = true;
  return escaped;
}();

// A JSON string exactly as nlohmann::json::dump(-1, ' ', false, replace) writes it.
void append_string(std::string& out, std::string_view text) {
  bool plain = true;  // nothing to escape, nothing above ASCII
  bool ascii = true;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      ascii = false;
    } else if (kEscaped[byte]) {
      plain = false;
    }
  }
  // Valid UTF-8 is copied as is (ensure_ascii is off); invalid UTF-8 (readers let none through,
  // but a record can be made by hand) goes to nlohmann, whose U+FFFD replacement rules are its own.
  if (!ascii && io::find_invalid_utf8(text)) {
    out += dump(nlohmann::ordered_json(std::string(text)));
    return;
  }
  out.push_back('"');
  if (plain) {
    out.append(text);
    out.push_back('"');
    return;
  }
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x80 || !kEscaped[byte]) continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
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
  out.append(text.substr(run));
  out.push_back('"');
}

void append_unsigned(std::string& out, std::size_t value) {
  std::array<char, 24> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), result.ptr);
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
void append_record_json(std::string& out, const StanceRecord& record) {
  out += "{\"article\":";
  append_string(out, record.article);
  out += ",\"sentence\":";
  append_unsigned(out, record.sentence);
  out += ",\"span\":[";
  append_unsigned(out, record.span.begin);
  out.push_back(',');
  append_unsigned(out, record.span.end);
  out += "],\"actor\":";
  append_string(out, record.actor);
  out += ",\"affiliation\":";
  append_string(out, record.affiliation);
  out += ",\"issue\":";
  append_string(out, record.issue);
  out += ",\"stance\":";
  append_string(out, to_string(record.stance));
  out += ",\"confidence\":";
  append_double(out, rounded_confidence(record.confidence));
  out += ",\"rule\":";
  append_string(out, record.rule);
  out += ",\"evidence\":";
  append_string(out, record.evidence);
  if (!record.object.empty()) {
    out += ",\"object\":";
    append_string(out, record.object);
  }
  out.push_back('}');
}

std::string dump(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

}  // namespace report_internal

void write_jsonl(std::ostream& out, std::span<const StanceRecord> records) {
  std::string text;
  for (const StanceRecord& record : records) {
    report_internal::append_record_json(text, record);
    text.push_back('\n');
  }
  out << text;
}

}  // namespace stance
