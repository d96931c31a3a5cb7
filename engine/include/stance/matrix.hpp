#pragma once
// The stance matrix and what is derived from it.
//
// StanceMatrix: actors x issues x {demand, accept, reject}, counts and confidence-weighted sums.
// A plain sum of records, so matrices of disjoint runs add up exactly (merge); its state can be
// listed as entries and rebuilt from them (serialisation for sharded runs). Storage is Eigen, kept
// out of this header.
//
// Analysis: a selection of records (filters, duplicate handling, time windows) turned into
// matrices whose every cell keeps the indices of its records, plus the derived views: actor x
// actor agreement and conflict, issue polarisation, coalitions and position shifts. The scales
// and normalisations are documented in docs/output.md.
#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stance/record.hpp"

namespace stance {

// One cell's numbers. Support = demand + accept; against = reject.
struct CellStats {
  std::array<double, kStanceCount> counts{};
  std::array<double, kStanceCount> weights{};  // sums of confidence

  [[nodiscard]] double count(Stance stance) const {
    return counts[static_cast<std::size_t>(stance)];
  }
  [[nodiscard]] double weight(Stance stance) const {
    return weights[static_cast<std::size_t>(stance)];
  }
  [[nodiscard]] double total_count() const { return counts[0] + counts[1] + counts[2]; }
  [[nodiscard]] bool empty() const { return total_count() == 0.0; }
  // (support weight - against weight) / (support weight + against weight), in [-1, 1]:
  // +1 only supported, -1 only rejected, 0 balanced. nullopt for an empty cell.
  [[nodiscard]] std::optional<double> net() const;
  // +1 when net > 0, -1 when net < 0, 0 when balanced or empty.
  [[nodiscard]] int side() const;
  // The stance with the largest weight, ties broken by count; nullopt when empty or still tied.
  [[nodiscard]] std::optional<Stance> dominant() const;
  // Both supported (demand or accept) and rejected.
  [[nodiscard]] bool contested() const;
};

// One stored number group of a matrix, for serialisation: the matrix is exactly the sum of its
// entries. `by_affiliation` entries are the roll-up layer (rows are affiliations).
struct MatrixEntry {
  bool by_affiliation = false;
  std::string row;
  std::string issue;
  Stance stance = Stance::demand;
  double count = 0.0;
  double weight = 0.0;
};

class StanceMatrix {
 public:
  StanceMatrix();
  // `issue_order`: issues listed first, in this order (e.g. the rule pack's order); others after,
  // sorted. Actors are sorted by id.
  explicit StanceMatrix(std::vector<std::string> issue_order);
  StanceMatrix(const StanceMatrix&);
  StanceMatrix(StanceMatrix&&) noexcept;
  StanceMatrix& operator=(const StanceMatrix&);
  StanceMatrix& operator=(StanceMatrix&&) noexcept;
  ~StanceMatrix();

  // Counts the record once, with weight 1 in the count and `confidence` in the weighted sum.
  void add(const StanceRecord& record);
  void add_all(std::span<const StanceRecord> records);
  // Adds every cell of `other` (axes are united).
  void merge(const StanceMatrix& other);

  // Every non-zero number group, both layers, in display order (rows, issues, stances).
  [[nodiscard]] std::vector<MatrixEntry> entries() const;
  // Adds one entry; a matrix built from another's issue_order() and entries() equals it.
  void add_entry(const MatrixEntry& entry);
  [[nodiscard]] const std::vector<std::string>& issue_order() const;

  // Rows are affiliations instead of actors (an actor with no affiliation is its own row).
  [[nodiscard]] StanceMatrix rolled_up_by_affiliation() const;

