#include "stance/matrix.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace stance {

namespace {

// Orders labels along an axis; `true` when the first label goes before the second.
using LabelLess = std::function<bool(const std::string&, const std::string&)>;

// One labelled axis. Each label owns a storage slot (its row or column in the Eigen matrices),
// handed out in first-seen order and never moved; the display order is kept separately as a
// sorted list of labels with their slots. A new label therefore costs an O(labels) shift of
// names and indices, never a copy of the Eigen storage, and results do not depend on the order
// in which records arrived.
class Axis {
 public:
  [[nodiscard]] std::optional<std::size_t> find(const std::string& label) const {
    const auto found = slot_of_.find(label);
    if (found == slot_of_.end()) return std::nullopt;
    return found->second;
  }

  // The label's slot, adding the label (at its sorted position) if it is new.
  std::size_t slot_for(const std::string& label, const LabelLess& less) {
    if (const auto existing = find(label)) return *existing;
    const std::size_t slot = slot_of_.size();
    const auto position = std::lower_bound(labels_.begin(), labels_.end(), label, less);
    const auto offset = position - labels_.begin();
    labels_.insert(position, label);
    slots_.insert(slots_.begin() + offset, slot);
    slot_of_.emplace(label, slot);
    return slot;
  }

  // Re-sorts the display order (slots stay where they are).
  void resort(const LabelLess& less) {
    std::vector<std::size_t> order(labels_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return less(labels_[a], labels_[b]); });
    std::vector<std::string> labels;
    std::vector<std::size_t> slots;
    labels.reserve(order.size());
    slots.reserve(order.size());
    for (const std::size_t i : order) {
      labels.push_back(std::move(labels_[i]));
      slots.push_back(slots_[i]);
    }
    labels_ = std::move(labels);
    slots_ = std::move(slots);
  }

  [[nodiscard]] const std::vector<std::string>& labels() const { return labels_; }
  [[nodiscard]] std::size_t slot_at(std::size_t position) const { return slots_.at(position); }
  [[nodiscard]] std::size_t size() const { return labels_.size(); }

 private:
  std::vector<std::string> labels_;  // display order
  std::vector<std::size_t> slots_;   // slots_[position] = storage slot of labels_[position]
  std::unordered_map<std::string, std::size_t> slot_of_;
};

// Counts and confidence-weighted sums for one choice of rows (actors or affiliations); columns
// are the matrix's shared issue axis. Storage is over-allocated so growth is amortised; cells
// beyond the used slots stay zero, which lets totals sum whole matrices.
struct Layer {
  Axis rows;
  std::array<Eigen::MatrixXd, kStanceCount> counts;
  std::array<Eigen::MatrixXd, kStanceCount> weights;

  void reserve(std::size_t row_slots, std::size_t column_slots) {
    const auto current_rows = static_cast<std::size_t>(counts[0].rows());
    const auto current_cols = static_cast<std::size_t>(counts[0].cols());
    if (row_slots <= current_rows && column_slots <= current_cols) return;
    const auto grown = [](std::size_t needed, std::size_t current) {
      return needed <= current ? current : std::max({needed, current * 2, std::size_t{4}});
    };
    const auto rows_now = static_cast<Eigen::Index>(grown(row_slots, current_rows));
    const auto cols_now = static_cast<Eigen::Index>(grown(column_slots, current_cols));
    for (std::size_t s = 0; s < kStanceCount; ++s) {
      counts[s].conservativeResizeLike(Eigen::MatrixXd::Zero(rows_now, cols_now));
      weights[s].conservativeResizeLike(Eigen::MatrixXd::Zero(rows_now, cols_now));
    }
  }

  void add(std::size_t row_slot, std::size_t column_slot, std::size_t stance, double count,
           double weight) {
    const auto r = static_cast<Eigen::Index>(row_slot);
    const auto c = static_cast<Eigen::Index>(column_slot);
    counts[stance](r, c) += count;
    weights[stance](r, c) += weight;
  }

