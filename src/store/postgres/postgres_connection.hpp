// The PostgreSQL backend on libpq: named prepared statements cached by SQL text, text-format
// parameters and results, and transparent reconnection after the server comes back.
#pragma once

#include <memory>
#include <string>

#include "store/connection.hpp"

namespace hoithi::store {

struct PostgresOptions {
  std::string url;  // postgresql://user@host:port/db?param=value (libpq URI)
  int connect_timeout_s = 5;
};

/// Connects; fails with a message naming the server when it does not answer.
core::Result<std::unique_ptr<Connection>> OpenPostgres(const PostgresOptions& options);

}  // namespace hoithi::store
