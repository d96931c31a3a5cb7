#pragma once
// The SQLite store's schema and its migrations (docs/store.md, "Schema").
#include "store/sqlite.hpp"

namespace stance::store {

// 'STNC': marks a SQLite file as a stance store, so `--db` pointed at some other application's
// database is refused instead of being filled with our tables.
inline constexpr int kApplicationId = 0x53544E43;

// Brings the database to kStoreSchemaVersion: claims an empty file, applies each migration newer
// than its PRAGMA user_version in its own transaction, and refuses files of other applications
// or of a newer stance. Safe when several processes open the same store at once.
void migrate(Database& database);

}  // namespace stance::store
