#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sb_stemmer;

namespace stance::text {

// English Snowball stemmer with a cache. Not thread-safe: each thread (each coding call) owns one.
class Stemmer {
 public:
  Stemmer();
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  Stemmer(Stemmer&&) noexcept;
  Stemmer& operator=(Stemmer&&) noexcept;

  // `folded` must already be folded (lowercase). Returns a view valid while this Stemmer lives.
  std::string_view stem(std::string_view folded);

 private:
  struct Deleter {
    void operator()(sb_stemmer* stemmer) const;
  };
  std::unique_ptr<sb_stemmer, Deleter> stemmer_;
  std::unordered_map<std::string, std::string> cache_;
};

}  // namespace stance::text
