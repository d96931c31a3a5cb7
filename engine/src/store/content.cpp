// Content identity of articles and the date form the store understands.
#include <chrono>
#include <string>

#include "stance/store.hpp"
#include "store/sha256.hpp"

namespace stance {
namespace {

bool all_digits(std::string_view text) {
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int to_int(std::string_view digits) {
  int value = 0;
  for (const char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::string content_hash(const Article& article) {
  store::Sha256 hash;
  // Versioned, so a future change of what counts as content cannot collide with today's hashes;
  // each field is length-prefixed, so moving bytes from one field to the next changes the hash.
  hash.update("stance-article-v1\n");
  for (const std::string* field :
       {&article.date, &article.source, &article.url, &article.title, &article.text}) {
    hash.update(std::to_string(field->size()));
    hash.update(":");
    hash.update(*field);
  }
  return hash.hex_digest();
}

bool is_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  if (!all_digits(text.substr(0, 4)) || !all_digits(text.substr(5, 2)) ||
      !all_digits(text.substr(8, 2))) {
    return false;
  }
  const std::chrono::year_month_day day{std::chrono::year{to_int(text.substr(0, 4))},
                                        std::chrono::month{static_cast<unsigned>(to_int(text.substr(5, 2)))},
                                        std::chrono::day{static_cast<unsigned>(to_int(text.substr(8, 2)))}};
  return day.ok();
}

}  // namespace stance
