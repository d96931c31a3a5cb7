#pragma once
// The persistent store: every version of every article, the runs and rule packs that coded them,
// and their stance records, so positions can be tracked over time (docs/store.md).
//
// `Store` is what the CLI needs from a store; `open_sqlite_store` gives the local SQLite one. A
// shared server store can implement the same interface later. The second half of this header
// works on records from any store: positions over time and the effect of a re-coding.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stance/article.hpp"
#include "stance/record.hpp"

namespace stance {

// The schema version this build writes; stores with an older one are migrated on open.
inline constexpr int kStoreSchemaVersion = 1;

// Any failure of the store: cannot open, not a stance store, a newer schema, busy past the
// timeout, disk full, ... The message names the store and what was being done.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Hex SHA-256 over the article's content (date, source, url, title, text), not its id or origin:
// the same id with the same hash is the same article, wherever it was read from.
[[nodiscard]] std::string content_hash(const Article& article);

// True for YYYY-MM-DD naming a real day (the only date form articles and queries use).
[[nodiscard]] bool is_iso_date(std::string_view text);

// ---------------------------------------------------------------------------------------------
// Values the store keeps

enum class RunKind : unsigned char { ingest, recode };

struct RunInfo {
  RunKind kind = RunKind::ingest;
  std::string rules_id;
  std::string rules_fingerprint;
  std::string rules_directory;
  std::vector<std::string> issue_order;  // the pack's issues in definition order (matrix columns)
  std::string arguments;                 // the command line, for the record
};

// What a run did. Each committed batch adds its own counts in the same transaction, so a killed
// run's counts still describe exactly what it stored.
struct RunCounts {
  std::size_t added = 0;      // new ids, stored as version 1
  std::size_t versioned = 0;  // known ids with new content, stored as a new version
  std::size_t unchanged = 0;  // already stored with the same content: nothing written
  std::size_t recoded = 0;    // articles whose records a recode replaced
  std::size_t records = 0;    // stance records written
  std::size_t skipped = 0;    // inputs that could not be read
};

struct RunRow {
  std::int64_t id = 0;
  RunInfo info;
  std::string engine_version;
  std::string started_at;   // UTC, ISO 8601
  std::string finished_at;  // empty while the run goes on, or for ever if its process died
  RunCounts counts;
};

// One stored version of an article.
struct ArticleVersion {
  std::int64_t key = 0;  // the store's handle for this version
  std::string id;
  int version = 0;  // 1, 2, ... in the order the contents arrived
  std::string content_hash;
  std::string origin;             // where this version was read from ("path" or "path:line")
  std::int64_t stored_by = 0;     // the run that stored it
  std::string stored_at;          // UTC, ISO 8601
  std::string rules_fingerprint;  // of the rules its current records were coded with
};

struct CodedArticle {
  Article article;
  std::string content_hash;           // content_hash(article)
  std::vector<StanceRecord> records;  // Engine::code(article)
};

enum class StoreOutcome : unsigned char { added, unchanged, versioned };

struct StoreResult {
  StoreOutcome outcome = StoreOutcome::added;
  ArticleVersion current;                  // the id's current version after the batch
  std::optional<ArticleVersion> previous;  // the version it superseded (versioned only)
};

// A current article with the records of its current coding: what recode starts from.
struct StoredArticle {
  ArticleVersion version;
  Article article;
  std::vector<StanceRecord> records;
};

struct Recoding {
  std::int64_t key = 0;               // ArticleVersion::key
  std::vector<StanceRecord> records;  // the new coding, replacing the old one whole
};

// Selects records of the current version of each article. Dates are YYYY-MM-DD, both bounds
// inclusive; an undated article matches only when neither bound is set.
struct RecordQuery {
  std::string since;  // empty: no lower bound
  std::string until;  // empty: no upper bound
  std::string actor;  // empty: every actor
  std::string issue;  // empty: every issue
};

struct CellCount {
  std::string actor;
  std::string issue;
  Stance stance = Stance::demand;
  std::size_t count = 0;
};

struct StoreSummary {
  std::size_t articles = 0;  // distinct ids
  std::size_t versions = 0;  // stored versions, old ones included (>= articles)
  std::size_t records = 0;   // records of current versions
  std::size_t runs = 0;
  // Rule fingerprints the current versions were coded with, each with its number of articles.
  std::vector<std::pair<std::string, std::size_t>> codings;
};

// Keeps one consistent view while alive: every query made through the store sees the same data,
// whatever concurrent writers commit meanwhile. Release it before writing through the same store.
class ReadSnapshot {
 public:
  virtual ~ReadSnapshot() = default;
};

// ---------------------------------------------------------------------------------------------
// The interface

class Store {
 public:
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // For messages: the file or server the store lives in.
  [[nodiscard]] virtual std::string location() const = 0;
  [[nodiscard]] virtual int schema_version() const = 0;

