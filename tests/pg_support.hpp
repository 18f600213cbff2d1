// tests/pg_support.hpp: PostgreSQL for tests. The `postgres` CTest fixture
// (tests/CMakeLists.txt) starts a throwaway cluster with scripts/test-postgres.sh and tells the
// tests where through ASKONCE_TEST_PG_DIR; each test case takes a database of its own on it
// (fresh_pg_database), so no two share data. Without the cluster a test fails, saying why:
// PostgreSQL tests are never skipped.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "server/store/pg.hpp"

namespace askonce::test {

/// The conninfo of the cluster in `dir` (what scripts/test-postgres.sh start DIR wrote).
inline std::string pg_cluster_conninfo(const std::string& dir) {
  std::ifstream in(dir + "/conninfo");
  std::string conninfo;
  if (!std::getline(in, conninfo) || conninfo.empty()) {
    throw std::runtime_error(dir + "/conninfo is missing: is the cluster started (scripts/test-postgres.sh start " +
                             dir + ")?");
  }
  return conninfo;
}

/// The test cluster's directory, from ASKONCE_TEST_PG_DIR.
inline std::string pg_cluster_dir() {
  const char* dir = std::getenv("ASKONCE_TEST_PG_DIR");
  if (!dir || !*dir) {
    throw std::runtime_error(
        "ASKONCE_TEST_PG_DIR is not set: run this test through ctest (its `postgres` fixture starts a cluster), or "
        "start one with scripts/test-postgres.sh start DIR and set ASKONCE_TEST_PG_DIR=DIR");
  }
  return dir;
}

/// The PostgreSQL program `tool` (pg_dump, psql, ...) the way scripts/test-postgres.sh picks the
/// cluster's server: from the newest major version Debian installed under /usr/lib/postgresql
/// (so it is never older than the server, as pg_dump requires), else the one on PATH. Fails
/// when there is none.
inline std::string pg_tool(const std::string& tool) {
  namespace fs = std::filesystem;
  std::vector<std::pair<long, fs::path>> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string version = e.path().filename().string();
    const fs::path program = e.path() / "bin" / tool;
    if (!version.empty() && version.find_first_not_of("0123456789.") == std::string::npos && fs::exists(program)) {
      found.emplace_back(std::strtol(version.c_str(), nullptr, 10), program);
    }
  }
  if (!found.empty()) return std::max_element(found.begin(), found.end())->second.string();
  if (const char* path = std::getenv("PATH")) {
    for (std::string rest = path; !rest.empty();) {
      const auto colon = rest.find(':');
      const fs::path program = fs::path(rest.substr(0, colon)) / tool;
      if (!program.parent_path().empty() && fs::exists(program)) return program.string();
      rest = colon == std::string::npos ? std::string() : rest.substr(colon + 1);
    }
  }
  throw std::runtime_error("no PostgreSQL " + tool + " found (/usr/lib/postgresql/*/bin, or PATH): install the "
                           "'postgresql' package (scripts/deps.sh)");
}

/// A database of its own on a test cluster, dropped (with any connection still on it) when this
/// goes.
class PgDatabase {
 public:
  explicit PgDatabase(const std::string& cluster_conninfo) : cluster_(cluster_conninfo) {
    static std::atomic<int> counter{0};
    // Letters, digits and _ only: the name is put into CREATE DATABASE, which takes no values.
    name_ = "askonce_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
            std::to_string(std::random_device{}() % 1000000);
    server::pg::Connection admin(cluster_);
    admin.exec("CREATE DATABASE " + name_);
    conninfo_ = cluster_ + " dbname=" + name_;  // a later keyword wins over an earlier one
  }
  ~PgDatabase() {
    try {
      server::pg::Connection admin(cluster_);
      admin.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
      // The cluster is gone (a test stopped it): so is the database.
    }
  }
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  /// libpq keyword=value pairs naming this database.
  const std::string& conninfo() const { return conninfo_; }
  const std::string& name() const { return name_; }

 private:
  std::string cluster_, name_, conninfo_;
};

/// A new database on the fixture's cluster (ASKONCE_TEST_PG_DIR), dropped at the end.
inline std::unique_ptr<PgDatabase> fresh_pg_database() {
  return std::make_unique<PgDatabase>(pg_cluster_conninfo(pg_cluster_dir()));
}

/// A cluster of one's own, for a test that stops and starts it: scripts/test-postgres.sh
/// start DIR now, stop DIR at the end.
class PgCluster {
 public:
  explicit PgCluster(std::string dir) : dir_(std::move(dir)) {
    if (run("start") != 0) throw std::runtime_error("scripts/test-postgres.sh start " + dir_ + " failed");
    conninfo_ = pg_cluster_conninfo(dir_);
  }
  ~PgCluster() { run("stop"); }
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  const std::string& conninfo() const { return conninfo_; }
  const std::string& dir() const { return dir_; }
  /// pg_ctl stop -m fast, and start again on the same directory and socket.
  void stop_server() { must("stop-server"); }
  void start_server() { must("start-server"); }

 private:
  int run(const std::string& action) {
    return std::system(("sh scripts/test-postgres.sh " + action + " '" + dir_ + "'").c_str());
  }
  void must(const std::string& action) {
    if (run(action) != 0) throw std::runtime_error("scripts/test-postgres.sh " + action + " " + dir_ + " failed");
  }
  std::string dir_, conninfo_;
};

}  // namespace askonce::test
