#include "stance/record.hpp"

#include <array>
#include <cctype>

namespace stance {

namespace {

// Indexed by the enum's value; the names are part of the JSONL/CSV contract.
constexpr std::array<std::string_view, kStanceCount> kStanceNames{"demand", "accept", "reject"};

bool equals_ignoring_ascii_case(std::string_view lhs, std::string_view rhs) {
  if (lhs.size() != rhs.size()) return false;
  for (std::size_t i = 0; i < lhs.size(); ++i) {
    const auto left = static_cast<unsigned char>(lhs[i]);
    const auto right = static_cast<unsigned char>(rhs[i]);
    if (std::tolower(left) != std::tolower(right)) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(Stance stance) {
  const auto index = static_cast<std::size_t>(stance);
  // An out-of-range value can only come from a cast; naming it beats indexing past the array.
  return index < kStanceNames.size() ? kStanceNames[index] : std::string_view{"unknown"};
}

std::optional<Stance> parse_stance(std::string_view text) {
  // Rule packs and CLI filters are hand-written, so tolerate "Demand" as well as "demand".
  for (std::size_t i = 0; i < kStanceNames.size(); ++i) {
    if (equals_ignoring_ascii_case(text, kStanceNames[i])) return static_cast<Stance>(i);
  }
  return std::nullopt;
}

}  // namespace stance