  [[nodiscard]] double cell(const std::array<Eigen::MatrixXd, kStanceCount>& storage,
                            std::size_t row, std::size_t column_slot, Stance stance) const {
    return storage[static_cast<std::size_t>(stance)](static_cast<Eigen::Index>(rows.slot_at(row)),
                                                     static_cast<Eigen::Index>(column_slot));
  }
};

}  // namespace

struct StanceMatrix::Impl {
  std::vector<std::string> issue_order;                     // de-duplicated, as given
  std::unordered_map<std::string, std::size_t> issue_rank;  // issue -> position in issue_order
  Axis issues;
  // Both layers see every record, so the roll-up is exact even when an actor's affiliation
  // differs between records (a party switch within the corpus): each record lands in the
  // affiliation it was coded with, and no "which affiliation wins" rule is needed.
  Layer by_actor;
  Layer by_affiliation;

  explicit Impl(std::vector<std::string> order = {}) { set_issue_order(std::move(order)); }

  void set_issue_order(std::vector<std::string> order) {
    issue_order.clear();
    issue_rank.clear();
    for (auto& issue : order) {
      if (issue_rank.emplace(issue, issue_order.size()).second) {
        issue_order.push_back(std::move(issue));
      }
    }
  }

  [[nodiscard]] LabelLess issue_less() const {
    return [this](const std::string& a, const std::string& b) {
      // Listed issues first, in list order; the rest after, by id.
      const auto rank = [this](const std::string& issue) {
        const auto found = issue_rank.find(issue);
        return found == issue_rank.end() ? std::numeric_limits<std::size_t>::max() : found->second;
      };
      const std::size_t rank_a = rank(a);
      const std::size_t rank_b = rank(b);
      if (rank_a != rank_b) return rank_a < rank_b;
      return a < b;
    };
  }

  static LabelLess row_less() { return std::less<std::string>{}; }

  std::size_t issue_slot(const std::string& issue) { return issues.slot_for(issue, issue_less()); }

  void add_cell(Layer& layer, const std::string& row, std::size_t column_slot, std::size_t stance,
                double count, double weight) {
    const std::size_t row_slot = layer.rows.slot_for(row, row_less());
    layer.reserve(row_slot + 1, issues.size());
    layer.add(row_slot, column_slot, stance, count, weight);
  }

  // Adds every used cell of `from` into `into`; `column_map[slot in from] = slot here`.
  void merge_layer(Layer& into, const Layer& from, const std::vector<std::size_t>& column_map) {
    const std::size_t from_rows = from.rows.size();
    std::vector<std::size_t> row_map(from_rows);
    for (std::size_t position = 0; position < from_rows; ++position) {
      row_map[from.rows.slot_at(position)] =
          into.rows.slot_for(from.rows.labels()[position], row_less());
    }
    into.reserve(into.rows.size(), issues.size());
    for (std::size_t s = 0; s < kStanceCount; ++s) {
      for (std::size_t c = 0; c < column_map.size(); ++c) {
        const auto to_col = static_cast<Eigen::Index>(column_map[c]);
        const auto from_col = static_cast<Eigen::Index>(c);
        for (std::size_t r = 0; r < from_rows; ++r) {
          const auto to_row = static_cast<Eigen::Index>(row_map[r]);
          const auto from_row = static_cast<Eigen::Index>(r);
          into.counts[s](to_row, to_col) += from.counts[s](from_row, from_col);
          into.weights[s](to_row, to_col) += from.weights[s](from_row, from_col);
        }
      }
    }
  }
};

StanceMatrix::StanceMatrix() : impl_(std::make_unique<Impl>()) {}

StanceMatrix::StanceMatrix(std::vector<std::string> issue_order)
    : impl_(std::make_unique<Impl>(std::move(issue_order))) {}

StanceMatrix::StanceMatrix(const StanceMatrix& other)
    : impl_(other.impl_ ? std::make_unique<Impl>(*other.impl_) : std::make_unique<Impl>()) {}

