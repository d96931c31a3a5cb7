#pragma once
// Internal to the report renderers: the matrix stores counts as doubles (they come out of Eigen),
// but every format shows them as whole numbers.
#include <cmath>
#include <cstddef>

#include "stance/matrix.hpp"

namespace stance::report_internal {

[[nodiscard]] inline long long count_at(const StanceMatrix& matrix, std::size_t actor,
                                        std::size_t issue, Stance stance) {
  return std::llround(matrix.count(actor, issue, stance));
}

}  // namespace stance::report_internal
