#pragma once
// The mergeable state of a run's stance matrix (stance run --emit partial, stance merge;
// docs/scale.md). For every (day, actor, affiliation, issue, stance) it keeps how many records
// counted and their summed confidence, so that the table, csv and csv-long outputs of a run, with
// any --by, --min-count or --window, are functions of it: shards coded apart and merged give
// exactly the single run's output, and a run that prints a matrix keeps this state instead of
// every record. Confidence sums are kept in whole millionths, so merging is exact and the result
// does not depend on the order of the shards.
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "stance/matrix.hpp"
#include "stance/record.hpp"
#include "stance/report.hpp"

namespace stance::cli {

// What two states must share to be merged: the same rules, counted the same way, over the same
// selection of records.
struct StateIdentity {
  std::string pack_id;
  std::string fingerprint;
  CountMode count = CountMode::article;
  RecordFilter filter;
  std::vector<std::string> issue_order;  // the pack's issues, in its order
};

class MatrixState {
 public:
  static constexpr int kVersion = 1;
  static constexpr const char* kFormat = "stance-partial";

  explicit MatrixState(StateIdentity identity);

  // One article read, with the records it yielded that the filter kept (possibly none). In article
  // mode a repeated (actor, issue, stance) counts once, weighted by its firmest mention.
  void add_article(std::span<const StanceRecord> records);

  // Why `other` cannot be merged into this state (a sentence naming the difference), or nullopt.
  [[nodiscard]] std::optional<std::string> incompatibility(const MatrixState& other) const;
  // Adds `other`; call only when incompatibility(other) is nullopt.
  void merge(const MatrixState& other);

  // The partial-state document on one line (a map step's output is one line per shard, docs/
  // scale.md), written as it goes; equal states give equal bytes.
  void write(std::ostream& out) const;
  // One partial-state document (one line), read without holding its entries as JSON.
  // Throws std::runtime_error naming what is wrong.
  [[nodiscard]] static MatrixState read(std::string_view document);

  [[nodiscard]] const StateIdentity& identity() const { return identity_; }
  [[nodiscard]] std::size_t articles() const { return articles_; }
  // Records kept by the filter that carry no valid date (they count, but in no window).
  [[nodiscard]] std::size_t undated_records() const { return undated_records_; }

  // A cell: records of one actor (with one affiliation) on one issue with one stance, on one day.
  struct Key {
    std::int64_t day = 0;  // kUndated when the records have no valid date
    std::uint32_t actor = 0, affiliation = 0, issue = 0;  // label numbers
    std::uint8_t stance = 0;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct Sums {
    std::int64_t count = 0;
    std::int64_t weight = 0;  // summed confidence, in millionths
  };
  using Cell = std::pair<const Key, Sums>;
  static constexpr std::int64_t kUndated = INT64_MIN;

  // Every cell, sorted by day (undated first), actor, affiliation, issue and stance.
  [[nodiscard]] std::vector<const Cell*> sorted_cells() const;
  [[nodiscard]] const std::string& label(std::uint32_t id) const { return labels_[id]; }

 private:
  struct KeyHash {
    std::size_t operator()(const Key& key) const;
  };

  std::uint32_t intern(const std::string& text);
  void add(const Key& key, std::int64_t count, std::int64_t weight);
  void grow_index();

  StateIdentity identity_;
  std::size_t articles_ = 0;
  std::size_t undated_records_ = 0;
  std::vector<std::string> labels_;
  std::unordered_map<std::string, std::uint32_t> label_ids_;
  // The cells, in order of first sight, and an open-addressing index over them (cell number + 1;
  // 0 is free). A deque never moves its cells, so growing it has no moment with two copies; with
  // the index this is about 55 bytes a cell, where an unordered_map took 85 (a year of a firehose
  // has millions of cells).
  std::deque<Cell> cells_;
  std::vector<std::uint32_t> index_;
};

// How a state is shown: the run's --by, --min-count, --window and --step.
struct ViewOptions {
  RowKind rows = RowKind::actor;
  double min_count = 0.0;
  WindowSpec window;
};

// The matrices a run shows, built from a state exactly as Analysis builds them from records: the
// whole selection and the windows (when asked for).
struct MatrixViews {
  RowKind rows = RowKind::actor;
  bool windowed = false;
  StanceMatrix overall;
  std::vector<Slice> windows;
};

[[nodiscard]] MatrixViews make_views(const MatrixState& state, const ViewOptions& options);

// The position shifts Analysis finds for the same records, in its order, each handed to `visit`
// as it is found rather than gathered: without windows every day is a moment, and a year of a
// firehose holds more shifts than is worth keeping at once.
void for_each_shift(const MatrixState& state, const ViewOptions& options, const MatrixViews& views,
                    const std::function<void(const PositionShift&)>& visit);

// The table, csv and csv-long formats of docs/output.md, from views; byte for byte what the
// Analysis-based writers print for the same records (tests/test_scale.cpp holds them to it).
void write_views_table(std::ostream& out, const MatrixState& state, const ViewOptions& view,
                       const MatrixViews& views, const TableOptions& options);
void write_views_csv(std::ostream& out, const MatrixViews& views);
void write_views_csv_long(std::ostream& out, const MatrixViews& views);

// The formats a state can show (those that need no single record).
[[nodiscard]] bool is_matrix_format(std::string_view format);  // table, csv, csv-long
// The table's settings for where the output goes: colour only on a terminal (never into a file,
// never against NO_COLOR or --no-color), as wide as $COLUMNS or the terminal.
[[nodiscard]] TableOptions table_options_for(bool to_file, bool no_color, RowKind rows);
// `format` of the state, as `stance run` prints it (the table under its one-line summary).
void write_matrix_report(std::ostream& out, std::string_view format, const MatrixState& state,
                         const ViewOptions& view, const TableOptions& table);

}  // namespace stance::cli
