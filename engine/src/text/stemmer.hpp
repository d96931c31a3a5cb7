#pragma once
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "text/string_table.hpp"

struct sb_stemmer;

namespace stance::text {

// English Snowball stemmer with a cache. Not thread-safe: each thread owns one, and keeps it from
// article to article (Engine::Workspace) so that a word is stemmed once per thread, not once per
// article.
class Stemmer {
 public:
  // Past this many cached words trim() starts the cache afresh: a corpus of any size keeps the
  // cache bounded, and the words that matter (frequent ones) come back at once.
  static constexpr std::size_t kDefaultCacheLimit = std::size_t{1} << 16U;

  Stemmer();
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  Stemmer(Stemmer&&) noexcept;
  Stemmer& operator=(Stemmer&&) noexcept;

  // `folded` must already be folded (lowercase). Returns a view valid until trim() or the end of
  // this Stemmer.
  std::string_view stem(std::string_view folded);

  // Empties the cache if it holds more than `limit` words. Views returned before may dangle.
  void trim(std::size_t limit = kDefaultCacheLimit);
  [[nodiscard]] std::size_t cached() const { return words_.size(); }

 private:
  struct Deleter {
    void operator()(sb_stemmer* stemmer) const;
  };
  std::unique_ptr<sb_stemmer, Deleter> stemmer_;
  StringTable words_;             // folded words seen ...
  std::deque<std::string> stems_;  // ... and their stems, by the same number (a deque: views stay valid)
};

}  // namespace stance::text
