#include "store/schema.hpp"

#include <string>

#include "stance/store.hpp"

namespace stance::store {
namespace {

struct Migration {
  int version;  // PRAGMA user_version once applied
  const char* sql;
};

// Append only: a released migration is never edited, since stores in the field already ran it.
// A new migration is the next version; its SQL runs in the same transaction as the version bump.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE runs (
  run_id            INTEGER PRIMARY KEY,
  kind              TEXT NOT NULL CHECK (kind IN ('ingest', 'recode')),
  started_at        TEXT NOT NULL,
  finished_at       TEXT,                  -- NULL: running, or its process died
  engine_version    TEXT NOT NULL,
  rules_id          TEXT NOT NULL,
  rules_fingerprint TEXT NOT NULL,
  rules_directory   TEXT NOT NULL,
  issue_order       TEXT NOT NULL,         -- the pack's issue ids, one a line
  arguments         TEXT NOT NULL,
  added             INTEGER NOT NULL DEFAULT 0,
  versioned         INTEGER NOT NULL DEFAULT 0,
  unchanged         INTEGER NOT NULL DEFAULT 0,
  recoded           INTEGER NOT NULL DEFAULT 0,
  records           INTEGER NOT NULL DEFAULT 0,
  skipped           INTEGER NOT NULL DEFAULT 0
);

-- Every version of every article; exactly one version of an id is current.
CREATE TABLE articles (
  article_key       INTEGER PRIMARY KEY,
  id                TEXT NOT NULL,
  version           INTEGER NOT NULL CHECK (version >= 1),
  is_current        INTEGER NOT NULL CHECK (is_current IN (0, 1)),
  content_hash      TEXT NOT NULL,
  date              TEXT NOT NULL,         -- YYYY-MM-DD or ''
  source            TEXT NOT NULL,
  url               TEXT NOT NULL,
  title             TEXT NOT NULL,
  text              TEXT NOT NULL,
  origin            TEXT NOT NULL,
  stored_by         INTEGER NOT NULL REFERENCES runs (run_id),
  stored_at         TEXT NOT NULL,
  coded_by          INTEGER NOT NULL REFERENCES runs (run_id),
  rules_fingerprint TEXT NOT NULL,         -- of the coding in `records`
  UNIQUE (id, version)
);
CREATE UNIQUE INDEX articles_current_id ON articles (id) WHERE is_current = 1;
CREATE INDEX articles_current_date ON articles (date) WHERE is_current = 1;
CREATE INDEX articles_current_rules ON articles (rules_fingerprint) WHERE is_current = 1;

-- The records of each article version's current coding, in text order (ordinal).
CREATE TABLE records (
  record_key   INTEGER PRIMARY KEY,
  article_key  INTEGER NOT NULL REFERENCES articles (article_key),
  ordinal      INTEGER NOT NULL,
  sentence     INTEGER NOT NULL,
  span_begin   INTEGER NOT NULL,
  span_end     INTEGER NOT NULL,
  actor        TEXT NOT NULL,
  affiliation  TEXT NOT NULL,
  issue        TEXT NOT NULL,
  stance       TEXT NOT NULL CHECK (stance IN ('demand', 'accept', 'reject')),
  confidence   REAL NOT NULL,
  rule         TEXT NOT NULL,
  evidence     TEXT NOT NULL,
  reported_by  TEXT NOT NULL,              -- '' unless second-hand
  cue_begin    INTEGER NOT NULL,
  cue_end      INTEGER NOT NULL,
  UNIQUE (article_key, ordinal)
);
CREATE INDEX records_actor_issue ON records (actor, issue);
)sql"},
};

constexpr int latest_version() { return kMigrations[std::size(kMigrations) - 1].version; }
static_assert(latest_version() == kStoreSchemaVersion, "a migration per schema version");

std::string file_of(const Database& database) { return database.path(); }

}  // namespace

void migrate(Database& database) {
  // Fast path, no write lock: an up-to-date store needs nothing.
  if (database.scalar("PRAGMA application_id") == kApplicationId &&
      database.scalar("PRAGMA user_version") == kStoreSchemaVersion) {
    return;
  }
  // Immediate: of two processes opening a new store at once, one migrates and the other then
  // finds the work done.
  Transaction transaction(database, Transaction::Kind::immediate);
  const std::int64_t application = database.scalar("PRAGMA application_id");
  const std::int64_t version = database.scalar("PRAGMA user_version");
  if (application != kApplicationId) {
    const bool empty = database.scalar("SELECT count(*) FROM sqlite_schema") == 0;
    if (application != 0 || version != 0 || !empty) {
      throw StoreError(file_of(database) +
                       ": not a stance store (a SQLite database of some other application)");
    }
    database.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
  }
  if (version > kStoreSchemaVersion) {
    throw StoreError(file_of(database) + ": store schema version " + std::to_string(version) +
                     " is newer than this stance understands (" +
                     std::to_string(kStoreSchemaVersion) + "); use a newer stance");
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= version) continue;
    database.exec(migration.sql);
    database.exec("PRAGMA user_version = " + std::to_string(migration.version));
  }
  transaction.commit();
}

}  // namespace stance::store
