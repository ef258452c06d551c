// PostgresConnection: statement cache, parameter conversion, SQLSTATE -> Error, reconnection.
#include "store/postgres/postgres_connection.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <unordered_map>

namespace hoithi::store {
namespace {

constexpr unsigned kBoolOid = 16;

core::Error MapResultError(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  const std::string detail =
      fmt::format("postgres: {} [{}] in: {}", PQerrorMessage(conn), sqlstate, sql.substr(0, 200));
  // A read-only database: a standby after a failover, or one an operator made read-only.
  if (sqlstate == "25006") return ReadOnly(detail);
  if (PQstatus(conn) == CONNECTION_BAD || sqlstate.starts_with("08") ||
      sqlstate.starts_with("57P") || sqlstate.starts_with("53300")) {
    return Unavailable(detail);
  }
  if (sqlstate == "23505") return Duplicate(detail);
  if (sqlstate.starts_with("23")) return ConstraintViolation(detail);
  if (sqlstate == "53100") return StorageFull(detail);
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate.starts_with("53")) {
    return Unavailable(detail);
  }
  return InternalError(detail);
}

class PgRow final : public Row {
 public:
  PgRow(const PGresult* r) : r_(r) {}
  void set_row(int row) { row_ = row; }
  int size() const override { return PQnfields(r_); }
  bool IsNull(int col) const override { return PQgetisnull(r_, row_, col) == 1; }
  std::int64_t Int(int col) const override {
    const char* v = PQgetvalue(r_, row_, col);
    if (PQftype(r_, col) == kBoolOid) return v[0] == 't' ? 1 : 0;
    std::int64_t n = 0;
    std::from_chars(v, v + PQgetlength(r_, row_, col), n);
    return n;
  }
  double Real(int col) const override { return std::strtod(PQgetvalue(r_, row_, col), nullptr); }
  std::string_view Text(int col) const override {
    return {PQgetvalue(r_, row_, col), static_cast<size_t>(PQgetlength(r_, row_, col))};
  }

 private:
  const PGresult* r_;
  int row_ = 0;
};

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override { PQfinish(conn_); }

  Backend backend() const override { return Backend::kPostgres; }

  core::Result<std::int64_t> Exec(std::string_view sql, ParamList params) override {
    auto res = Run(sql, params);
    if (!res) return std::move(res).error();
    const char* tuples = PQcmdTuples(res->get());
    std::int64_t n = 0;
    if (tuples && *tuples) std::from_chars(tuples, tuples + std::strlen(tuples), n);
    return n;
  }

  core::Status Query(std::string_view sql, ParamList params, const RowFn& on_row) override {
    auto res = Run(sql, params);
    if (!res) return std::move(res).error();
    PgRow row(res->get());
    const int n = PQntuples(res->get());
    for (int i = 0; i < n; ++i) {
      row.set_row(i);
      on_row(row);
    }
    return core::Ok();
  }

  core::Status ExecScript(std::string_view sql) override {
    HOITHI_TRY(EnsureConnected());
    const std::string text(sql);
    ResultPtr res(PQexec(conn_, text.c_str()));
    const auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return MapResultError(conn_, res.get(), sql);
    }
    return core::Ok();
  }

  core::Status Ping() override { return Simple("SELECT 1"); }
  core::Status Begin() override { return Simple("BEGIN"); }
  core::Status Commit() override { return Simple("COMMIT"); }
  core::Status Rollback() override {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return core::Ok();
    return Simple("ROLLBACK");
  }

 private:
  core::Status Simple(std::string_view sql) {
    auto r = Exec(sql, {});
    if (!r) return std::move(r).error();
    return core::Ok();
  }

  /// Reconnects a connection the server dropped; prepared statements died with it. A session
  /// that found the database read-only is replaced too, once idle: its read-only default was
  /// fixed when it began, so only a new session sees the database writable again.
  core::Status EnsureConnected() {
    if (stale_ && PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      stale_ = false;
      PQreset(conn_);
      cache_.clear();
    }
    if (PQstatus(conn_) == CONNECTION_OK) return core::Ok();
    PQreset(conn_);
    cache_.clear();
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Unavailable(fmt::format("postgres: reconnect failed: {}", PQerrorMessage(conn_)));
    }
    return core::Ok();
  }

  /// A connection the server dropped while idle (a restart, a failover) fails its next
  /// statement. A statement that changes nothing by itself outside a transaction (BEGIN, a
  /// SELECT) is then retried once on a fresh connection, so that a database that came back is
  /// used at once rather than after one failure per pooled connection.
  core::Result<ResultPtr> Run(std::string_view sql, ParamList params) {
    const bool idle = PQtransactionStatus(conn_) == PQTRANS_IDLE;
    auto res = RunOnce(sql, params);
    if (!res && idle && PQstatus(conn_) == CONNECTION_BAD &&
        (sql.starts_with("BEGIN") || sql.starts_with("SELECT"))) {
      res = RunOnce(sql, params);
    }
    return res;
  }

  core::Result<ResultPtr> RunOnce(std::string_view sql, ParamList params) {
    HOITHI_TRY(EnsureConnected());
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      const std::string name = fmt::format("s{}", next_id_++);
      const std::string text(sql);
      ResultPtr prep(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr));
      if (PQresultStatus(prep.get()) != PGRES_COMMAND_OK) {
        return MapResultError(conn_, prep.get(), sql);
      }
      it = cache_.emplace(text, name).first;
    }
    values_.clear();
    values_.resize(params.size());
    pointers_.assign(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& v = params[i].value();
      if (std::holds_alternative<std::nullptr_t>(v)) continue;
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        values_[i] = std::to_string(*n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        values_[i] = fmt::format("{}", *d);
      } else {
        values_[i] = std::string(std::get<std::string_view>(v));
      }
      pointers_[i] = values_[i].c_str();
    }
    ResultPtr res(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                 pointers_.data(), nullptr, nullptr, 0));
    const auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      auto e = MapResultError(conn_, res.get(), sql);
      if (e.code == kReadOnlyCode) stale_ = true;
      return e;
    }
    return res;
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> cache_;
  int next_id_ = 0;
  bool stale_ = false;  // reconnect before the next statement outside a transaction
  std::vector<std::string> values_;
  std::vector<const char*> pointers_;
};

}  // namespace

core::Result<std::unique_ptr<Connection>> OpenPostgres(const PostgresOptions& options) {
  const std::string timeout = std::to_string(options.connect_timeout_s);
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {options.url.c_str(), timeout.c_str(), "hoithi", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    auto e = Unavailable(fmt::format("cannot connect to PostgreSQL at {}: {}", options.url,
                                     conn ? PQerrorMessage(conn) : "out of memory"));
    PQfinish(conn);
    return e;
  }
  auto c = std::make_unique<PostgresConnection>(conn);
  // Times are bigint milliseconds; keep the session in UTC anyway for any server-side function.
  HOITHI_TRY(c->ExecScript("SET TIME ZONE 'UTC'; SET client_min_messages = warning"));
  return std::unique_ptr<Connection>(std::move(c));
}

}  // namespace hoithi::store
