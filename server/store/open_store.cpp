// server/store/open_store.cpp: which backend a --db names, how to print it without its
// password, and opening it.
#include "server/store/open_store.hpp"

#include <libpq-fe.h>

#include <cctype>

#include <sqlite3.h>

#include <memory>

#include "server/store/pg.hpp"
#include "server/store/postgres_store.hpp"
#include "server/store/sqlite_store.hpp"

namespace askonce::server {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// libpq's keyword is "password"; any spelling of it is kept out of logs all the same.
bool is_password_key(std::string_view key) {
  constexpr std::string_view password = "password";
  if (key.size() != password.size()) return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(key[i])) != password[i]) return false;
  }
  return true;
}

// The keywords this libpq knows (host, port, dbname, user, password, service, sslmode, ...).
bool is_libpq_keyword(std::string_view word) {
  PQconninfoOption* defaults = PQconndefaults();
  if (!defaults) return false;
  bool found = false;
  for (PQconninfoOption* o = defaults; o->keyword; ++o) {
    if (word == o->keyword) {
      found = true;
      break;
    }
  }
  PQconninfoFree(defaults);
  return found;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX decoded, as libpq decodes a URL's query keywords.
std::string percent_decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// postgresql://user:password@host/db?password=x&sslmode=y -> postgresql://user@host/db?sslmode=y
std::string url_without_password(std::string_view url) {
  const auto scheme_end = url.find("://") + 3;
  std::string out(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end);
  const auto query_at = rest.find('?');
  std::string_view before_query = rest.substr(0, query_at);
  // The user information ends at the last '@' before the query: a password with an unescaped
  // '@' or '/' in it is still cut out whole.
  if (const auto at = before_query.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = before_query.substr(0, at);
    out += userinfo.substr(0, userinfo.find(':'));
    out += before_query.substr(at);
  } else {
    out += before_query;
  }
  if (query_at == std::string_view::npos) return out;
  std::string query;
  std::string_view params = rest.substr(query_at + 1);
  while (true) {
    const auto amp = params.find('&');
    std::string_view param = params.substr(0, amp);
    if (!is_password_key(percent_decoded(param.substr(0, param.find('=')))) && !param.empty()) {
      query += (query.empty() ? "" : "&") + std::string(param);
    }
    if (amp == std::string_view::npos) break;
    params = params.substr(amp + 1);
  }
  if (!query.empty()) out += "?" + query;
  return out;
}

// libpq keyword=value pairs without the password pair. Values are read as libpq reads them
// (single quotes, backslash escapes) and copied as written. A string libpq could not read
// either is not shown beyond where it stops making sense.
std::string pairs_without_password(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  auto skip_spaces = [&] {
    while (i < s.size() && is_space(s[i])) ++i;
  };
  while (true) {
    skip_spaces();
    if (i >= s.size()) break;
    const std::size_t key_start = i;
    while (i < s.size() && s[i] != '=' && !is_space(s[i])) ++i;
    std::string_view key = s.substr(key_start, i - key_start);
    skip_spaces();
    if (i >= s.size() || s[i] != '=') return out + (out.empty() ? "" : " ") + "...";
    ++i;
    skip_spaces();
    const std::size_t value_start = i;
    if (i < s.size() && s[i] == '\'') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          i += 2;
        } else if (s[i] == '\'') {
          ++i;
          closed = true;
          break;
        } else {
          ++i;
        }
      }
      if (!closed) return out + (out.empty() ? "" : " ") + "...";
    } else {
      while (i < s.size() && !is_space(s[i])) i += (s[i] == '\\' && i + 1 < s.size()) ? 2 : 1;
    }
    std::string_view value = s.substr(value_start, i - value_start);
    if (is_password_key(key)) continue;
    std::string shown(value);
    // A URL given as a value (dbname, in some uses) loses its password too.
    if (starts_with(shown, "postgresql://") || starts_with(shown, "postgres://")) {
      shown = url_without_password(shown);
    }
    out += (out.empty() ? "" : " ") + std::string(key) + "=" + shown;
  }
  return out;
}

}  // namespace

bool is_postgres(std::string_view db) {
  if (starts_with(db, "postgresql://") || starts_with(db, "postgres://")) return true;
  std::size_t i = 0;
  while (i < db.size() && is_space(db[i])) ++i;
  std::size_t end = i;
  while (end < db.size() && db[end] != '=' && !is_space(db[end])) ++end;
  std::size_t eq = end;
  while (eq < db.size() && is_space(db[eq])) ++eq;
  if (eq >= db.size() || db[eq] != '=' || end == i) return false;
  return is_libpq_keyword(db.substr(i, end - i));
}

std::string describe_location(std::string_view db) {
  if (starts_with(db, "postgresql://") || starts_with(db, "postgres://")) return url_without_password(db);
  if (is_postgres(db)) return pairs_without_password(db);
  return std::string(db);
}

std::unique_ptr<Store> open_store(const std::string& db, const OpenOptions& options) {
  if (is_postgres(db)) {
    PostgresOptions o;
    o.conninfo = db;
    o.connections = options.connections;
    o.migrate = options.migrate;
    o.drafts = options.drafts;
    return std::make_unique<PostgresStore>(o);
  }
  SqliteOptions o;
  o.path = db;
  o.readers = options.connections;
  o.drafts = options.drafts;
  return std::make_unique<SqliteStore>(o);
}

int schema_version_of(const std::string& db) {
  if (is_postgres(db)) {
    pg::Connection c(db);
    if (c.exec("SELECT to_regclass('schema_version') IS NULL").text(0, 0) == "t") return 0;
    const auto r = c.exec("SELECT version FROM schema_version");
    return r.rows() == 0 ? 0 : static_cast<int>(r.integer(0, 0));
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> handle(raw, sqlite3_close);
  if (rc != SQLITE_OK) throw StoreError("cannot open " + db + " to read it: " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(raw, "SELECT version FROM schema_version", -1, &st, nullptr) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(raw);
    if (message.find("no such table") != std::string::npos) return 0;
    throw StoreError("database: " + message);
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(st, sqlite3_finalize);
  const int step = sqlite3_step(st);
  if (step == SQLITE_ROW) return sqlite3_column_int(st, 0);
  if (step == SQLITE_DONE) return 0;
  throw StoreError("database: " + std::string(sqlite3_errmsg(raw)));
}

}  // namespace askonce::server
