#include "io/utf8.hpp"

#include <algorithm>
#include <string>

#include "io/scan.hpp"
#include "stance/article.hpp"

namespace stance::io {
namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0U) == 0x80U; }

// Bytes every well-formed sequence with this lead byte needs after it, or -1 for a byte that can
// never start one.
int trailing_count(unsigned char lead) {
  if (lead < 0x80U) return 0;
  if (lead >= 0xC2U && lead <= 0xDFU) return 1;
  if (lead >= 0xE0U && lead <= 0xEFU) return 2;
  if (lead >= 0xF0U && lead <= 0xF4U) return 3;
  return -1;
}

std::string_view lead_byte_reason(unsigned char lead) {
  if (is_continuation(lead)) return "unexpected continuation byte";
  if (lead == 0xC0U || lead == 0xC1U) return "overlong encoding";
  if (lead >= 0xF5U && lead <= 0xF7U) return "code point above U+10FFFF";
  return "byte never valid in UTF-8";
}

// Table 3-7 narrows the range of the second byte for a few lead bytes; that is where overlongs,
// surrogates and code points above U+10FFFF are caught.
std::string_view second_byte_reason(unsigned char lead, unsigned char second) {
  if (!is_continuation(second)) return "truncated sequence";
  if (lead == 0xE0U && second < 0xA0U) return "overlong encoding";
  if (lead == 0xEDU && second > 0x9FU) return "surrogate code point";
  if (lead == 0xF0U && second < 0x90U) return "overlong encoding";
  if (lead == 0xF4U && second > 0x8FU) return "code point above U+10FFFF";
  return {};
}

}  // namespace

std::optional<Utf8Problem> find_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  for (;;) {
    // Articles are mostly ASCII: jump straight to the next byte that starts anything else.
    i = scan_to<kNonAscii>(text, i);
    if (i >= size) break;
    const unsigned char lead = bytes[i];
    const int trailing = trailing_count(lead);
    if (trailing < 0) return Utf8Problem{i, lead_byte_reason(lead)};
    if (i + 1 >= size) return Utf8Problem{i, "truncated sequence"};
    if (const auto reason = second_byte_reason(lead, bytes[i + 1]); !reason.empty()) {
      return Utf8Problem{i, reason};
    }
    for (int k = 2; k <= trailing; ++k) {
      if (i + k >= size || !is_continuation(bytes[i + k])) {
        return Utf8Problem{i, "truncated sequence"};
      }
    }
    i += static_cast<std::size_t>(trailing) + 1;
  }
  return std::nullopt;
}

std::string describe(const Utf8Problem& problem, std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string message = "invalid UTF-8: ";
  message += problem.reason;
  if (problem.offset >= text.size()) return message;
  // Show the bytes the lead byte claims as its sequence: enough to see what went wrong.
  const auto lead = static_cast<unsigned char>(text[problem.offset]);
  const int trailing = trailing_count(lead);
  const std::size_t shown = std::min<std::size_t>(
      trailing > 0 ? static_cast<std::size_t>(trailing) + 1 : 1, text.size() - problem.offset);
  message += shown == 1 ? " (byte" : " (bytes";
  for (std::size_t k = 0; k < shown; ++k) {
    const auto byte = static_cast<unsigned char>(text[problem.offset + k]);
    message += ' ';
    message += hex[byte >> 4U];
    message += hex[byte & 0x0FU];
  }
  message += ')';
  return message;
}

namespace {

// Bytes of the maximal ill-formed subpart that starts at `offset`, where find_invalid_utf8 said
// the text goes wrong: the lead byte and the continuation bytes that still fit it.
std::size_t ill_formed_length(std::string_view text, std::size_t offset) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char lead = bytes[offset];
  const int trailing = trailing_count(lead);
  if (trailing <= 0 || offset + 1 >= text.size()) return 1;
  if (!second_byte_reason(lead, bytes[offset + 1]).empty()) return 1;
  std::size_t length = 2;
  while (length <= static_cast<std::size_t>(trailing) && offset + length < text.size() &&
         is_continuation(bytes[offset + length])) {
    ++length;
  }
  return length;
}

}  // namespace

std::size_t Utf8Repair::original_offset(std::size_t repaired_offset) const {
  constexpr std::size_t replacement_size = 3;  // U+FFFD is EF BF BD
  // Walk the replacements before the offset, shifting by how much each one grew or shrank.
  std::size_t original = repaired_offset;
  std::size_t repaired_end = 0;  // end of the previous replacement, in repaired coordinates
  std::size_t original_end = 0;
  for (const Utf8Replacement& r : replacements) {
    const std::size_t repaired_begin = repaired_end + (r.offset - original_end);
    if (repaired_offset < repaired_begin) break;
    if (repaired_offset < repaired_begin + replacement_size) return r.offset;
    repaired_end = repaired_begin + replacement_size;
    original_end = r.offset + r.length;
    original = original_end + (repaired_offset - repaired_end);
  }
  return original;
}

Utf8Repair repair_utf8(std::string& text) {
  Utf8Repair repair;
  auto problem = find_invalid_utf8(text);
  if (!problem) return repair;
  repair.first_problem = describe(*problem, text);
  std::string repaired;
  repaired.reserve(text.size() + 16);
  std::size_t done = 0;  // bytes of `text` already copied or replaced
  while (problem) {
    const std::size_t at = done + problem->offset;
    const std::size_t length = ill_formed_length(text, at);
    repaired.append(text, done, at - done);
    repaired += "\xEF\xBF\xBD";
    repair.replacements.push_back({at, length});
    done = at + length;
    problem = find_invalid_utf8(std::string_view(text).substr(done));
  }
  repaired.append(text, done, std::string::npos);
  text = std::move(repaired);
  return repair;
}

std::string repair_notice(const Utf8Repair& repair) {
  return "repaired " + std::to_string(repair.replacements.size()) +
         " ill-formed UTF-8 sequence(s) with U+FFFD (first: " + repair.first_problem + ")";
}

}  // namespace stance::io

namespace stance {

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  if (const auto problem = io::find_invalid_utf8(text)) return problem->offset;
  return std::nullopt;
}

}  // namespace stance
