#pragma once
// The engine's one non-cryptographic hash, for in-memory tables (string tables, the automaton's
// state sets, the reader's seen ids) and the rule cache's entry names and checksums: 8 bytes a
// step, then splitmix64's finaliser. Values are not stable across versions: the rule cache keys its
// entries by the stance build as well, so a changed hash costs a cache miss, never a wrong entry.
#include <cstdint>
#include <cstring>
#include <string_view>

namespace stance::core {

// splitmix64's finaliser: spreads a key's bits over the whole word (tables mask the low bits).
[[nodiscard]] inline std::uint64_t mix64(std::uint64_t key) {
  key ^= key >> 30U;
  key *= 0xBF58476D1CE4E5B9ULL;
  key ^= key >> 27U;
  key *= 0x94D049BB133111EBULL;
  key ^= key >> 31U;
  return key;
}

// Hash of `bytes`; two seeds give two different hashes of the same bytes. Words are short, so
// the last 0-7 bytes are read by fixed-size loads (a variable-length memcpy is a library call).
[[nodiscard]] inline std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = seed ^ (bytes.size() * 0x9E3779B97F4A7C15ULL);
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, 8);
    h = (h ^ word) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29U;
  }
  std::uint64_t tail = 0;
  if (n >= 4) {
    std::uint32_t low = 0;
    std::uint32_t high = 0;
    std::memcpy(&low, p, 4);
    std::memcpy(&high, p + n - 4, 4);
    tail = static_cast<std::uint64_t>(high) << 32U | low;
  } else if (n > 0) {
    tail = static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16U |
           static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8U |
           static_cast<unsigned char>(p[n - 1]);
  }
  return mix64(h ^ tail);
}

}  // namespace stance::core
