// server/store/copy.cpp: `askonce db copy`, SQLite to PostgreSQL (copy.hpp). Rows go through
// PostgreSQL's COPY in its text format, and come back through COPY for the digests, so both
// sides are read by the database that holds them.
#include "server/store/copy.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <memory>
#include <optional>

#include "engine/normalize.hpp"
#include "server/store/pg.hpp"
#include "server/store/postgres_store.hpp"
#include "server/store/sqlite_store.hpp"

namespace askonce::server {

namespace {

/// A table as both backends have it (schema version 14: outbox rows are versions of a view,
/// with their changed paths and digest; feedback; the published figures), and the order its
/// digest is taken in.
/// Keys are compared bytewise on both sides (COLLATE "C" is SQLite's BINARY for UTF-8).
struct Table {
  const char* name;
  std::vector<const char*> columns;
  const char* order;            // ORDER BY, for SQLite
  const char* order_postgres;   // the same order in PostgreSQL
  const char* extra_column;     // a PostgreSQL column SQLite has not, given a fixed value
  const char* extra_value;
};

// Parents before children (foreign keys). outbox.xid is 0: copied rows were all committed
// before any transaction of the new database, and agencies' lists put them first.
const std::vector<Table> tables = {
    {"definitions", {"hash", "form_id", "version"}, "hash", "hash COLLATE \"C\"", nullptr, nullptr},
    {"definition_sources", {"hash", "position", "path", "text"}, "hash, position", "hash COLLATE \"C\", position",
     nullptr, nullptr},
    {"retention_floors", {"agency", "xid", "id", "max_id"}, "agency", "agency COLLATE \"C\"", nullptr, nullptr},
    {"agency_tokens", {"id", "agency", "token_hash", "created_at", "revoked_at"}, "id", "id COLLATE \"C\"", nullptr,
     nullptr},
    {"submissions",
     {"id", "reference", "receipt_hash", "form_id", "version", "definition_hash", "language", "channel", "received",
      "canonical_json", "digest", "idem_hash", "idem_fingerprint", "idem_salt", "stored_at", "date_received",
      "staff_id"},
     "id", "id", nullptr, nullptr},
    {"outbox",
     {"id", "submission_id", "agency", "view_json", "view_xml", "state", "attempts", "next_attempt_at", "lease_owner",
      "lease_until", "last_error", "delivered_at", "acked_at", "view_version", "changed", "digest"},
     "id", "id", "xid", "0"},
    // Drafts go as they are: sealed with the deployment's keys, which both databases share.
    // Their resume links and sessions (schema 7, hashes) too: a link in a mail already sent,
    // or a session a browser holds, keeps working after the move.
    {"drafts",
     {"id_hash", "form_id", "version", "definition_hash", "language", "channel", "answers", "created_at", "updated_at",
      "resume_hash", "link_hash", "link_expires_at", "session_hash", "session_expires_at"},
     "id_hash", "id_hash COLLATE \"C\"", nullptr, nullptr},
    {"journey_events", {"id", "kind", "form_id", "channel", "at"}, "id", "id", nullptr, nullptr},
    {"attempts", {"key", "window_start", "count", "until"}, "key", "key COLLATE \"C\"", nullptr, nullptr},
    // Schema version 6: the mail outbox, receipt links and sessions, contact hashes.
    {"mail",
     {"id", "kind", "language", "recipient", "subject", "body_text", "body_html", "state", "attempts", "created_at",
      "next_attempt_at", "lease_owner", "lease_until", "last_error", "sent_at"},
     "id", "id", nullptr, nullptr},
    {"mail_links", {"token_hash", "submission_id", "created_at", "expires_at", "used_at"}, "token_hash",
     "token_hash COLLATE \"C\"", nullptr, nullptr},
    {"receipt_sessions", {"session_hash", "submission_id", "expires_at"}, "session_hash",
     "session_hash COLLATE \"C\"", nullptr, nullptr},
    {"receipt_contacts", {"submission_id", "contact_hash"}, "submission_id", "submission_id", nullptr, nullptr},
    // Schema version 9: staff accounts (hashes, and TOTP secrets sealed with the deployment's
    // keys, which both databases share), their recovery codes and sessions, and the audit log,
    // whose chain goes across unchanged (`askonce audit verify` holds on the copy).
    {"staff",
     {"id", "name", "role", "password_hash", "totp_sealed", "totp_step", "set_up", "disabled", "failures",
      "locked_until", "created_at"},
     "id", "id", nullptr, nullptr},
    {"staff_recovery_codes", {"staff_id", "code_hash", "used_at"}, "staff_id, code_hash",
     "staff_id, code_hash COLLATE \"C\"", nullptr, nullptr},
    {"staff_sessions", {"token_hash", "staff_id", "stage", "created_at", "last_seen_at"}, "token_hash",
     "token_hash COLLATE \"C\"", nullptr, nullptr},
    {"audit_log", {"seq", "at", "staff_id", "event", "channel", "reference", "detail", "prev_hash", "hash"}, "seq",
     "seq", nullptr, nullptr},
    // Schema version 10: the statuses agencies posted (12: the fields a need_info names, and
    // the citizen's "answered").
    {"agency_statuses",
     {"submission_id", "agency", "seq", "status", "outcome", "tracking", "message_name", "message", "at", "fields"},
     "submission_id, agency, seq", "submission_id, agency COLLATE \"C\", seq", nullptr, nullptr},
    // Schema version 11: feedback, under its one-way tokens (the key that made them is the
    // deployment's, which both databases share, so an offer made before the move is found after).
    {"feedback",
     {"token", "form_id", "version", "agency", "channel", "stage", "offered_on", "offered_at", "answered_at", "q1", "q2",
      "went_well", "went_badly", "comment"},
     "token", "token COLLATE \"C\"", nullptr, nullptr},
    // Schema version 13: the published figures, which outlive the rows (they cannot be worked
    // out again from what is left), and where they start.
    {"figure_applications", {"form_id", "agency", "quarter", "channel", "count"}, "form_id, agency, quarter, channel",
     "form_id COLLATE \"C\", agency COLLATE \"C\", quarter COLLATE \"C\", channel COLLATE \"C\"", nullptr, nullptr},
    {"figure_started", {"form_id", "quarter", "channel", "count"}, "form_id, quarter, channel",
     "form_id COLLATE \"C\", quarter COLLATE \"C\", channel COLLATE \"C\"", nullptr, nullptr},
    {"figure_decisions", {"form_id", "agency", "quarter", "channel", "days", "decided", "judged", "within"},
     "form_id, agency, quarter, channel, days",
     "form_id COLLATE \"C\", agency COLLATE \"C\", quarter COLLATE \"C\", channel COLLATE \"C\", days", nullptr,
     nullptr},
    {"figure_pending", {"form_id", "agency", "quarter", "channel", "past_from", "count"},
     "form_id, agency, quarter, channel, past_from",
     "form_id COLLATE \"C\", agency COLLATE \"C\", quarter COLLATE \"C\", channel COLLATE \"C\", past_from COLLATE "
     "\"C\"",
     nullptr, nullptr},
    {"figure_floor", {"submission_id"}, "submission_id", "submission_id", nullptr, nullptr},
    {"figure_snapshots", {"quarter", "csv", "sha256", "frozen_at"}, "quarter", "quarter COLLATE \"C\"", nullptr,
     nullptr},
    // Schema version 14: the monthly points of the published results.
    {"figure_points", {"month", "csv", "sha256", "counts", "frozen_at"}, "month", "month COLLATE \"C\"", nullptr,
     nullptr},
};

std::string column_list(const Table& t) {
  std::string out;
  for (const char* c : t.columns) out += (out.empty() ? "" : ", ") + std::string(c);
  return out;
}

// A field in COPY's text format, escaped exactly as PostgreSQL's COPY TO writes it, so that a
// row sent and the same row read back are the same bytes.
void append_field(std::string& line, const char* text, int size) {
  for (int i = 0; i < size; ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': line += "\\\\"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      case '\t': line += "\\t"; break;
      case '\b': line += "\\b"; break;
      case '\f': line += "\\f"; break;
      case '\v': line += "\\v"; break;
      default: line += c;
    }
  }
}


// The source: one read-only connection, one read transaction for the whole copy.
class SqliteSnapshot {
 public:
  explicit SqliteSnapshot(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      throw StoreError("cannot open " + path + " to read it: " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
    }
    sqlite3_busy_timeout(db_, 5000);
    exec("BEGIN");
    // The first read fixes the snapshot: every table below is read as it was at this moment.
    version_ = std::stoi(scalar("SELECT version FROM schema_version"));
  }
  /// The schema version of the file, as the snapshot sees it.
  int version() const { return version_; }
  ~SqliteSnapshot() {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }
  SqliteSnapshot(const SqliteSnapshot&) = delete;
  SqliteSnapshot& operator=(const SqliteSnapshot&) = delete;