  // Runs. finish_run adds counts no batch carried (unchanged, skipped) and stamps the end.
  virtual std::int64_t begin_run(const RunInfo& info) = 0;
  virtual void finish_run(std::int64_t run, const RunCounts& unbatched) = 0;
  [[nodiscard]] virtual std::vector<RunRow> runs() const = 0;

  // The current version of each of `ids` the store knows; unknown ids are left out.
  [[nodiscard]] virtual std::vector<ArticleVersion> current_versions(
      std::span<const std::string> ids) const = 0;

  // Stores a batch in one transaction: all of it, or nothing if it throws. Each article is
  // compared with its id's current version when written: same content is `unchanged` (nothing
  // written), a new id is `added`, other content becomes a new current version (`versioned`; the
  // old version and its records stay). Results are in batch order.
  virtual std::vector<StoreResult> store_articles(std::int64_t run,
                                                  std::string_view rules_fingerprint,
                                                  std::span<const CodedArticle> batch) = 0;

  // Keys of current versions coded with rules other than `fingerprint` (all of them when it is
  // empty), in id order.
  [[nodiscard]] virtual std::vector<std::int64_t> articles_to_recode(
      std::string_view fingerprint) const = 0;
  [[nodiscard]] virtual std::vector<StoredArticle> load_articles(
      std::span<const std::int64_t> keys) const = 0;
  // Replaces each article's records, in one transaction for the whole batch.
  virtual void replace_codings(std::int64_t run, std::string_view rules_fingerprint,
                               std::span<const Recoding> batch) = 0;

  // Records of current versions ordered by article date (undated first), article id, then text
  // order; each carries its article's date and source.
  [[nodiscard]] virtual std::vector<StanceRecord> records(const RecordQuery& query) const = 0;
  // Current articles within the query's dates (its actor and issue are ignored).
  [[nodiscard]] virtual std::size_t article_count(const RecordQuery& query) const = 0;
  // Record counts per (actor, issue, stance) over all current versions.
  [[nodiscard]] virtual std::vector<CellCount> cell_counts() const = 0;
  // The issue order of the latest run's rule pack (matrix columns), empty before any run.
  [[nodiscard]] virtual std::vector<std::string> issue_order() const = 0;
  [[nodiscard]] virtual StoreSummary summary() const = 0;
  // StoreSummary::codings alone, without counting the records (cheap on a large store).
  [[nodiscard]] virtual std::vector<std::pair<std::string, std::size_t>> codings() const = 0;

  [[nodiscard]] virtual std::unique_ptr<ReadSnapshot> read_snapshot() = 0;

