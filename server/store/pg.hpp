// server/store/pg.hpp: a small RAII wrapper over libpq, for the PostgreSQL backend (internal to
// store/).
//
// A Connection owns one PGconn and the statements prepared on it by name; a Result owns one
// PGresult; Params holds the values of one statement, always sent apart from its text. Errors
// are pg::Error (a StoreError) carrying the SQLSTATE. Messages are built from what the server
// or libpq reports (which never repeats a password) and our own words, never from the
// connection string, and without the server's DETAIL, which can quote the values of a row.
//
// A connection that broke (the server restarted, the network failed) is not thrown away: the
// next ensure() connects it again (as PQreset does) and
// prepares its statements again, so a store recovers by
// itself once PostgreSQL is back.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/store.hpp"

namespace askonce::server::pg {

/// A failure reported by PostgreSQL or libpq. `sqlstate` is empty when there is none (libpq's
/// own errors, a lost connection).
class Error : public StoreError {
 public:
  Error(const std::string& message, std::string sqlstate) : StoreError(message), sqlstate_(std::move(sqlstate)) {}
  /// The five-character SQLSTATE ("23505"), or "".
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

/// One statement's result.
class Result {
 public:
  Result() = default;
  explicit Result(PGresult* r) : result_(r) {}
  ~Result() { PQclear(result_); }
  Result(Result&& o) noexcept : result_(o.result_) { o.result_ = nullptr; }
  Result& operator=(Result&& o) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  /// Rows returned (0 for a statement that returns none).
  int rows() const { return result_ ? PQntuples(result_) : 0; }
  /// Whether the value at (row, col) is NULL.
  bool null(int row, int col) const { return PQgetisnull(result_, row, col) != 0; }
  /// The value as text; "" when it is NULL.
  std::string text(int row, int col) const;
  /// The value as text; nothing when it is NULL.
  std::optional<std::string> opt_text(int row, int col) const;
  /// The column as a number; 0 when it is NULL.
  std::int64_t integer(int row, int col) const;
  /// The column as a number; nothing when it is NULL.
  std::optional<std::int64_t> opt_integer(int row, int col) const;
  /// Rows an INSERT, UPDATE or DELETE changed.
  std::int64_t affected() const;
  /// The PGresult itself (still owned by this Result).
  PGresult* get() const { return result_; }

 private:
  PGresult* result_ = nullptr;
};

/// The values of one statement, $1, $2, ... in the order added. Text goes as bytes (binary
/// format) with its length, so a value is never cut at a NUL or read as SQL; PostgreSQL checks
/// it is valid UTF-8. The strings added must outlive the call they are sent with.
class Params {
 public:
  /// Text, sent as its bytes.
  Params& add(const std::string& v);
  /// Text, or NULL.
  Params& add(const std::optional<std::string>& v);
  /// A number, sent as its decimal text (PostgreSQL reads it in the column's integer type).
  Params& add(std::int64_t v);
  /// NULL.
  Params& add_null();

  /// What PQexecParams and PQexecPrepared take.
  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::deque<std::string> owned_;  // numbers as text; a deque does not move what it holds
};

/// A statement a connection prepares once, under its name.
struct Statement {
  std::string name;
  std::string sql;
};

/// One connection to PostgreSQL. Not thread-safe: one user at a time (the store's pool).
class Connection {
 public:
  /// Connects, sets what every connection of the store runs with (synchronous_commit = on,
  /// search_path = public), and prepares `statements`. Throws Error when it cannot.
  Connection(std::string conninfo, std::vector<Statement> statements = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Makes the connection ready for a call: reconnects a broken one (and prepares its
  /// statements again), and rolls back a transaction a failed call left open. Throws Error
  /// while the server cannot be reached.
  void ensure();

  /// Fixed SQL text of ours, without values (BEGIN, SET, DDL). Throws Error on failure.
  Result exec(const char* sql);
  Result exec(const std::string& sql) { return exec(sql.c_str()); }
  /// SQL text of ours with its values bound (not prepared: for rare statements).
  Result exec(const std::string& sql, const Params& params);
  /// A statement prepared under `name` (given to the constructor or to prepare()).
  Result run(const std::string& name, const Params& params);
  /// Prepares `sql` as `name` unless this connection already has it (prepared statements live
  /// as long as the session: after a reset they are prepared again, on demand).
  void prepare(const std::string& name, const std::string& sql);

  /// The error of a result that is not a success; nothing when it is one.
  std::optional<Error> error_of(const Result& r);
  /// The error that libpq reports for the connection.
  Error connection_error(const std::string& what);

  /// Quotes an identifier (a role name, for GRANT: the one thing SQL cannot take as a value).
  std::string quote_identifier(const std::string& name);

  /// The PGconn itself, for libpq calls this class does not wrap (PQstatus, ...).
  PGconn* raw() { return conn_; }

 private:
  Result check(PGresult* r);
  void setup();
  bool closed_by_server();

  void connect();

  std::string conninfo_;  // kept to reconnect; it may hold a password: never put in a message
  PGconn* conn_ = nullptr;
  std::vector<Statement> statements_;
  std::set<std::string> prepared_;
  bool broken_ = false;
};

/// The message of a failure of `conn` (PQerrorMessage), on one line, trimmed.
std::string message_of(PGconn* conn);

}  // namespace askonce::server::pg