  [[nodiscard]] const std::vector<std::string>& actors() const;  // row labels, sorted
  [[nodiscard]] const std::vector<std::string>& issues() const;  // column labels
  [[nodiscard]] std::optional<std::size_t> find_actor(std::string_view actor) const;
  [[nodiscard]] std::optional<std::size_t> find_issue(std::string_view issue) const;
  [[nodiscard]] double count(std::size_t actor, std::size_t issue, Stance stance) const;
  [[nodiscard]] double weight(std::size_t actor, std::size_t issue, Stance stance) const;
  [[nodiscard]] CellStats cell(std::size_t actor, std::size_t issue) const;
  [[nodiscard]] double total() const;  // sum of all counts
  [[nodiscard]] bool empty() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// Dates and windows

// Days since 1970-01-01 of an ISO date "YYYY-MM-DD" (a longer string such as "2025-03-01T10:00Z"
// is read by its first ten characters); nullopt when it is not a valid date.
[[nodiscard]] std::optional<long> day_number(std::string_view iso_date);
// The ISO date of a day number.
[[nodiscard]] std::string iso_date(long day);
// "7d" -> 7, "2w" -> 14, "30" -> 30 (days); nullopt for anything else or a length below 1.
[[nodiscard]] std::optional<int> parse_days(std::string_view text);

// An inclusive range of ISO dates.
struct DateRange {
  std::string first;
  std::string last;
  friend bool operator==(const DateRange&, const DateRange&) = default;
};

// Windows of `length` days starting at `first`, `first + step`, ..., up to the first window that
// reaches `last` (so every day in [first, last] is covered when step <= length, and no window
// lies wholly past `last`). Empty when last < first.
[[nodiscard]] std::vector<DateRange> make_windows(long first, long last, int length, int step);

// ---------------------------------------------------------------------------------------------
// Derived views

// Actor x actor agreement and conflict over the issues either actor has a side on (side = sign
// of the cell's net position). For actors a, b with sides s_a, s_b over issues, and
// U = issues where s_a != 0 or s_b != 0:
//   agreement(a, b) = |{i : s_a(i) = s_b(i) != 0}| / |U|
//   conflict(a, b)  = |{i : s_a(i) = -s_b(i) != 0}| / |U|
// both in [0, 1] (0 when U is empty), agreement + conflict <= 1; congruence = agreement -
// conflict in [-1, 1].
class AgreementMatrix {
 public:
  AgreementMatrix() = default;
  AgreementMatrix(std::vector<std::string> actors, std::vector<double> agreement,
                  std::vector<double> conflict, std::vector<double> shared);

  [[nodiscard]] const std::vector<std::string>& actors() const { return actors_; }
  [[nodiscard]] std::size_t size() const { return actors_.size(); }
  [[nodiscard]] double agreement(std::size_t a, std::size_t b) const;
  [[nodiscard]] double conflict(std::size_t a, std::size_t b) const;
  [[nodiscard]] double congruence(std::size_t a, std::size_t b) const {
    return agreement(a, b) - conflict(a, b);
  }
  // |U|: the number of issues either actor has a side on (the normalising denominator).
  [[nodiscard]] double issues_either(std::size_t a, std::size_t b) const;

 private:
  std::vector<std::string> actors_;
  std::vector<double> agreement_;  // row-major, size x size
  std::vector<double> conflict_;
  std::vector<double> either_;
};

[[nodiscard]] AgreementMatrix agreement_matrix(const StanceMatrix& matrix);

// How split the actors are on one issue. Each actor with a side counts once:
// polarisation = 2 * min(supporters, opponents) / (supporters + opponents), in [0, 1]: 0 when
// all sides agree, 1 when they split evenly.
struct IssuePolarisation {
  std::string issue;
  std::size_t supporters = 0;  // actors with net > 0
  std::size_t opponents = 0;   // actors with net < 0
  std::size_t balanced = 0;    // actors with records but net = 0
  std::size_t contested = 0;   // actors who both supported and rejected it
  double mean_net = 0.0;       // mean net position of the actors with records
  double polarisation = 0.0;
};

[[nodiscard]] std::vector<IssuePolarisation> issue_polarisation(const StanceMatrix& matrix);

// Coalitions by average-linkage clustering on congruence: the two clusters with the highest
// mean pairwise congruence merge while that mean is above `threshold`. Pairs with no issue in
// common count as 0, so the default bar of 0.2 keeps one shared cause (everyone "supports a
// armistice") from chaining everybody together. Each cluster's actors are in matrix order;
// clusters by size (largest first), then by their first actor.
inline constexpr double kDefaultCoalitionThreshold = 0.2;
[[nodiscard]] std::vector<std::vector<std::string>> coalitions(
    const AgreementMatrix& agreement, double threshold = kDefaultCoalitionThreshold);

// ---------------------------------------------------------------------------------------------
// Record selection, duplicates, time slices

enum class CountMode : unsigned char {
  article,  // a (actor, issue, stance) triple counts once per article (Discourse Network Analyzer)
  mention,  // every record counts
};
enum class RowKind : unsigned char { actor, affiliation };

[[nodiscard]] std::string_view to_string(CountMode mode);
[[nodiscard]] std::string_view to_string(RowKind rows);

struct RecordFilter {
  std::vector<std::string> actors;  // keep records whose actor or affiliation is listed
  std::vector<std::string> issues;
  std::vector<std::string> sources;
  std::string since;  // ISO dates, inclusive; when set, records without a date are dropped
  std::string until;
  [[nodiscard]] bool keeps(const StanceRecord& record) const;
};

struct WindowSpec {
  int length_days = 0;  // 0: no time slicing
  int step_days = 0;    // 0: the window length (adjacent windows)
};

struct AnalysisOptions {
  std::vector<std::string> issue_order;
  RecordFilter filter;
  CountMode count = CountMode::article;
  RowKind rows = RowKind::actor;
  double min_count = 0.0;  // cells with fewer counted records are dropped (with their evidence)
  WindowSpec window;
  double coalition_threshold = kDefaultCoalitionThreshold;
};

// A matrix over some records (the whole selection or one time window) and, for every cell, the
// indices (into Analysis::records()) of the records behind it, repeat mentions included.
class Slice {
 public:
  DateRange range;  // the window; both empty for the whole selection
  StanceMatrix matrix;

