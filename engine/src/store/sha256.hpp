#pragma once
// SHA-256 (FIPS 180-4), for content hashes: stable across builds and platforms, and strong
// enough that two different article contents never share a hash in practice.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace stance::store {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // The digest as 64 lowercase hex digits. The object is spent afterwards.
  [[nodiscard]] std::string hex_digest();

 private:
  void compress(const unsigned char* block);

  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes hashed so far
};

}  // namespace stance::store
