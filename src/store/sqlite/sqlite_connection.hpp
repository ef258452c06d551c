// The SQLite backend: one sqlite3 handle in WAL mode with synchronous=FULL, a cache of prepared
// statements keyed by SQL text, and $N placeholders bound by name.
#pragma once

#include <memory>
#include <string>

#include "store/connection.hpp"

namespace hoithi::store {

struct SqliteOptions {
  std::string path;
  int busy_timeout_ms = 5000;
  bool read_only = false;  // a reader of the pool: PRAGMA query_only
};

/// Opens (creating if needed) the database file. Fails when the file cannot be opened for writing
/// (unless read_only) with a message that names the path.
core::Result<std::unique_ptr<Connection>> OpenSqlite(const SqliteOptions& options);

}  // namespace hoithi::store
