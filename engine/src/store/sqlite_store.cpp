// The local store: one SQLite file in WAL mode (docs/store.md).
#include <chrono>
#include <thread>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "stance/store.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"

#ifndef STANCE_VERSION
#define STANCE_VERSION "unknown"
#endif

namespace stance {
namespace {

using store::Database;
using store::Statement;
using store::Transaction;

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

std::string_view kind_name(RunKind kind) { return kind == RunKind::recode ? "recode" : "ingest"; }

std::string join_lines(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) {
    if (!joined.empty()) joined += '\n';
    joined += item;
  }
  return joined;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

std::int64_t as_int(std::size_t value) { return static_cast<std::int64_t>(value); }
std::size_t as_size(std::int64_t value) { return value < 0 ? 0 : static_cast<std::size_t>(value); }

constexpr const char* kVersionColumns =
    "article_key, id, version, content_hash, origin, stored_by, stored_at, rules_fingerprint";

ArticleVersion read_version(const Statement& row, int first = 0) {
  ArticleVersion version;
  version.key = row.integer(first);
  version.id = row.text(first + 1);
  version.version = static_cast<int>(row.integer(first + 2));
  version.content_hash = row.text(first + 3);
  version.origin = row.text(first + 4);
  version.stored_by = row.integer(first + 5);
  version.stored_at = row.text(first + 6);
  version.rules_fingerprint = row.text(first + 7);
  return version;
}

// Columns of `records` r, in the order read_record expects, then the article's id, date, source.
constexpr const char* kRecordColumns =
    "r.sentence, r.span_begin, r.span_end, r.actor, r.affiliation, r.issue, r.stance, "
    "r.confidence, r.rule, r.evidence, r.reported_by, r.cue_begin, r.cue_end, a.id, a.date, "
    "a.source";

StanceRecord read_record(const Statement& row) {
  StanceRecord record;
  record.sentence = as_size(row.integer(0));
  record.span = {as_size(row.integer(1)), as_size(row.integer(2))};
  record.actor = row.text(3);
  record.affiliation = row.text(4);
  record.issue = row.text(5);
  // The CHECK constraint admits only the three names.
  record.stance = parse_stance(row.text(6)).value_or(Stance::demand);
  record.confidence = row.real(7);
  record.rule = row.text(8);
  record.evidence = row.text(9);
  record.reported_by = row.text(10);
  record.cue_span = {as_size(row.integer(11)), as_size(row.integer(12))};
  record.article = row.text(13);
  record.date = row.text(14);
  record.source = row.text(15);
  return record;
}

// The hot statements of ingest and recode, prepared once per connection.
struct Prepared {
  explicit Prepared(Database& db)
      : find_current(db.prepare(std::string("SELECT ") + kVersionColumns +
                                " FROM articles WHERE id = ?1 AND is_current = 1")),
        retire(db.prepare("UPDATE articles SET is_current = 0 WHERE article_key = ?1")),
        insert_article(db.prepare(
            std::string("INSERT INTO articles (id, version, is_current, content_hash, date, source, "
                        "url, title, text, origin, stored_by, stored_at, coded_by, "
                        "rules_fingerprint) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ") +
            kNow + ", ?10, ?11)")),
        insert_record(db.prepare(
            "INSERT INTO records (article_key, ordinal, sentence, span_begin, span_end, actor, "
            "affiliation, issue, stance, confidence, rule, evidence, reported_by, cue_begin, "
            "cue_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")),
        delete_records(db.prepare("DELETE FROM records WHERE article_key = ?1")),
        set_coding(db.prepare(
            "UPDATE articles SET coded_by = ?2, rules_fingerprint = ?3 WHERE article_key = ?1")),
        add_counts(db.prepare(
            "UPDATE runs SET added = added + ?2, versioned = versioned + ?3, "
            "unchanged = unchanged + ?4, recoded = recoded + ?5, records = records + ?6, "
            "skipped = skipped + ?7 WHERE run_id = ?1")) {}

