// Whole-database copies for backups and their restore: SQLite through its online backup API (a
// consistent snapshot while a server keeps writing), PostgreSQL through pg_dump's custom format
// and pg_restore. The connection URL's secrets reach pg_dump/pg_restore by environment (PG*
// variables), never on their command line.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "store/database.hpp"

namespace hoithi::store {

/// Writes a copy of the database to `dest`, atomically: into "<dest>.partial", synced, then
/// renamed, so `dest` is either absent or complete. Refuses an existing `dest` unless `overwrite`.
/// SQLite: one read snapshot copied page by page (writers go on; the copy has what was committed
/// when it started), stored as a single file (journal mode DELETE) and checked (quick_check).
/// PostgreSQL: `pg_dump --format=custom` (a snapshot too), found on PATH.
/// Returns the size of the copy in bytes.
core::Result<std::uintmax_t> BackupDatabase(const DatabaseUrl& url, const std::string& dest,
                                            bool overwrite);

/// Replaces the database's content with the copy in `src`, which must be a backup of the same
/// backend (an SQLite file holding a hoithi schema, or a pg_dump custom-format archive).
/// Refuses (kConflict) while another process has the database open, e.g. a running server: the
/// server's caches and open attempts would not survive having the data replaced under them.
/// SQLite: holds an exclusive lock for the whole restore, and copies with the backup API into
/// the database in place, as one transaction: a failure or a crash leaves the old content.
/// PostgreSQL: `pg_restore --clean --if-exists --single-transaction`: the same, all or nothing;
/// objects the archive does not name (from a newer schema) are left as they are.
core::Status RestoreDatabase(const DatabaseUrl& url, const std::string& src);

}  // namespace hoithi::store