StanceMatrix::StanceMatrix(StanceMatrix&&) noexcept = default;

StanceMatrix& StanceMatrix::operator=(const StanceMatrix& other) {
  if (this != &other) {
    impl_ = other.impl_ ? std::make_unique<Impl>(*other.impl_) : std::make_unique<Impl>();
  }
  return *this;
}

StanceMatrix& StanceMatrix::operator=(StanceMatrix&&) noexcept = default;

StanceMatrix::~StanceMatrix() = default;

void StanceMatrix::add(const StanceRecord& record) {
  if (!impl_) impl_ = std::make_unique<Impl>();  // a moved-from matrix is reusable
  const auto stance = static_cast<std::size_t>(record.stance);
  if (stance >= kStanceCount) throw std::invalid_argument("stance record with an invalid stance");
  const std::size_t column = impl_->issue_slot(record.issue);
  const std::string& affiliation = record.affiliation.empty() ? record.actor : record.affiliation;
  impl_->add_cell(impl_->by_actor, record.actor, column, stance, 1.0, record.confidence);
  impl_->add_cell(impl_->by_affiliation, affiliation, column, stance, 1.0, record.confidence);
}

void StanceMatrix::add_all(std::span<const StanceRecord> records) {
  for (const StanceRecord& record : records) add(record);
}

void StanceMatrix::merge(const StanceMatrix& other) {
  if (!other.impl_) return;
  if (&other == this) {
    const StanceMatrix copy(other);
    merge(copy);
    return;
  }
  if (!impl_) impl_ = std::make_unique<Impl>();
  Impl& self = *impl_;
  const Impl& from = *other.impl_;
  // A default-constructed accumulator (the usual `total.merge(part)` loop) takes the parts'
  // issue order rather than silently falling back to alphabetical columns.
  if (self.issue_order.empty() && !from.issue_order.empty()) {
    self.set_issue_order(from.issue_order);
    self.issues.resort(self.issue_less());
  }
  std::vector<std::size_t> column_map(from.issues.size());
  for (std::size_t position = 0; position < from.issues.size(); ++position) {
    column_map[from.issues.slot_at(position)] = self.issue_slot(from.issues.labels()[position]);
  }
  self.merge_layer(self.by_actor, from.by_actor, column_map);
  self.merge_layer(self.by_affiliation, from.by_affiliation, column_map);
}

StanceMatrix StanceMatrix::rolled_up_by_affiliation() const {
  StanceMatrix rolled;
  if (!impl_) return rolled;
  Impl& result = *rolled.impl_;
  result.set_issue_order(impl_->issue_order);
  result.issues = impl_->issues;
  result.by_actor = impl_->by_affiliation;
  // An affiliation row is its own affiliation, so rolling up twice changes nothing.
  result.by_affiliation = impl_->by_affiliation;
  return rolled;
}

const std::vector<std::string>& StanceMatrix::actors() const {
  static const std::vector<std::string> kNone;  // only for a moved-from matrix
  return impl_ ? impl_->by_actor.rows.labels() : kNone;
}

const std::vector<std::string>& StanceMatrix::issues() const {
  static const std::vector<std::string> kNone;  // only for a moved-from matrix
  return impl_ ? impl_->issues.labels() : kNone;
}

double StanceMatrix::count(std::size_t actor, std::size_t issue, Stance stance) const {
  if (!impl_ || actor >= impl_->by_actor.rows.size() || issue >= impl_->issues.size() ||
      static_cast<std::size_t>(stance) >= kStanceCount) {
    throw std::out_of_range("StanceMatrix::count: index out of range");
  }
  const Layer& layer = impl_->by_actor;
  return layer.cell(layer.counts, actor, impl_->issues.slot_at(issue), stance);
}

