// server/store/pg.cpp: the libpq wrapper (pg.hpp): connections that mend themselves, results,
// bound values, errors with their SQLSTATE and without secrets.
#include "server/store/pg.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

namespace askonce::server::pg {

namespace {

// One line: libpq's messages end in a newline and sometimes continue on a tabbed second line.
std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// SQLSTATEs after which the session is gone: connection exceptions (class 08), and the server
// shutting down or restarting (57P01..57P03).
bool ends_session(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

}  // namespace

std::string message_of(PGconn* conn) {
  const char* m = conn ? PQerrorMessage(conn) : nullptr;
  std::string out = one_line(m ? m : "");
  return out.empty() ? "the connection to PostgreSQL failed" : out;
}

// --- Result ---

Result& Result::operator=(Result&& o) noexcept {
  if (this != &o) {
    PQclear(result_);
    result_ = o.result_;
    o.result_ = nullptr;
  }
  return *this;
}

std::string Result::text(int row, int col) const {
  if (null(row, col)) return {};
  return std::string(PQgetvalue(result_, row, col), static_cast<std::size_t>(PQgetlength(result_, row, col)));
}

std::optional<std::string> Result::opt_text(int row, int col) const {
  if (null(row, col)) return std::nullopt;
  return text(row, col);
}

std::int64_t Result::integer(int row, int col) const { return opt_integer(row, col).value_or(0); }

std::optional<std::int64_t> Result::opt_integer(int row, int col) const {
  if (null(row, col)) return std::nullopt;
  const char* p = PQgetvalue(result_, row, col);
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(p, p + PQgetlength(result_, row, col), v);
  if (ec != std::errc()) throw StoreError("database: not a number in column " + std::to_string(col));
  return v;
}

std::int64_t Result::affected() const {
  const char* n = result_ ? PQcmdTuples(result_) : "";
  std::int64_t v = 0;
  std::from_chars(n, n + std::strlen(n), v);
  return v;
}

// --- Params ---

Params& Params::add(const std::string& v) {
  values_.push_back(v.data());
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(1);  // binary: the bytes and their length
  return *this;
}

Params& Params::add(const std::optional<std::string>& v) { return v ? add(*v) : add_null(); }

Params& Params::add(std::int64_t v) {
  owned_.push_back(std::to_string(v));
  values_.push_back(owned_.back().c_str());
  lengths_.push_back(0);
  formats_.push_back(0);  // text: PostgreSQL reads the number in whatever integer type it wants
  return *this;
}

Params& Params::add_null() {
  values_.push_back(nullptr);
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

// --- Connection ---

Connection::Connection(std::string conninfo, std::vector<Statement> statements)
    : conninfo_(std::move(conninfo)), statements_(std::move(statements)) {
  // libpq's own complaint about a malformed string may quote a piece of it, which may be the
  // password: check it first, and say only that it is malformed.
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo_.c_str(), &parse_error);
  if (!options) {
    PQfreemem(parse_error);
    throw Error("database: the PostgreSQL connection string is not valid (a postgresql:// URL, or keyword=value "
                "pairs as libpq reads them)",
                "");
  }
  PQconninfoFree(options);
  // A URL whose password holds an unescaped '@' or '/' is one libpq reads differently from
  // what was meant (the rest of the password becomes the host or the port), and its error
  // would then quote that piece: refuse it with a message of our own.
  std::string_view url = conninfo_;
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (url.substr(0, scheme.size()) != scheme) continue;
    const std::string_view rest = url.substr(scheme.size());
    const std::string_view before_query = rest.substr(0, rest.find('?'));
    const auto at = before_query.rfind('@');
    if (at != std::string_view::npos && before_query.substr(0, at).find_first_of("@/") != std::string_view::npos) {
      throw Error("database: the user name or password in the PostgreSQL URL has an unescaped '@' or '/': write "
                  "them as %40 and %2F",
                  "");
    }
  }
  connect();
  if (PQstatus(conn_) != CONNECTION_OK) {
    Error e("database: cannot connect to PostgreSQL: " + message_of(conn_), "");
    PQfinish(conn_);
    conn_ = nullptr;
    throw e;
  }
  try {
    setup();
  } catch (...) {
    PQfinish(conn_);
    conn_ = nullptr;
    throw;
  }
}

void Connection::connect() {
  if (conn_) PQfinish(conn_);
  // The string is read as PQconnectdb reads it (expand_dbname), and the connection is named
  // "askonce" in pg_stat_activity unless the string names it otherwise.
  const char* const keywords[] = {"dbname", "fallback_application_name", nullptr};
  const char* const values[] = {conninfo_.c_str(), "askonce", nullptr};
  conn_ = PQconnectdbParams(keywords, values, 1);
  if (!conn_) throw Error("database: out of memory connecting to PostgreSQL", "");
  // libpq prints the server's notices (and a FATAL it sends before closing) on stderr by
  // default; a server's stderr is not where they belong, and errors reach us as results.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

void Connection::setup() {
  prepared_.clear();
  // Durability must not depend on the server's or the role's defaults, and neither may which
  // tables the names mean: ours are in public.
  exec("SET synchronous_commit = on");
  exec("SET search_path = public");
  for (const auto& s : statements_) prepare(s.name, s.sql);
}

void Connection::ensure() {
  if (!broken_ && PQstatus(conn_) == CONNECTION_OK && !closed_by_server()) {
    const auto t = PQtransactionStatus(conn_);
    if (t == PQTRANS_IDLE) return;
    if (t == PQTRANS_INTRANS || t == PQTRANS_INERROR) {
      exec("ROLLBACK");  // a call that failed mid-transaction; nothing of it is kept
      return;
    }
  }
  // A new session, as PQreset makes (and whatever state the old one was left in).
  broken_ = true;
  connect();
  if (PQstatus(conn_) != CONNECTION_OK) throw connection_error("cannot reach PostgreSQL");
  broken_ = false;
  try {
    setup();
  } catch (...) {
    broken_ = true;
    throw;
  }
}

bool Connection::closed_by_server() {
  // A connection the server closed while it sat in the pool (a restart, pg_terminate_backend,
  // a failover) is found here, before a call fails on it. The server's last words (a FATAL
  // message) are read first; then the socket, peeked without blocking, shows the end of the
  // stream. With TLS, libpq reads the close itself. Neither call waits.
  if (PQconsumeInput(conn_) != 1 || PQstatus(conn_) != CONNECTION_OK) return true;
  char byte = 0;
  const ssize_t n = ::recv(PQsocket(conn_), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

Error Connection::connection_error(const std::string& what) {
  if (PQstatus(conn_) != CONNECTION_OK) broken_ = true;
  return Error("database: " + what + ": " + message_of(conn_), "");
}

std::optional<Error> Connection::error_of(const Result& r) {
  PGresult* p = r.get();
  if (!p) return connection_error("no answer from PostgreSQL");
  switch (PQresultStatus(p)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
      return std::nullopt;
    default:
      break;
  }
  const char* state = PQresultErrorField(p, PG_DIAG_SQLSTATE);
  std::string sqlstate = state ? state : "";
  // The primary message only: DETAIL may quote a row's values (a duplicate key's), which are
  // not for logs.
  const char* primary = PQresultErrorField(p, PG_DIAG_MESSAGE_PRIMARY);
  std::string message = one_line(primary ? primary : PQresultErrorMessage(p));
  if (message.empty()) message = message_of(conn_);
  if (ends_session(sqlstate) || PQstatus(conn_) != CONNECTION_OK) broken_ = true;
  return Error("database: " + message + (sqlstate.empty() ? "" : " (SQLSTATE " + sqlstate + ")"), sqlstate);
}

Result Connection::check(PGresult* p) {
  Result r(p);
  if (auto e = error_of(r)) throw *e;
  return r;
}

Result Connection::exec(const char* sql) { return check(PQexec(conn_, sql)); }

Result Connection::exec(const std::string& sql, const Params& p) {
  return check(PQexecParams(conn_, sql.c_str(), p.size(), nullptr, p.values(), p.lengths(), p.formats(), 0));
}

Result Connection::run(const std::string& name, const Params& p) {
  return check(PQexecPrepared(conn_, name.c_str(), p.size(), p.values(), p.lengths(), p.formats(), 0));
}

void Connection::prepare(const std::string& name, const std::string& sql) {
  if (prepared_.count(name)) return;
  check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr));
  prepared_.insert(name);
}

std::string Connection::quote_identifier(const std::string& name) {
  char* q = PQescapeIdentifier(conn_, name.data(), name.size());
  if (!q) throw connection_error("cannot quote a name");
  std::string out = q;
  PQfreemem(q);
  return out;
}

}  // namespace askonce::server::pg
