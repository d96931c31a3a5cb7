#include "text/stemmer.hpp"

#include <libstemmer.h>

#include <stdexcept>

namespace stance::text {

void Stemmer::Deleter::operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }

Stemmer::Stemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {
  if (!stemmer_) throw std::runtime_error("libstemmer: no English stemmer available");
}
Stemmer::~Stemmer() = default;
Stemmer::Stemmer(Stemmer&&) noexcept = default;
Stemmer& Stemmer::operator=(Stemmer&&) noexcept = default;

std::string_view Stemmer::stem(std::string_view folded) {
  auto found = cache_.find(std::string(folded));
  if (found != cache_.end()) return found->second;
  const sb_symbol* result = sb_stemmer_stem(
      stemmer_.get(), reinterpret_cast<const sb_symbol*>(folded.data()), static_cast<int>(folded.size()));
  std::string stemmed = result ? std::string(reinterpret_cast<const char*>(result),
                                             static_cast<std::size_t>(sb_stemmer_length(stemmer_.get())))
                               : std::string(folded);
  auto [it, inserted] = cache_.emplace(std::string(folded), std::move(stemmed));
  return it->second;
}

}  // namespace stance::text
