#include "io/fields.hpp"

#include <algorithm>
#include <chrono>

namespace stance::io {
namespace {

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view digits) {
  int value = 0;
  for (const char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::optional<std::string> date_problem(std::string_view date) {
  if (date.empty()) return std::nullopt;
  const bool shaped = date.size() == 10 && date[4] == '-' && date[7] == '-' &&
                      all_digits(date.substr(0, 4)) && all_digits(date.substr(5, 2)) &&
                      all_digits(date.substr(8, 2));
  if (!shaped) return "invalid date '" + std::string(date) + "' (expected YYYY-MM-DD)";
  const std::chrono::year_month_day day{
      std::chrono::year{to_int(date.substr(0, 4))},
      std::chrono::month{static_cast<unsigned>(to_int(date.substr(5, 2)))},
      std::chrono::day{static_cast<unsigned>(to_int(date.substr(8, 2)))}};
  if (!day.ok()) return "invalid date '" + std::string(date) + "' (no such day)";
  return std::nullopt;
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

}  // namespace stance::io
