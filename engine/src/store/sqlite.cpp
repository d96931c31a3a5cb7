#include "store/sqlite.hpp"

#include <sqlite3.h>

#include <limits>
#include <utility>

#include "stance/store.hpp"

namespace stance::store {

Database::Database(const std::string& path, int flags) : path_(path) {
  const int code = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (code != SQLITE_OK) {
    // A handle is returned even on failure (except out of memory); it carries the message.
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(path + ": cannot open: " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  // Statements are owned by objects that die first; close_v2 copes if one is still around.
  sqlite3_close_v2(db_);
}

void Database::fail(int code, std::string_view context) const {
  std::string message = sqlite3_errmsg(db_);
  if (message == "not an error" || message.empty()) message = sqlite3_errstr(code);
  if ((code & 0xFF) == SQLITE_BUSY) message += " (another process kept the store locked)";
  throw StoreError(path_ + ": " + std::string(context) + ": " + message);
}

void Database::exec(std::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  const int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (code != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(code);
    sqlite3_free(error);
    if ((code & 0xFF) == SQLITE_BUSY) message += " (another process kept the store locked)";
    throw StoreError(path_ + ": " + message);
  }
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  if (code != SQLITE_OK) fail(code, "cannot prepare \"" + std::string(sql) + "\"");
  return Statement(*this, statement, sql);
}

std::int64_t Database::scalar(std::string_view sql) {
  Statement statement = prepare(sql);
  if (!statement.step()) return 0;
  const std::int64_t value = statement.integer(0);
  statement.reset();
  return value;
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

Statement::Statement(Database& database, sqlite3_stmt* statement, std::string_view sql)
    : database_(&database), statement_(statement), sql_(sql) {}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement::Statement(Statement&& other) noexcept
    : database_(other.database_),
      statement_(std::exchange(other.statement_, nullptr)),
      sql_(std::move(other.sql_)) {}

Statement& Statement::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: the caller's string may die before the statement runs. An empty view may
  // have a null data(), which SQLite would bind as NULL rather than ''.
  const char* bytes = text.data() ? text.data() : "";
  const int code = sqlite3_bind_text64(statement_, index, bytes, text.size(),
                                       SQLITE_TRANSIENT, SQLITE_UTF8);
  if (code != SQLITE_OK) database_->fail(code, "cannot bind a value");
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int code = sqlite3_bind_int64(statement_, index, value);
  if (code != SQLITE_OK) database_->fail(code, "cannot bind a value");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  const int code = sqlite3_bind_double(statement_, index, value);
  if (code != SQLITE_OK) database_->fail(code, "cannot bind a value");
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int code = sqlite3_bind_null(statement_, index);
  if (code != SQLITE_OK) database_->fail(code, "cannot bind a value");
  return *this;
}

bool Statement::step() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) {
    reset();
    return false;
  }
  // Reset before throwing so the statement does not keep a read transaction open.
  sqlite3_reset(statement_);
  database_->fail(code, "\"" + sql_ + "\"");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::string Statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  return bytes ? std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size))
               : std::string();
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

double Statement::real(int column) const { return sqlite3_column_double(statement_, column); }

bool Statement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

Transaction::Transaction(Database& database, Kind kind) : database_(database) {
  database_.exec(kind == Kind::immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

Transaction::~Transaction() {
  if (!open_) return;
  // Never throw from a destructor; a failed rollback leaves SQLite to roll back on close.
  if (database_.in_transaction()) sqlite3_exec(database_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  database_.exec("COMMIT");
  open_ = false;
}

}  // namespace stance::store
