// Derived views of a stance matrix: per-cell summaries, actor agreement, issue polarisation,
// coalitions and position shifts.
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "stance/matrix.hpp"

namespace stance {

// ---------------------------------------------------------------------------------------------
// CellStats

std::optional<double> CellStats::net() const {
  const double support = weight(Stance::demand) + weight(Stance::accept);
  const double against = weight(Stance::reject);
  const double sum = support + against;
  if (sum > 0.0) return (support - against) / sum;
  // Records whose confidence is zero still say which side the actor took.
  if (empty()) return std::nullopt;
  const double support_n = count(Stance::demand) + count(Stance::accept);
  const double against_n = count(Stance::reject);
  return (support_n - against_n) / (support_n + against_n);
}

int CellStats::side() const {
  const auto value = net();
  if (!value || *value == 0.0) return 0;
  return *value > 0.0 ? 1 : -1;
}

std::optional<Stance> CellStats::dominant() const {
  if (empty()) return std::nullopt;
  std::size_t best = 0;
  bool tied = false;
  for (std::size_t s = 1; s < kStanceCount; ++s) {
    const auto key = std::pair(weights[s], counts[s]);
    const auto best_key = std::pair(weights[best], counts[best]);
    if (key > best_key) {
      best = s;
      tied = false;
    } else if (key == best_key) {
      tied = true;
    }
  }
  if (tied) return std::nullopt;
  return static_cast<Stance>(best);
}

bool CellStats::contested() const {
  return count(Stance::demand) + count(Stance::accept) > 0.0 && count(Stance::reject) > 0.0;
}

// ---------------------------------------------------------------------------------------------
// Agreement

AgreementMatrix::AgreementMatrix(std::vector<std::string> actors, std::vector<double> agreement,
                                 std::vector<double> conflict, std::vector<double> shared)
    : actors_(std::move(actors)),
      agreement_(std::move(agreement)),
      conflict_(std::move(conflict)),
      either_(std::move(shared)) {
  const std::size_t cells = actors_.size() * actors_.size();
  if (agreement_.size() != cells || conflict_.size() != cells || either_.size() != cells) {
    throw std::invalid_argument("AgreementMatrix: values do not match the number of actors");
  }
}

namespace {

std::size_t checked_index(std::size_t size, std::size_t a, std::size_t b) {
  if (a >= size || b >= size) throw std::out_of_range("AgreementMatrix: index out of range");
  return a * size + b;
}

}  // namespace

double AgreementMatrix::agreement(std::size_t a, std::size_t b) const {
  return agreement_[checked_index(actors_.size(), a, b)];
}

double AgreementMatrix::conflict(std::size_t a, std::size_t b) const {
  return conflict_[checked_index(actors_.size(), a, b)];
}

double AgreementMatrix::issues_either(std::size_t a, std::size_t b) const {
  return either_[checked_index(actors_.size(), a, b)];
}

AgreementMatrix agreement_matrix(const StanceMatrix& matrix) {
  const auto rows = static_cast<Eigen::Index>(matrix.actors().size());
  const auto columns = static_cast<Eigen::Index>(matrix.issues().size());
  // Indicator matrices of the sides: positive(a, i) = 1 when a's net on i is > 0, and so on.
  Eigen::MatrixXd positive = Eigen::MatrixXd::Zero(rows, columns);
  Eigen::MatrixXd negative = Eigen::MatrixXd::Zero(rows, columns);
  for (Eigen::Index a = 0; a < rows; ++a) {
    for (Eigen::Index i = 0; i < columns; ++i) {
      const int side = matrix.cell(static_cast<std::size_t>(a), static_cast<std::size_t>(i)).side();
      if (side > 0) positive(a, i) = 1.0;
      if (side < 0) negative(a, i) = 1.0;
    }
  }
  const Eigen::MatrixXd any = positive + negative;
  const Eigen::MatrixXd same = positive * positive.transpose() + negative * negative.transpose();
  const Eigen::MatrixXd opposite =
      positive * negative.transpose() + negative * positive.transpose();
  const Eigen::VectorXd sided = any.rowwise().sum();
  // |U_a ∪ U_b| = |U_a| + |U_b| - |U_a ∩ U_b|
  const Eigen::MatrixXd either =
      sided.replicate(1, rows) + sided.transpose().replicate(rows, 1) - any * any.transpose();

  const auto n = static_cast<std::size_t>(rows);
  std::vector<double> agreement(n * n, 0.0);
  std::vector<double> conflict(n * n, 0.0);
  std::vector<double> union_size(n * n, 0.0);
  for (Eigen::Index a = 0; a < rows; ++a) {
    for (Eigen::Index b = 0; b < rows; ++b) {
      const std::size_t k = static_cast<std::size_t>(a) * n + static_cast<std::size_t>(b);
      union_size[k] = either(a, b);
      if (either(a, b) == 0.0) continue;
      agreement[k] = same(a, b) / either(a, b);
      conflict[k] = opposite(a, b) / either(a, b);
    }
  }
  return {matrix.actors(), std::move(agreement), std::move(conflict), std::move(union_size)};
}

// ---------------------------------------------------------------------------------------------
// Polarisation

std::vector<IssuePolarisation> issue_polarisation(const StanceMatrix& matrix) {
  std::vector<IssuePolarisation> result;
  const auto& issues = matrix.issues();
  result.reserve(issues.size());
  for (std::size_t i = 0; i < issues.size(); ++i) {
    IssuePolarisation entry;
    entry.issue = issues[i];
    double net_sum = 0.0;
    std::size_t with_records = 0;
    for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
      const CellStats cell = matrix.cell(a, i);
      const auto net = cell.net();
      if (!net) continue;
      ++with_records;
      net_sum += *net;
      if (cell.contested()) ++entry.contested;
      switch (cell.side()) {
        case 1: ++entry.supporters; break;
        case -1: ++entry.opponents; break;
        default: ++entry.balanced; break;
      }
    }
    if (with_records > 0) entry.mean_net = net_sum / static_cast<double>(with_records);
    const std::size_t sided = entry.supporters + entry.opponents;
    if (sided > 0) {
      entry.polarisation = 2.0 * static_cast<double>(std::min(entry.supporters, entry.opponents)) /
                           static_cast<double>(sided);
    }
    result.push_back(std::move(entry));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Coalitions

std::vector<std::vector<std::string>> coalitions(const AgreementMatrix& agreement,
                                                 double threshold) {
  const std::size_t n = agreement.size();
  // Clusters as lists of actor indices; merged pairwise. n is the number of actors on screen
  // (tens to a few hundred), so the O(n^3) naive linkage is fine and easy to verify.
  std::vector<std::vector<std::size_t>> clusters;
  clusters.reserve(n);
  for (std::size_t a = 0; a < n; ++a) clusters.push_back({a});

  const auto linkage = [&](const std::vector<std::size_t>& left,
                           const std::vector<std::size_t>& right) {
    double sum = 0.0;
    for (const std::size_t a : left) {
      for (const std::size_t b : right) sum += agreement.congruence(a, b);
    }
    return sum / static_cast<double>(left.size() * right.size());
  };

  while (clusters.size() > 1) {
    double best = -std::numeric_limits<double>::infinity();
    std::size_t best_left = 0;
    std::size_t best_right = 0;
    for (std::size_t l = 0; l < clusters.size(); ++l) {
      for (std::size_t r = l + 1; r < clusters.size(); ++r) {
        const double value = linkage(clusters[l], clusters[r]);
        // Strictly greater: the first pair in order wins a tie, so results are deterministic.
        if (value > best) {
          best = value;
          best_left = l;
          best_right = r;
        }
      }
    }
    if (!(best > threshold)) break;
    auto& left = clusters[best_left];
    left.insert(left.end(), clusters[best_right].begin(), clusters[best_right].end());
    std::sort(left.begin(), left.end());
    clusters.erase(clusters.begin() + static_cast<std::ptrdiff_t>(best_right));
  }

  std::sort(clusters.begin(), clusters.end(), [](const auto& left, const auto& right) {
    if (left.size() != right.size()) return left.size() > right.size();
    return left.front() < right.front();
  });
  std::vector<std::vector<std::string>> named;
  named.reserve(clusters.size());
  for (const auto& cluster : clusters) {
    std::vector<std::string> names;
    names.reserve(cluster.size());
    for (const std::size_t a : cluster) names.push_back(agreement.actors()[a]);
    named.push_back(std::move(names));
  }
  return named;
}

// ---------------------------------------------------------------------------------------------
// Position shifts

void PositionShiftTracker::add(const Slice& slice) {
  const StanceMatrix& matrix = slice.matrix;
  for (std::size_t a = 0; a < matrix.actors().size(); ++a) {
    for (std::size_t i = 0; i < matrix.issues().size(); ++i) {
      const CellStats cell = matrix.cell(a, i);
      const int side = cell.side();
      if (side == 0) continue;
      auto key = std::pair(matrix.actors()[a], matrix.issues()[i]);
      const auto evidence = slice.evidence(a, i);
      auto [found, inserted] = last_.try_emplace(std::move(key));
      LastSide& last = found->second;
      if (!inserted && last.side != side) {
        PositionShift shift;
        shift.row = found->first.first;
        shift.issue = found->first.second;
        shift.from = last.range;
        shift.to = slice.range;
        shift.from_stance = last.dominant;
        shift.to_stance = cell.dominant();
        shift.from_net = last.net;
        shift.to_net = cell.net().value_or(0.0);
        shift.from_evidence = last.evidence;
        shift.to_evidence.assign(evidence.begin(), evidence.end());
        if (sink_) sink_(std::move(shift));
        else shifts_.push_back(std::move(shift));
      }
      last.side = side;
      last.range = slice.range;
      last.dominant = cell.dominant();
      last.net = cell.net().value_or(0.0);
      last.evidence.assign(evidence.begin(), evidence.end());
    }
  }
}

std::vector<PositionShift> position_shifts(std::span<const Slice> series) {
  PositionShiftTracker tracker;
  for (const Slice& slice : series) tracker.add(slice);
  return tracker.take_shifts();
}

}  // namespace stance
