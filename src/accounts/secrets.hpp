// Install-wide secrets (the CSRF key, the key that seals initial passwords), kept in a key file of
// the data directory, never in the database they protect: a copy of the database (a backup, a
// dump, a replica) opens no sealed password and forges no form.
#pragma once

#include <string>

#include "core/error.hpp"
#include "store/database.hpp"

namespace hoithi::accounts {

struct Secrets {
  std::string csrf;  // 32 bytes
  std::string seal;  // 32 bytes
};

/// The secrets of the key file at `path` (the data directory's secrets.key), which is created on
/// first start with fresh random keys, mode 0600, in one atomic step: instances starting together
/// on one data directory all read the same keys. Secrets that an earlier version kept in the
/// database's server_secrets table are moved into the new file and deleted from the database (the
/// passwords sealed with them stay readable). Instances on other machines need a copy of the file
/// (docs/operations.md). kInternal "bad_secret_file" when the file exists but is not one.
core::Result<Secrets> LoadOrCreateSecrets(store::Database& db, const std::string& path);

}  // namespace hoithi::accounts
