// SqliteConnection: prepared-statement cache, binding, row access and error mapping.
#include "store/sqlite/sqlite_connection.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <charconv>
#include <unordered_map>

namespace hoithi::store {
namespace {

core::Error MapError(sqlite3* db, int rc, std::string_view sql) {
  const std::string detail =
      fmt::format("sqlite: {} ({}) in: {}", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), rc,
                  sql.substr(0, 200));
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Duplicate(detail);
      }
      return ConstraintViolation(detail);
    case SQLITE_FULL:
      return StorageFull(detail);
    case SQLITE_READONLY:
      return ReadOnly(detail);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
      return Unavailable(detail);
    default:
      return InternalError(detail);
  }
}

struct Statement {
  sqlite3_stmt* stmt = nullptr;
  std::vector<int> index_of;  // index_of[n-1] = SQLite parameter index bound to $n
};

class SqliteRow final : public Row {
 public:
  explicit SqliteRow(sqlite3_stmt* s) : s_(s) {}
  int size() const override { return sqlite3_column_count(s_); }
  bool IsNull(int col) const override { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::int64_t Int(int col) const override { return sqlite3_column_int64(s_, col); }
  double Real(int col) const override { return sqlite3_column_double(s_, col); }
  std::string_view Text(int col) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : std::string_view();
  }

 private:
  sqlite3_stmt* s_;
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, st] : cache_)
      sqlite3_finalize(st.stmt);
    sqlite3_close_v2(db_);
  }

  Backend backend() const override { return Backend::kSqlite; }

  core::Result<std::int64_t> Exec(std::string_view sql, ParamList params) override {
    auto st = Prepare(sql, params);
    if (!st) return std::move(st).error();
    sqlite3_stmt* s = (*st)->stmt;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE) return MapError(db_, rc, sql);
    return static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  core::Status Query(std::string_view sql, ParamList params, const RowFn& on_row) override {
    auto st = Prepare(sql, params);
    if (!st) return std::move(st).error();
    sqlite3_stmt* s = (*st)->stmt;
    SqliteRow row(s);
    int rc;
    // Reset even when on_row throws, so the cached statement is usable next time.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{s};
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
      on_row(row);
    if (rc != SQLITE_DONE) return MapError(db_, rc, sql);
    return core::Ok();
  }

  core::Status ExecScript(std::string_view sql) override {
    const std::string text(sql);
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      auto e = MapError(db_, rc, sql);
      if (err) e.detail += std::string(" — ") + err;
      sqlite3_free(err);
      return e;
    }
    return core::Ok();
  }

  core::Status Ping() override { return Simple("SELECT 1"); }
  core::Status Begin() override { return Simple("BEGIN IMMEDIATE"); }
  core::Status Commit() override { return Simple("COMMIT"); }
  core::Status Rollback() override {
    if (sqlite3_get_autocommit(db_))
      return core::Ok();  // nothing open (SQLite may have rolled back)
    return Simple("ROLLBACK");
  }

 private:
  core::Status Simple(std::string_view sql) {
    auto r = Exec(sql, {});
    if (!r) return std::move(r).error();
    return core::Ok();
  }

  core::Result<Statement*> Prepare(std::string_view sql, ParamList params) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      Statement st;
      const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &st.stmt, nullptr);
      if (rc != SQLITE_OK) {
        sqlite3_finalize(st.stmt);
        return MapError(db_, rc, sql);
      }
      const int count = sqlite3_bind_parameter_count(st.stmt);
      st.index_of.assign(static_cast<size_t>(count), 0);
      for (int i = 1; i <= count; ++i) {
        const char* name = sqlite3_bind_parameter_name(st.stmt, i);
        int n = 0;
        if (name && name[0] == '$') {
          std::from_chars(name + 1, name + std::char_traits<char>::length(name), n);
        }
        if (n < 1 || n > count) {
          sqlite3_finalize(st.stmt);
          return InternalError(fmt::format("sqlite: placeholders must be $1..$n in: {}", sql));
        }
        st.index_of[static_cast<size_t>(n - 1)] = i;
      }
      it = cache_.emplace(std::string(sql), std::move(st)).first;
    }
    Statement& st = it->second;
    if (params.size() != st.index_of.size()) {
      return InternalError(fmt::format("sqlite: {} parameters given, {} expected in: {}",
                                       params.size(), st.index_of.size(), sql));
    }
    for (size_t n = 0; n < params.size(); ++n) {
      const int idx = st.index_of[n];
      const auto& v = params[n].value();
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(v)) {
        rc = sqlite3_bind_null(st.stmt, idx);
      } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(st.stmt, idx, *i);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(st.stmt, idx, *d);
      } else {
        const auto s = std::get<std::string_view>(v);
        rc = sqlite3_bind_text64(st.stmt, idx, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(st.stmt);
        return MapError(db_, rc, sql);
      }
    }
    return &st;
  }

  sqlite3* db_;
  std::unordered_map<std::string, Statement, StringHash, std::equal_to<>> cache_;
};

}  // namespace

core::Result<std::unique_ptr<Connection>> OpenSqlite(const SqliteOptions& options) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    auto e = Unavailable(fmt::format("cannot open SQLite database {}: {}", options.path,
                                     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);
    return e;
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  if (!options.read_only && sqlite3_db_readonly(db, "main") == 1) {
    return Unavailable(fmt::format("SQLite database {} is read-only", options.path));
  }
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  // WAL lets readers run beside the single writer; FULL makes every commit durable (fsync of the
  // WAL) before the committer acknowledges it.
  std::string pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
      "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;";
  if (options.read_only) pragmas += "PRAGMA query_only=ON;";
  if (auto st = conn->ExecScript(pragmas); !st) {
    auto e = st.error();
    e.detail = fmt::format("cannot configure SQLite database {}: {}", options.path, e.detail);
    return e;
  }
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace hoithi::store