double StanceMatrix::weight(std::size_t actor, std::size_t issue, Stance stance) const {
  if (!impl_ || actor >= impl_->by_actor.rows.size() || issue >= impl_->issues.size() ||
      static_cast<std::size_t>(stance) >= kStanceCount) {
    throw std::out_of_range("StanceMatrix::weight: index out of range");
  }
  const Layer& layer = impl_->by_actor;
  return layer.cell(layer.weights, actor, impl_->issues.slot_at(issue), stance);
}

std::vector<MatrixEntry> StanceMatrix::entries() const {
  std::vector<MatrixEntry> result;
  if (!impl_) return result;
  const Impl& self = *impl_;
  for (const bool by_affiliation : {false, true}) {
    const Layer& layer = by_affiliation ? self.by_affiliation : self.by_actor;
    for (std::size_t r = 0; r < layer.rows.size(); ++r) {
      for (std::size_t i = 0; i < self.issues.size(); ++i) {
        const std::size_t column = self.issues.slot_at(i);
        for (std::size_t s = 0; s < kStanceCount; ++s) {
          const auto stance = static_cast<Stance>(s);
          const double count = layer.cell(layer.counts, r, column, stance);
          const double weight = layer.cell(layer.weights, r, column, stance);
          if (count == 0.0 && weight == 0.0) continue;
          result.push_back({by_affiliation, layer.rows.labels()[r], self.issues.labels()[i], stance,
                            count, weight});
        }
      }
    }
  }
  return result;
}

void StanceMatrix::add_entry(const MatrixEntry& entry) {
  if (!impl_) impl_ = std::make_unique<Impl>();
  const auto stance = static_cast<std::size_t>(entry.stance);
  if (stance >= kStanceCount) throw std::invalid_argument("matrix entry with an invalid stance");
  const std::size_t column = impl_->issue_slot(entry.issue);
  Layer& layer = entry.by_affiliation ? impl_->by_affiliation : impl_->by_actor;
  impl_->add_cell(layer, entry.row, column, stance, entry.count, entry.weight);
  // The other layer may not have seen this issue yet; its storage must still cover the column.
  Layer& other = entry.by_affiliation ? impl_->by_actor : impl_->by_affiliation;
  other.reserve(other.rows.size(), impl_->issues.size());
}

const std::vector<std::string>& StanceMatrix::issue_order() const {
  static const std::vector<std::string> kNone;  // only for a moved-from matrix
  return impl_ ? impl_->issue_order : kNone;
}

std::optional<std::size_t> StanceMatrix::find_actor(std::string_view actor) const {
  if (!impl_) return std::nullopt;
  const auto& labels = impl_->by_actor.rows.labels();
  // Rows are sorted by plain string order.
  const auto found =
      std::lower_bound(labels.begin(), labels.end(), actor,
                       [](const std::string& a, std::string_view b) { return a < b; });
  if (found == labels.end() || *found != actor) return std::nullopt;
  return static_cast<std::size_t>(found - labels.begin());
}

std::optional<std::size_t> StanceMatrix::find_issue(std::string_view issue) const {
  if (!impl_) return std::nullopt;
  const auto& labels = impl_->issues.labels();
  const auto found = std::find(labels.begin(), labels.end(), issue);
  if (found == labels.end()) return std::nullopt;
  return static_cast<std::size_t>(found - labels.begin());
}

CellStats StanceMatrix::cell(std::size_t actor, std::size_t issue) const {
  CellStats stats;
  for (std::size_t s = 0; s < kStanceCount; ++s) {
    stats.counts[s] = count(actor, issue, static_cast<Stance>(s));
    stats.weights[s] = weight(actor, issue, static_cast<Stance>(s));
  }
  return stats;
}

double StanceMatrix::total() const {
  if (!impl_) return 0.0;
  double sum = 0.0;
  // Unused capacity is zero, so whole-matrix sums are exact.
  for (const Eigen::MatrixXd& counts : impl_->by_actor.counts) sum += counts.sum();
  return sum;
}

bool StanceMatrix::empty() const { return !impl_ || impl_->by_actor.rows.size() == 0; }

}  // namespace stance
