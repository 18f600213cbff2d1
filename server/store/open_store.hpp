// server/store/open_store.hpp: one --db option for both backends. A postgresql:// URL or libpq
// keyword=value pairs open PostgresStore; anything else is a SQLite file (SqliteStore).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "server/store/store.hpp"

namespace askonce::server {

/// Whether `db` names a PostgreSQL database: a postgresql:// or postgres:// URL, or libpq
/// keyword=value pairs (starting with a libpq keyword such as host=, dbname=, service=, user=).
bool is_postgres(std::string_view db);

/// `db` for messages and logs: a SQLite path as it is; a PostgreSQL connection string with
/// every password taken out (user:password@ in a URL, password= in its query, the password
/// keyword of keyword=value pairs).
std::string describe_location(std::string_view db);

struct OpenOptions {
  /// PostgreSQL: apply missing migrations first (`askonce db migrate`); a server opened without
  /// it refuses an outdated schema. SQLite always migrates.
  bool migrate = false;
  /// Connections besides the writer (SQLite: read connections).
  std::size_t connections = 4;
  /// Drafts' keys and lifetime; without keys, drafts cannot be used (the CLI's commands).
  DraftOptions drafts{};
};

/// The schema version of the database `db` names, read without changing it (no migration, no
/// refusal of an older or newer schema): 0 for one askonce never wrote to. Throws StoreError
/// when it cannot be read.
int schema_version_of(const std::string& db);

/// The store `db` names. Throws StoreError when it cannot be opened.
std::unique_ptr<Store> open_store(const std::string& db, const OpenOptions& options);

}  // namespace askonce::server
