// The database of a test's data dir opened directly, beside (or behind the back of) the server
// that uses it: what someone with access to the database can do. For tests that link hoithi_store.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "store/database.hpp"
#include "support/test_database.hpp"

namespace hoithi::testing {

inline std::unique_ptr<store::Database> OpenDirect(const std::string& data_dir) {
  store::DatabaseOptions o;
  o.url = DatabaseUrlFor(data_dir);
  o.read_connections = 1;
  o.write_connections = 1;
  auto db = store::Database::Open(o, nullptr);
  if (!db) throw std::runtime_error("open " + o.url + ": " + db.error().detail);
  return std::move(*db);
}

}  // namespace hoithi::testing
