#pragma once
// Strings numbered 0, 1, 2 ... in the order they were added, found again by an open-addressing
// hash table. Looked up for every token of every article (the vocabulary, the stem cache), where
// std::unordered_map spends more on its prime-modulo buckets and node chasing than on the words.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.hpp"

namespace stance::text {

class StringTable {
 public:
  static constexpr std::int32_t kAbsent = -1;

  // The number of `key`, or kAbsent.
  [[nodiscard]] std::int32_t find(std::string_view key) const {
    if (slots_.empty()) return kAbsent;
    const std::uint64_t h = hash(key);
    const auto tag = static_cast<std::uint32_t>(h >> 32U);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.id == kAbsent) return kAbsent;
      if (slot.tag == tag && keys_[static_cast<std::size_t>(slot.id)] == key) return slot.id;
    }
  }

  // The number of `key`, adding it if it is new.
  std::int32_t intern(std::string_view key) {
    if (const std::int32_t known = find(key); known != kAbsent) return known;
    if ((keys_.size() + 1) * 2 > slots_.size()) grow();
    const auto id = static_cast<std::int32_t>(keys_.size());
    keys_.emplace_back(key);
    place(hash(key), id);
    return id;
  }

  [[nodiscard]] const std::string& key(std::int32_t id) const { return keys_[static_cast<std::size_t>(id)]; }
  [[nodiscard]] std::size_t size() const { return keys_.size(); }

  void clear() {
    keys_.clear();
    slots_.clear();
  }

 private:
  struct Slot {
    std::uint32_t tag = 0;  // high half of the hash: most mismatches never touch the string
    std::int32_t id = kAbsent;
  };

  static std::uint64_t hash(std::string_view key) { return core::hash_bytes(key, 0xCBF29CE484222325ULL); }

  void place(std::uint64_t h, std::int32_t id) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    while (slots_[i].id != kAbsent) i = (i + 1) & mask;
    slots_[i] = {static_cast<std::uint32_t>(h >> 32U), id};
  }

  void grow() {
    slots_.assign(slots_.empty() ? 64 : slots_.size() * 2, Slot{});
    for (std::size_t id = 0; id < keys_.size(); ++id) place(hash(keys_[id]), static_cast<std::int32_t>(id));
  }

  std::vector<std::string> keys_;
  std::vector<Slot> slots_;  // a power of two, at most half full
};

}  // namespace stance::text
