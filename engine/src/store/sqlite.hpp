#pragma once
// Thin RAII wrappers over the SQLite C API: a connection, prepared statements, transactions.
// Every failure becomes a stance::StoreError carrying SQLite's own message.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace stance::store {

class Statement;

class Database {
 public:
  // `flags` are sqlite3_open_v2 flags.
  Database(const std::string& path, int flags);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return no rows worth reading.
  void exec(std::string_view sql);
  [[nodiscard]] Statement prepare(std::string_view sql);
  // The first column of the first row of a one-value query (PRAGMA user_version, count(*)).
  [[nodiscard]] std::int64_t scalar(std::string_view sql);

  [[nodiscard]] std::int64_t last_insert_rowid() const;
  [[nodiscard]] bool in_transaction() const;
  [[nodiscard]] sqlite3* handle() const { return db_; }
  [[nodiscard]] const std::string& path() const { return path_; }

  // Throws StoreError "<path>: <context>: <sqlite message>" for a failed call's result code.
  [[noreturn]] void fail(int code, std::string_view context) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// A prepared statement. Bind parameters by 1-based index, step through rows, reset to reuse.
class Statement {
 public:
  Statement(Database& database, sqlite3_stmt* statement, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind_null(int index);

  // True while there is a row to read; false when done (the statement then resets itself).
  bool step();
  // Runs a statement that returns no rows.
  void run();
  // Clears bindings and rewinds, so the statement can be reused after an early stop.
  void reset();

  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] std::int64_t integer(int column) const;
  [[nodiscard]] double real(int column) const;
  [[nodiscard]] bool is_null(int column) const;

 private:
  Database* database_;
  sqlite3_stmt* statement_;
  std::string sql_;  // for error messages
};

// BEGIN ... COMMIT, rolled back by the destructor unless committed. `immediate` takes the write
// lock at once, so two writers queue on the busy timeout instead of failing mid-transaction.
class Transaction {
 public:
  enum class Kind { deferred, immediate };
  Transaction(Database& database, Kind kind);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Database& database_;
  bool open_ = true;
};

}  // namespace stance::store
