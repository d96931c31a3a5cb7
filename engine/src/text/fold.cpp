#include "text/fold.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace stance::text {
namespace {

// The full Unicode folding, for text with any non-ASCII byte.
std::string fold_unicode(std::string_view utf8) {
  utf8proc_uint8_t* mapped = nullptr;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                                      UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                                      UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
  const utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
                   static_cast<utf8proc_ssize_t>(utf8.size()), &mapped, options);
  if (length < 0) {  // invalid UTF-8 cannot reach here (readers validate); fold bytes as they are
    return std::string(utf8);
  }
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(mapped, &std::free);
  std::string folded(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
  // Typographic apostrophes and primes count as the ASCII apostrophe.
  std::string out;
  out.reserve(folded.size());
  for (std::size_t i = 0; i < folded.size(); ++i) {
    const auto c = static_cast<unsigned char>(folded[i]);
    if (c == 0xE2 && i + 2 < folded.size() && static_cast<unsigned char>(folded[i + 1]) == 0x80) {
      const auto c3 = static_cast<unsigned char>(folded[i + 2]);
      if (c3 == 0x98 || c3 == 0x99 || c3 == 0xB2) {  // ‘ ’ ′
        out.push_back('\'');
        i += 2;
        continue;
      }
    }
    out.push_back(folded[i]);
  }
  return out;
}

}  // namespace

std::string fold(std::string_view utf8) {
  // The common case, ASCII, in one pass: lowercase while copying; anything else goes to utf8proc.
  std::string out(utf8);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) return fold_unicode(utf8);
    if (byte >= 'A' && byte <= 'Z') c = static_cast<char>(byte - 'A' + 'a');
  }
  return out;
}

}  // namespace stance::text
