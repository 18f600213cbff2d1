// tests/backend_support.hpp: one database for a real server on either backend, for the tests
// that run every case on SQLite and on PostgreSQL (BOOST_DATA_TEST_CASE over `both`).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "server/http/config.hpp"
#include "server/store/keyring.hpp"
#include "server/store/postgres_store.hpp"
#include "tests/pg_support.hpp"
#include "tests/server_support.hpp"

namespace askonce::test {

enum class Backend { sqlite, postgres };
inline std::ostream& operator<<(std::ostream& o, Backend b) { return o << (b == Backend::sqlite ? "sqlite" : "postgres"); }
inline const std::vector<Backend> both = {Backend::sqlite, Backend::postgres};

/// One database for one or more servers, and the keys they share: a SQLite file in a fresh
/// directory of `group`, or a fresh database of the test cluster, migrated.
struct BackendDatabase {
  BackendDatabase(const std::string& group, Backend b, const std::string& name)
      : dir(fresh_dir(group, name + (b == Backend::sqlite ? "-sqlite" : "-pg"))) {
    keys = (dir / "keys").string();
    server::Keyring::create_file(keys);
    if (b == Backend::postgres) {
      pg = fresh_pg_database();
      server::migrate_postgres(pg->conninfo(), std::nullopt);
    }
  }
  void use(server::Config& c) const {
    c.db = pg ? pg->conninfo() : (dir / "askonce.db").string();
    c.keys.file = keys;
  }
  std::filesystem::path dir;
  std::string keys;
  std::unique_ptr<PgDatabase> pg;
};

}  // namespace askonce::test
