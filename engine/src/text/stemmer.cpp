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
  if (const std::int32_t known = words_.find(folded); known != StringTable::kAbsent) {
    return stems_[static_cast<std::size_t>(known)];
  }
  const sb_symbol* result = sb_stemmer_stem(
      stemmer_.get(), reinterpret_cast<const sb_symbol*>(folded.data()), static_cast<int>(folded.size()));
  if (result) {
    stems_.emplace_back(reinterpret_cast<const char*>(result), static_cast<std::size_t>(sb_stemmer_length(stemmer_.get())));
  } else {
    stems_.emplace_back(folded);
  }
  words_.intern(folded);
  return stems_.back();
}

void Stemmer::trim(std::size_t limit) {
  if (words_.size() <= limit) return;
  words_.clear();
  stems_.clear();
}

}  // namespace stance::text