  [[nodiscard]] std::span<const std::size_t> evidence(std::size_t row, std::size_t issue) const;
  [[nodiscard]] std::size_t record_count() const { return record_count_; }

 private:
  friend class Analysis;
  // (row * issues + issue) of each cell with its record indices, sorted by cell.
  std::vector<std::size_t> cell_of_;  // parallel to record_of_
  std::vector<std::size_t> record_of_;
  std::size_t record_count_ = 0;
};

// A position change between two windows: the cell's side in `to` differs from its side in the
// last earlier window where it had one.
struct PositionShift {
  std::string row;  // actor or affiliation
  std::string issue;
  DateRange from;
  DateRange to;
  std::optional<Stance> from_stance;  // dominant stance in each window
  std::optional<Stance> to_stance;
  double from_net = 0.0;
  double to_net = 0.0;
  std::vector<std::size_t> from_evidence;  // indices into Analysis::records()
  std::vector<std::size_t> to_evidence;
};

class Analysis {
 public:
  Analysis(std::vector<StanceRecord> records, AnalysisOptions options);

  [[nodiscard]] const AnalysisOptions& options() const { return options_; }
  // The records kept by the filter, by date (undated last), otherwise in input order.
  [[nodiscard]] std::span<const StanceRecord> records() const { return records_; }
  // False for a repeat of a triple already counted in the same article (CountMode::article).
  [[nodiscard]] bool counted(std::size_t record) const { return counted_.at(record); }
  // The row a record lands in: its actor, or its affiliation when rows are affiliations.
  [[nodiscard]] const std::string& row_of(const StanceRecord& record) const;
  [[nodiscard]] std::size_t undated_records() const { return undated_; }
  [[nodiscard]] DateRange dates() const { return dates_; }  // first and last record date

  [[nodiscard]] const Slice& overall() const { return overall_; }
  [[nodiscard]] std::span<const Slice> windows() const { return windows_; }

  [[nodiscard]] const AgreementMatrix& agreement() const { return agreement_; }
  [[nodiscard]] std::span<const IssuePolarisation> polarisation() const { return polarisation_; }
  [[nodiscard]] std::span<const std::vector<std::string>> coalitions() const { return coalitions_; }
  // Over the windows, or over the distinct record dates when there are no windows.
  [[nodiscard]] std::span<const PositionShift> shifts() const { return shifts_; }

 private:
  [[nodiscard]] Slice make_slice(const std::vector<std::size_t>& members, DateRange range) const;

  AnalysisOptions options_;
  std::vector<StanceRecord> records_;
  std::vector<bool> counted_;
  std::vector<double> counted_weight_;  // the confidence each counted record contributes
  std::size_t undated_ = 0;
  DateRange dates_;
  Slice overall_;
  std::vector<Slice> windows_;
  AgreementMatrix agreement_;
  std::vector<IssuePolarisation> polarisation_;
  std::vector<std::vector<std::string>> coalitions_;
  std::vector<PositionShift> shifts_;
};

// The shifts across a series of slices, in series order then row and issue order.
[[nodiscard]] std::vector<PositionShift> position_shifts(std::span<const Slice> series);

// position_shifts() one slice at a time, for a series too long to hold (a run over a year of
// articles has a slice per day): it keeps only the last side taken on each (row, issue).
class PositionShiftTracker {
 public:
  PositionShiftTracker() = default;
  // Hands each shift to `sink` as it is found instead of keeping it (shifts() stays empty).
  explicit PositionShiftTracker(std::function<void(PositionShift&&)> sink) : sink_(std::move(sink)) {}

  // The next slice of the series, in time order.
  void add(const Slice& slice);
  [[nodiscard]] const std::vector<PositionShift>& shifts() const { return shifts_; }
  [[nodiscard]] std::vector<PositionShift> take_shifts() { return std::move(shifts_); }

 private:
  struct LastSide {
    int side = 0;
    DateRange range;
    std::optional<Stance> dominant;
    double net = 0.0;
    std::vector<std::size_t> evidence;
  };
  std::map<std::pair<std::string, std::string>, LastSide> last_;  // by (row, issue) labels
  std::function<void(PositionShift&&)> sink_;
  std::vector<PositionShift> shifts_;
};

}  // namespace stance