 protected:
  Store() = default;
};

enum class OpenMode : unsigned char {
  create,    // create the file when missing (ingest)
  existing,  // the file must exist, so a mistyped path never leaves an empty store behind
};

struct StoreOptions {
  // How long a write waits for another writer (and a reader for a checkpoint) before failing.
  int busy_timeout_ms = 10000;
};

// Opens a SQLite store in WAL mode (readers never wait for a writer) and applies any pending
// schema migrations. Throws StoreError.
[[nodiscard]] std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& path,
                                                       OpenMode mode,
                                                       const StoreOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Positions over time (docs/store.md, "Time"). Inputs are records ordered as Store::records
// returns them; undated records carry no time and are ignored.

using StanceSet = std::array<bool, kStanceCount>;  // indexed by Stance

// What an actor said on an issue on one day: the stances stated that day (more than one when
// reports differ or the actor hedged) and the records that state them.
struct Position {
  std::string date;
  StanceSet stances{};
  std::vector<StanceRecord> evidence;
};

// "for" (demand and/or accept), "against" (reject), or "mixed".
[[nodiscard]] std::string_view polarity(const StanceSet& stances);
// "reject", "accept+demand", ...: the stances in Stance order joined by '+'.
[[nodiscard]] std::string stance_set_name(const StanceSet& stances);

// Each actor's positions on each issue, oldest first, keyed by (actor, issue).
[[nodiscard]] std::map<std::pair<std::string, std::string>, std::vector<Position>> positions(
    std::span<const StanceRecord> records);

// For each actor and issue, the records of its latest position: the matrix "as of" the last
// date in `records`.
[[nodiscard]] std::vector<StanceRecord> latest_positions(std::span<const StanceRecord> records);

struct PositionChange {
  std::string actor;
  std::string issue;
  Position before;
  Position after;
};

// Every change between consecutive positions of an actor on an issue whose later position is
// dated on or after `since`. A change is a change of polarity (for / against / mixed), or with
// `any_change` any change of the stance set (demand -> accept too). Ordered by actor, issue, date.
[[nodiscard]] std::vector<PositionChange> position_changes(std::span<const StanceRecord> records,
                                                           std::string_view since,
                                                           bool any_change);

// ---------------------------------------------------------------------------------------------
// What a re-coding changes (stance recode)

enum class CellChangeKind : unsigned char {
  gained,     // the cell was empty and now has records
  lost,       // the cell had records and now has none
  flipped,    // the set of stances in the cell changed (R1 -> A1, R1 -> R1 A1)
  recounted,  // same stances, other counts
};
[[nodiscard]] std::string_view to_string(CellChangeKind kind);

using StanceCounts = std::array<std::size_t, kStanceCount>;  // indexed by Stance

struct CellChange {
  std::string actor;
  std::string issue;
  CellChangeKind kind = CellChangeKind::gained;
  StanceCounts before{};
  StanceCounts after{};
  std::vector<StanceRecord> removed;  // records of this cell the old coding had and the new lacks
  std::vector<StanceRecord> added;    // and the other way round
};

struct CodingDiff {
  std::size_t articles = 0;          // articles re-coded
  std::size_t articles_changed = 0;  // whose records differ in any way
  std::size_t records_before = 0;    // of the re-coded articles
  std::size_t records_after = 0;
  std::size_t records_removed = 0;
  std::size_t records_added = 0;
  std::size_t records_altered = 0;  // same sentence, actor, issue and stance; other span, rule, ...
  std::vector<CellChange> cells;    // changed cells by actor, issue
  [[nodiscard]] std::size_t count(CellChangeKind kind) const;
};

// Collects per-article old and new codings against the whole archive's cell counts, so a cell
// counts as lost only when no article is left to support it.
class CodingDiffBuilder {
 public:
  explicit CodingDiffBuilder(std::span<const CellCount> archive);
  void add(std::span<const StanceRecord> before, std::span<const StanceRecord> after);
  [[nodiscard]] CodingDiff finish() const;

 private:
  struct Cell {
    StanceCounts before{};
    StanceCounts after{};
    std::vector<StanceRecord> removed;
    std::vector<StanceRecord> added;
  };
  std::map<std::pair<std::string, std::string>, Cell> cells_;
  CodingDiff totals_;
};

}  // namespace stance
