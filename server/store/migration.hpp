// server/store/migration.hpp: what a schema migration is, for every backend: each backend keeps
// its own list (sqlite_migrations, postgres_migrations) under the same version numbers, so that
// version N names the same tables whichever database holds them.
#pragma once

#include <string>
#include <vector>

namespace askonce::server {

/// One schema migration: the SQL statements that take the schema from version - 1 to version,
/// applied together in one transaction.
struct Migration {
  int version = 0;
  std::vector<std::string> statements;
};

}  // namespace askonce::server
