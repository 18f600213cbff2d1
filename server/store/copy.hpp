// server/store/copy.hpp: moving a deployment from SQLite to PostgreSQL (`askonce db copy`).
//
// Every row of every table is copied, ids included, so that reference numbers, receipt links,
// agency tokens, server secrets and the cursors agencies hold all keep working. The source is
// read in one read transaction, a consistent snapshot even while a server is writing to it (WAL
// lets a reader see the database as it was when its transaction began). The target must be
// empty, and is filled in one transaction: a copy that fails leaves it empty. Afterwards each
// table is counted and digested on both sides, from what each database itself returns.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace askonce::server {

/// One table's figures on both sides. The digest is SHA-256 over the table's rows in key order,
/// each as a line of PostgreSQL's COPY text format; equal digests mean equal rows.
struct TableCopy {
  std::string table;
  std::int64_t source_rows = 0;
  std::int64_t target_rows = 0;
  std::string source_digest;
  std::string target_digest;
  bool same() const { return source_rows == target_rows && source_digest == target_digest; }
};

/// Copies the SQLite database at `sqlite_path` (migrated first, like any opening) into the
/// PostgreSQL database at `conninfo` (migrated first, so run it as the schema's owner). Throws
/// StoreError when the target holds any row already, when either side fails, or when a table's
/// count or digest differs after the copy (the copy is then rolled back). `progress` hears a
/// line per table.
std::vector<TableCopy> copy_sqlite_to_postgres(const std::string& sqlite_path, const std::string& conninfo,
                                               const std::function<void(const std::string&)>& progress = {});

}  // namespace askonce::server