  void exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      throw StoreError("SQLite: " + message);
    }
  }
  std::string scalar(const std::string& sql) {
    std::string out;
    each(sql, [&](sqlite3_stmt* s) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
      out = p ? p : "";
    });
    return out;
  }
  // Calls `row` for each row of `sql`.
  template <class F>
  void each(const std::string& sql, F&& row) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) throw StoreError("SQLite: " + std::string(sqlite3_errmsg(db_)));
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(s, sqlite3_finalize);
    for (;;) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return;
      if (rc != SQLITE_ROW) throw StoreError("SQLite: " + std::string(sqlite3_errmsg(db_)));
      row(s);
    }
  }

 private:
  sqlite3* db_ = nullptr;
  int version_ = 0;
};

// Sends `t`'s rows from the snapshot into PostgreSQL with COPY FROM STDIN; returns the count
// and digest of what was sent.
std::pair<std::int64_t, std::string> send_table(SqliteSnapshot& source, pg::Connection& target, const Table& t) {
  std::string copy = "COPY " + std::string(t.name) + " (" + column_list(t);
  if (t.extra_column) copy += ", " + std::string(t.extra_column);
  copy += ") FROM STDIN";
  pg::Result started(PQexec(target.raw(), copy.c_str()));
  if (PQresultStatus(started.get()) != PGRES_COPY_IN) throw target.connection_error("COPY " + std::string(t.name));

  engine::Sha256 digest;
  std::int64_t rows = 0;
  std::string buffer, line;
  auto flush = [&] {
    if (!buffer.empty() && PQputCopyData(target.raw(), buffer.data(), static_cast<int>(buffer.size())) != 1) {
      throw target.connection_error("COPY " + std::string(t.name));
    }
    buffer.clear();
  };
  const int n = static_cast<int>(t.columns.size());
  source.each("SELECT " + column_list(t) + " FROM " + t.name + " ORDER BY " + t.order, [&](sqlite3_stmt* s) {
    line.clear();
    for (int i = 0; i < n; ++i) {
      if (i > 0) line += '\t';
      if (sqlite3_column_type(s, i) == SQLITE_NULL) {
        line += "\\N";
      } else {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        append_field(line, p, sqlite3_column_bytes(s, i));
      }
    }
    line += '\n';
    digest.update(line);
    if (t.extra_column) {
      line.pop_back();
      line += '\t';
      line += t.extra_value;
      line += '\n';
    }
    buffer += line;
    ++rows;
    if (buffer.size() > (1u << 20)) flush();
  });
  flush();
  if (PQputCopyEnd(target.raw(), nullptr) != 1) throw target.connection_error("COPY " + std::string(t.name));
  pg::Result done(PQgetResult(target.raw()));
  if (auto e = target.error_of(done)) throw *e;
  while (PGresult* extra = PQgetResult(target.raw())) PQclear(extra);
  return {rows, digest.finish()};
}

