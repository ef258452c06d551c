// Which database the tests run on: SQLite files in each test's data dir (the default), or, when
// the test run started a throwaway PostgreSQL cluster (HOITHI_TEST_PG_DIR, see pg-cluster), one
// fresh PostgreSQL database per data dir, so tests stay as independent as on SQLite.
#pragma once

#include <string>

namespace hoithi::testing {

/// True when this test process runs on PostgreSQL.
bool OnPostgres();

/// The cluster's base URL ("postgresql://hoithi@127.0.0.1:PORT"); throws when not on PostgreSQL.
std::string PostgresBaseUrl();

/// The database.url for a test whose data lives in `data_dir`: "sqlite://<data_dir>/<file>" on
/// SQLite; on PostgreSQL a database named after `data_dir`, created on first use.
std::string DatabaseUrlFor(const std::string& data_dir,
                           const std::string& sqlite_file = "hoithi.db");

/// Makes the PostgreSQL database of `data_dir` read-only (its sessions are ended, as in a
/// failover to a standby) or writable again (existing sessions keep what they began with).
void SetDatabaseReadOnly(const std::string& data_dir, bool read_only);

/// Drops the PostgreSQL database of `data_dir` (no-op on SQLite). Its connections are closed.
void DropDatabaseFor(const std::string& data_dir);

}  // namespace hoithi::testing
