// Per-test PostgreSQL databases through libpq, on the cluster that pg-cluster started.
#include "support/test_database.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <stdexcept>

namespace hoithi::testing {
namespace {

std::string PgDir() {
  const char* dir = std::getenv("HOITHI_TEST_PG_DIR");
  return dir ? dir : "";
}

std::string NameFor(const std::string& data_dir) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016zx", std::hash<std::string>{}(data_dir));
  return std::string("t_") + hex;
}

/// Runs one statement on the cluster's maintenance database.
void Admin(const std::string& sql, bool ignore_duplicate) {
  PGconn* conn = PQconnectdb((PostgresBaseUrl() + "/postgres").c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string why = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("test PostgreSQL: " + why);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
  PGresult* res = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
  const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  const bool duplicate = state && std::string(state) == "42P04";
  const std::string why = PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  if (!ok && !(ignore_duplicate && duplicate)) throw std::runtime_error("test PostgreSQL: " + why);
}

}  // namespace

bool OnPostgres() {
  return !PgDir().empty();
}

std::string PostgresBaseUrl() {
  if (!OnPostgres()) throw std::runtime_error("not on PostgreSQL");
  std::ifstream in(PgDir() + "/url");
  std::string url;
  std::getline(in, url);
  if (url.empty()) throw std::runtime_error("no cluster URL in " + PgDir() + "/url");
  return url;
}

std::string DatabaseUrlFor(const std::string& data_dir, const std::string& sqlite_file) {
  if (!OnPostgres()) return "sqlite://" + data_dir + "/" + sqlite_file;
  const auto name = NameFor(data_dir + "/" + sqlite_file);
  Admin("CREATE DATABASE " + name, /*ignore_duplicate=*/true);
  return PostgresBaseUrl() + "/" + name;
}

void SetDatabaseReadOnly(const std::string& data_dir, bool read_only) {
  const auto name = NameFor(data_dir + "/hoithi.db");
  if (!read_only) {
    Admin("ALTER DATABASE " + name + " RESET default_transaction_read_only", false);
    return;
  }
  Admin("ALTER DATABASE " + name + " SET default_transaction_read_only = on", false);
  // As a failover to a standby would: the sessions in use end, new ones are read-only.
  Admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'",
        false);
}

void DropDatabaseFor(const std::string& data_dir) {
  if (!OnPostgres()) return;
  Admin("DROP DATABASE IF EXISTS " + NameFor(data_dir + "/hoithi.db") + " WITH (FORCE)", false);
}

}  // namespace hoithi::testing