  Statement find_current;
  Statement retire;
  Statement insert_article;
  Statement insert_record;
  Statement delete_records;
  Statement set_coding;
  Statement add_counts;
};

class SqliteSnapshot final : public ReadSnapshot {
 public:
  explicit SqliteSnapshot(Database& database) : database_(database) {
    database_.exec("BEGIN DEFERRED");
    // A WAL read transaction starts at its first read; make that now, not at the first query.
    (void)database_.scalar("SELECT count(*) FROM runs");
  }
  ~SqliteSnapshot() override {
    if (database_.in_transaction()) {
      sqlite3_exec(database_.handle(), "COMMIT", nullptr, nullptr, nullptr);
    }
  }
  SqliteSnapshot(const SqliteSnapshot&) = delete;
  SqliteSnapshot& operator=(const SqliteSnapshot&) = delete;

 private:
  Database& database_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::filesystem::path& path, OpenMode mode, const StoreOptions& options)
      : database_(std::make_unique<Database>(path.string(), open_flags(path, mode))) {
    sqlite3_busy_timeout(database_->handle(), options.busy_timeout_ms);
    // Switching to WAL needs a lock upgrade for which SQLite may report BUSY at once instead of
    // waiting (it avoids deadlocks that way), e.g. while another process creates the same store:
    // retry within the busy timeout.
    std::string journal_mode;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
    for (int attempt = 0;; ++attempt) {
      try {
        Statement journal = database_->prepare("PRAGMA journal_mode = WAL");
        journal_mode = journal.step() ? journal.text(0) : std::string();
        journal.reset();
        break;
      } catch (const StoreError& e) {
        const bool busy = std::string_view(e.what()).find("locked") != std::string_view::npos;
        if (!busy || std::chrono::steady_clock::now() >= deadline) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * (attempt + 1), 100)));
      }
    }
    if (journal_mode != "wal") {
      throw StoreError(path.string() + ": cannot switch to WAL mode (journal mode is '" +
                       journal_mode + "')");
    }
    // FULL: a committed batch survives a power cut too, not only a killed process; one sync per
    // batch is cheap next to coding it.
    database_->exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
    store::migrate(*database_);
    prepared_ = std::make_unique<Prepared>(*database_);
  }

  [[nodiscard]] std::string location() const override { return database_->path(); }

  [[nodiscard]] int schema_version() const override {
    return static_cast<int>(database_->scalar("PRAGMA user_version"));
  }

  std::int64_t begin_run(const RunInfo& info) override {
    Statement insert = database_->prepare(
        std::string("INSERT INTO runs (kind, started_at, engine_version, rules_id, "
                    "rules_fingerprint, rules_directory, issue_order, arguments) VALUES (?1, ") +
        kNow + ", ?2, ?3, ?4, ?5, ?6, ?7)");
    insert.bind(1, kind_name(info.kind))
        .bind(2, std::string_view(STANCE_VERSION))
        .bind(3, info.rules_id)
        .bind(4, info.rules_fingerprint)
        .bind(5, info.rules_directory)
        .bind(6, join_lines(info.issue_order))
        .bind(7, info.arguments);
    insert.run();
    return database_->last_insert_rowid();
  }

  void finish_run(std::int64_t run, const RunCounts& unbatched) override {
    Transaction transaction(*database_, Transaction::Kind::immediate);
    add_counts(run, unbatched);
    Statement finish = database_->prepare(std::string("UPDATE runs SET finished_at = ") + kNow +
                                          " WHERE run_id = ?1");
    finish.bind(1, run).run();
    transaction.commit();
  }

  [[nodiscard]] std::vector<RunRow> runs() const override {
    Statement query = database_->prepare(
        "SELECT run_id, kind, started_at, coalesce(finished_at, ''), engine_version, rules_id, "
        "rules_fingerprint, rules_directory, issue_order, arguments, added, versioned, unchanged, "
        "recoded, records, skipped FROM runs ORDER BY run_id");
    std::vector<RunRow> rows;
    while (query.step()) {
      RunRow row;
      row.id = query.integer(0);
      row.info.kind = query.text(1) == "recode" ? RunKind::recode : RunKind::ingest;
      row.started_at = query.text(2);
      row.finished_at = query.text(3);
      row.engine_version = query.text(4);
      row.info.rules_id = query.text(5);
      row.info.rules_fingerprint = query.text(6);
      row.info.rules_directory = query.text(7);
      row.info.issue_order = split_lines(query.text(8));
      row.info.arguments = query.text(9);
      row.counts.added = as_size(query.integer(10));
      row.counts.versioned = as_size(query.integer(11));
      row.counts.unchanged = as_size(query.integer(12));
      row.counts.recoded = as_size(query.integer(13));
      row.counts.records = as_size(query.integer(14));
      row.counts.skipped = as_size(query.integer(15));
      rows.push_back(std::move(row));
    }
    return rows;
  }

  [[nodiscard]] std::vector<ArticleVersion> current_versions(
      std::span<const std::string> ids) const override {
    std::vector<ArticleVersion> found;
    for (const std::string& id : ids) {
      if (auto version = find_current(id)) found.push_back(std::move(*version));
    }
    return found;
  }

  std::vector<StoreResult> store_articles(std::int64_t run, std::string_view rules_fingerprint,
                                          std::span<const CodedArticle> batch) override {
    std::vector<StoreResult> results;
    results.reserve(batch.size());
    RunCounts counts;
    Transaction transaction(*database_, Transaction::Kind::immediate);
    for (const CodedArticle& coded : batch) {
      const Article& article = coded.article;
      std::optional<ArticleVersion> previous = find_current(article.id);
      if (previous && previous->content_hash == coded.content_hash) {
        ++counts.unchanged;
        results.push_back({StoreOutcome::unchanged, std::move(*previous), std::nullopt});
        continue;
      }
      if (previous) prepared_->retire.bind(1, previous->key).run();
      const int version = previous ? previous->version + 1 : 1;
      prepared_->insert_article.bind(1, article.id)
          .bind(2, std::int64_t{version})
          .bind(3, coded.content_hash)
          .bind(4, article.date)
          .bind(5, article.source)
          .bind(6, article.url)
          .bind(7, article.title)
          .bind(8, article.text)
          .bind(9, article.origin)
          .bind(10, run)
          .bind(11, rules_fingerprint);
      prepared_->insert_article.run();
      insert_records(database_->last_insert_rowid(), coded.records);
      counts.records += coded.records.size();
      ++(previous ? counts.versioned : counts.added);
      std::optional<ArticleVersion> current = find_current(article.id);
      if (!current) throw StoreError(location() + ": article '" + article.id + "' vanished");
      results.push_back({previous ? StoreOutcome::versioned : StoreOutcome::added,
                         std::move(*current), std::move(previous)});
    }
    add_counts(run, counts);
    transaction.commit();
    return results;
  }

  [[nodiscard]] std::vector<std::int64_t> articles_to_recode(
      std::string_view fingerprint) const override {
    Statement query = database_->prepare(
        "SELECT article_key FROM articles WHERE is_current = 1 AND (?1 = '' OR "
        "rules_fingerprint <> ?1) ORDER BY id");
    query.bind(1, fingerprint);
    std::vector<std::int64_t> keys;
    while (query.step()) keys.push_back(query.integer(0));
    return keys;
  }

  [[nodiscard]] std::vector<StoredArticle> load_articles(
      std::span<const std::int64_t> keys) const override {
    Statement article_query = database_->prepare(
        std::string("SELECT ") + kVersionColumns +
        ", date, source, url, title, text FROM articles WHERE article_key = ?1");
    Statement record_query = database_->prepare(
        std::string("SELECT ") + kRecordColumns +
        " FROM records r JOIN articles a USING (article_key) WHERE r.article_key = ?1 "
        "ORDER BY r.ordinal");
    std::vector<StoredArticle> loaded;
    loaded.reserve(keys.size());
    for (const std::int64_t key : keys) {
      article_query.bind(1, key);
      if (!article_query.step()) continue;  // gone: nothing to recode
      StoredArticle stored;
      stored.version = read_version(article_query);
      stored.article.id = stored.version.id;
      stored.article.origin = stored.version.origin;
      stored.article.date = article_query.text(8);
      stored.article.source = article_query.text(9);
      stored.article.url = article_query.text(10);
      stored.article.title = article_query.text(11);
      stored.article.text = article_query.text(12);
      article_query.reset();
      record_query.bind(1, key);
      while (record_query.step()) stored.records.push_back(read_record(record_query));
      loaded.push_back(std::move(stored));
    }
    return loaded;
  }

  void replace_codings(std::int64_t run, std::string_view rules_fingerprint,
                       std::span<const Recoding> batch) override {
    RunCounts counts;
    Transaction transaction(*database_, Transaction::Kind::immediate);
    for (const Recoding& recoding : batch) {
      prepared_->delete_records.bind(1, recoding.key).run();
      insert_records(recoding.key, recoding.records);
      prepared_->set_coding.bind(1, recoding.key).bind(2, run).bind(3, rules_fingerprint).run();
      ++counts.recoded;
      counts.records += recoding.records.size();
    }
    add_counts(run, counts);
    transaction.commit();
  }

  [[nodiscard]] std::vector<StanceRecord> records(const RecordQuery& query) const override {
    // Only the clauses in use, so the (actor, issue) and date indexes apply.
    std::string sql = std::string("SELECT ") + kRecordColumns +
                      " FROM records r JOIN articles a USING (article_key) WHERE a.is_current = 1";
    std::vector<const std::string*> values;
    auto clause = [&](const std::string& value, const char* condition) {
      if (value.empty()) return;
      values.push_back(&value);
      sql += " AND ";
      sql += condition;
      sql += std::to_string(values.size());
    };
    if (!query.since.empty() || !query.until.empty()) sql += " AND a.date <> ''";
    clause(query.since, "a.date >= ?");
    clause(query.until, "a.date <= ?");
    clause(query.actor, "r.actor = ?");
    clause(query.issue, "r.issue = ?");
    sql += " ORDER BY a.date, a.id, r.ordinal";
    Statement statement = database_->prepare(sql);
    for (std::size_t i = 0; i < values.size(); ++i) {
      statement.bind(static_cast<int>(i + 1), *values[i]);
    }
    std::vector<StanceRecord> found;
    while (statement.step()) found.push_back(read_record(statement));
    return found;
  }

  [[nodiscard]] std::size_t article_count(const RecordQuery& query) const override {
    std::string sql = "SELECT count(*) FROM articles WHERE is_current = 1";
    if (!query.since.empty() || !query.until.empty()) sql += " AND date <> ''";
    if (!query.since.empty()) sql += " AND date >= ?1";
    if (!query.until.empty()) sql += query.since.empty() ? " AND date <= ?1" : " AND date <= ?2";
    Statement statement = database_->prepare(sql);
    int index = 0;
    if (!query.since.empty()) statement.bind(++index, query.since);
    if (!query.until.empty()) statement.bind(++index, query.until);
    const std::size_t count = statement.step() ? as_size(statement.integer(0)) : 0;
    statement.reset();
    return count;
  }

  [[nodiscard]] std::vector<CellCount> cell_counts() const override {
    Statement query = database_->prepare(
        "SELECT r.actor, r.issue, r.stance, count(*) FROM records r JOIN articles a "
        "USING (article_key) WHERE a.is_current = 1 GROUP BY r.actor, r.issue, r.stance");
    std::vector<CellCount> counts;
    while (query.step()) {
      counts.push_back({query.text(0), query.text(1),
                        parse_stance(query.text(2)).value_or(Stance::demand),
                        as_size(query.integer(3))});
    }
    return counts;
  }

  [[nodiscard]] std::vector<std::string> issue_order() const override {
    Statement query =
        database_->prepare("SELECT issue_order FROM runs ORDER BY run_id DESC LIMIT 1");
    std::vector<std::string> order;
    if (query.step()) order = split_lines(query.text(0));
    query.reset();
    return order;
  }

  [[nodiscard]] StoreSummary summary() const override {
    StoreSummary summary;
    summary.articles = as_size(database_->scalar("SELECT count(*) FROM articles WHERE is_current = 1"));
    summary.versions = as_size(database_->scalar("SELECT count(*) FROM articles"));
    summary.records = as_size(database_->scalar(
        "SELECT count(*) FROM records r JOIN articles a USING (article_key) WHERE a.is_current = 1"));
    summary.runs = as_size(database_->scalar("SELECT count(*) FROM runs"));
    summary.codings = codings();
    return summary;
  }

  [[nodiscard]] std::vector<std::pair<std::string, std::size_t>> codings() const override {
    Statement query = database_->prepare(
        "SELECT rules_fingerprint, count(*) FROM articles WHERE is_current = 1 "
        "GROUP BY rules_fingerprint ORDER BY count(*) DESC, rules_fingerprint");
    std::vector<std::pair<std::string, std::size_t>> found;
    while (query.step()) found.emplace_back(query.text(0), as_size(query.integer(1)));
    return found;
  }

  [[nodiscard]] std::unique_ptr<ReadSnapshot> read_snapshot() override {
    return std::make_unique<SqliteSnapshot>(*database_);
  }

 private:
  static int open_flags(const std::filesystem::path& path, OpenMode mode) {
    if (mode == OpenMode::existing) {
      std::error_code error;
      if (!std::filesystem::exists(path, error)) {
        throw StoreError(path.string() + ": no such store (stance ingest creates one)");
      }
    }
    return SQLITE_OPEN_READWRITE | (mode == OpenMode::create ? SQLITE_OPEN_CREATE : 0);
  }

  std::optional<ArticleVersion> find_current(const std::string& id) const {
    Statement& query = prepared_->find_current;
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    ArticleVersion version = read_version(query);
    query.reset();
    return version;
  }

  void insert_records(std::int64_t article_key, std::span<const StanceRecord> records) {
    Statement& insert = prepared_->insert_record;
    std::int64_t ordinal = 0;
    for (const StanceRecord& record : records) {
      insert.bind(1, article_key)
          .bind(2, ordinal++)
          .bind(3, as_int(record.sentence))
          .bind(4, as_int(record.span.begin))
          .bind(5, as_int(record.span.end))
          .bind(6, record.actor)
          .bind(7, record.affiliation)
          .bind(8, record.issue)
          .bind(9, to_string(record.stance))
          .bind(10, record.confidence)
          .bind(11, record.rule)
          .bind(12, record.evidence)
          .bind(13, record.reported_by)
          .bind(14, as_int(record.cue_span.begin))
          .bind(15, as_int(record.cue_span.end));
      insert.run();
    }
  }

  void add_counts(std::int64_t run, const RunCounts& counts) {
    prepared_->add_counts.bind(1, run)
        .bind(2, as_int(counts.added))
        .bind(3, as_int(counts.versioned))
        .bind(4, as_int(counts.unchanged))
        .bind(5, as_int(counts.recoded))
        .bind(6, as_int(counts.records))
        .bind(7, as_int(counts.skipped))
        .run();
  }

  // Pointers, so const queries can step statements: constness of the interface is about the
  // store's content, which queries never change.
  std::unique_ptr<Database> database_;
  std::unique_ptr<Prepared> prepared_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& path, OpenMode mode,
                                         const StoreOptions& options) {
  return std::make_unique<SqliteStore>(path, mode, options);
}

}  // namespace stance
