#pragma once
// Byte scans shared by the JSONL reader, the UTF-8 check and the JSONL writer. Article text is
// long and almost all of it needs no attention, so each scan looks at 16 bytes a step and only
// the block holding a hit is looked at byte by byte. Inline: they sit in the innermost loops.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace stance::io {

// What a scan stops at. kJsonSpecial: the bytes a JSON string cannot hold as they are ('"', '\\'
// and the controls below 0x20). kNonAscii: bytes from 0x80 up. Both: either.
enum ScanStop : unsigned { kJsonSpecial = 1U, kNonAscii = 2U };

namespace scan_detail {

template <unsigned kStops>
constexpr bool stops_at(unsigned char byte) {
  if ((kStops & kJsonSpecial) != 0U && (byte == '"' || byte == '\\' || byte < 0x20U)) return true;
  return (kStops & kNonAscii) != 0U && byte >= 0x80U;
}

// Whether any of the 8 bytes at `bytes` is one `kStops` stops at. (The usual "has a zero byte"
// trick: a borrow can flag a byte after a true hit, never one in a word without any.)
template <unsigned kStops>
bool stops_in_word(const unsigned char* bytes) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  std::uint64_t w = 0;
  std::memcpy(&w, bytes, sizeof w);
  std::uint64_t hits = 0;
  if constexpr ((kStops & kJsonSpecial) != 0U) {
    const std::uint64_t quote = w ^ (kOnes * '"');
    const std::uint64_t backslash = w ^ (kOnes * '\\');
    hits |= ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | ((w - kOnes * 0x20U) & ~w);
  }
  if constexpr ((kStops & kNonAscii) != 0U) hits |= w;
  return (hits & kHigh) != 0;
}

#if defined(__SSE2__)
// Bit k set when byte k of the 16 at `bytes` is one `kStops` stops at.
template <unsigned kStops>
unsigned stops_in_block(const unsigned char* bytes) {
  const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
  __m128i hits = _mm_setzero_si128();
  if constexpr ((kStops & kJsonSpecial) != 0U) {
    // Unsigned "byte <= 0x1F" is "min(byte, 0x1F) == byte": SSE2 has no unsigned compare.
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(block, _mm_set1_epi8(0x1F)), block);
    hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, _mm_set1_epi8('"')),
                                     _mm_cmpeq_epi8(block, _mm_set1_epi8('\\'))),
                        control);
  }
  if constexpr ((kStops & kNonAscii) != 0U) hits = _mm_or_si128(hits, block);  // the top bit
  return static_cast<unsigned>(_mm_movemask_epi8(hits));
}
#endif

}  // namespace scan_detail

// The index of the first byte at or after `from` that `kStops` stops at, or text.size().
template <unsigned kStops>
[[nodiscard]] inline std::size_t scan_to(std::string_view text, std::size_t from) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = from;
#if defined(__SSE2__)
  while (i + 16 <= size) {
    if (const unsigned mask = scan_detail::stops_in_block<kStops>(bytes + i); mask != 0U) {
      return i + static_cast<std::size_t>(std::countr_zero(mask));
    }
    i += 16;
  }
  if (i < size && size >= 16) {
    // The last few bytes: the block ending where the text ends, less what was looked at already.
    const std::size_t last = size - 16;
    const unsigned mask = scan_detail::stops_in_block<kStops>(bytes + last) >> (i - last);
    return mask != 0U ? i + static_cast<std::size_t>(std::countr_zero(mask)) : size;
  }
#endif
  // 8 to 15 bytes left (all of an id or a name): two overlapping words usually settle it.
  if (size - i >= 8 && size - i <= 16 && !scan_detail::stops_in_word<kStops>(bytes + i) &&
      !scan_detail::stops_in_word<kStops>(bytes + size - 8)) {
    return size;
  }
  while (i < size && !scan_detail::stops_at<kStops>(bytes[i])) ++i;
  return i;
}

}  // namespace stance::io