// Reads `t` back from PostgreSQL with COPY TO STDOUT, in the same order: its count and digest.
std::pair<std::int64_t, std::string> read_back(pg::Connection& target, const Table& t) {
  const std::string copy = "COPY (SELECT " + column_list(t) + " FROM " + t.name + " ORDER BY " + t.order_postgres +
                           ") TO STDOUT";
  pg::Result started(PQexec(target.raw(), copy.c_str()));
  if (PQresultStatus(started.get()) != PGRES_COPY_OUT) throw target.connection_error("COPY " + std::string(t.name));
  engine::Sha256 digest;
  std::int64_t rows = 0;
  for (;;) {
    char* data = nullptr;
    const int size = PQgetCopyData(target.raw(), &data, 0);
    if (size == -1) break;
    if (size < 0) throw target.connection_error("COPY " + std::string(t.name));
    digest.update(std::string_view(data, static_cast<std::size_t>(size)));  // one row, with its newline
    PQfreemem(data);
    ++rows;
  }
  pg::Result done(PQgetResult(target.raw()));
  if (auto e = target.error_of(done)) throw *e;
  while (PGresult* extra = PQgetResult(target.raw())) PQclear(extra);
  return {rows, digest.finish()};
}

}  // namespace

std::vector<TableCopy> copy_sqlite_to_postgres(const std::string& sqlite_path, const std::string& conninfo,
                                               const std::function<void(const std::string&)>& progress) {
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  // Both schemas at this binary's version: the target as `db migrate` does; the source, only
  // when it is older, as any opening does (that takes the write lock, which a busy server on
  // the file holds often: a file already current is only read).
  migrate_postgres(conninfo, std::nullopt);
  const int latest = sqlite_migrations().back().version;
  auto source = std::make_unique<SqliteSnapshot>(sqlite_path);
  if (source->version() < latest) {
    source.reset();
    { SqliteStore migrated(SqliteOptions{sqlite_path}); }
    source = std::make_unique<SqliteSnapshot>(sqlite_path);
  }
  if (source->version() != latest) {
    throw StoreError("the SQLite database is at schema version " + std::to_string(source->version()) +
                     ", which this askonce (" + std::to_string(latest) + ") cannot copy");
  }

  pg::Connection target(conninfo);
  target.exec("BEGIN");
  try {
    // Nobody writes into the tables until this commits, and they must be empty now.
    std::string all;
    for (const auto& t : tables) all += (all.empty() ? "" : ", ") + std::string(t.name);
    target.exec("LOCK TABLE " + all + " IN ACCESS EXCLUSIVE MODE");
    for (const auto& t : tables) {
      // Migrating an empty database wrote the row saying where its figures start: the copy's
      // own replaces it.
      if (std::string_view(t.name) == "figure_floor") continue;
      const auto r = target.exec("SELECT EXISTS (SELECT 1 FROM " + std::string(t.name) + ")");
      if (r.text(0, 0) == "t") {
        throw StoreError("the PostgreSQL database is not empty (" + std::string(t.name) +
                         " has rows): db copy only fills an empty database, so nothing was copied");
      }
    }

    target.exec("DELETE FROM figure_floor");
    std::vector<TableCopy> report;
    for (const auto& t : tables) {
      TableCopy c;
      c.table = t.name;
      std::tie(c.source_rows, c.source_digest) = send_table(*source, target, t);
      say(std::string(t.name) + ": " + std::to_string(c.source_rows) + " rows copied");
      report.push_back(std::move(c));
    }
    // New rows take ids after the copied ones.
    for (const char* t : {"submissions", "outbox", "journey_events", "mail", "staff"}) {
      const std::string table(t);
      target.exec("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), COALESCE((SELECT max(id) FROM " +
                  table + "), 0) + 1, false)");
    }
    for (std::size_t i = 0; i < tables.size(); ++i) {
      std::tie(report[i].target_rows, report[i].target_digest) = read_back(target, tables[i]);
      if (!report[i].same()) {
        throw StoreError(std::string(tables[i].name) + ": " + std::to_string(report[i].source_rows) + " rows (" +
                         report[i].source_digest + ") in SQLite but " + std::to_string(report[i].target_rows) +
                         " (" + report[i].target_digest + ") in PostgreSQL; nothing was copied");
      }
    }
    target.exec("COMMIT");
    return report;
  } catch (...) {
    try {
      target.exec("ROLLBACK");
    } catch (...) {
      // The connection is gone, and its transaction with it.
    }
    throw;
  }
}

}  // namespace askonce::server
