// Backups and restores: the SQLite backup API, pg_dump/pg_restore as child processes.
#include "store/backup.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <thread>
#include <vector>

extern char** environ;

namespace hoithi::store {
namespace {

namespace fs = std::filesystem;
using core::ErrorKind;

constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};
constexpr std::string_view kPgDumpMagic = "PGDMP";

core::Error Invalid(std::string message, std::string detail = {}) {
  auto e = core::MakeError(ErrorKind::kValidation, "invalid_backup", std::move(message));
  e.detail = std::move(detail);
  return e;
}

core::Error Failed(std::string message, std::string detail) {
  auto e = core::MakeError(ErrorKind::kInternal, "backup_failed", std::move(message));
  e.detail = std::move(detail);
  return e;
}

core::Error InUse(std::string message, std::string detail = {}) {
  auto e = core::MakeError(ErrorKind::kConflict, "database_in_use", std::move(message));
  e.detail = std::move(detail);
  return e;
}

/// The first bytes of `path` ("" when it cannot be read).
std::string Head(const std::string& path, std::size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string out(n, '\0');
  in.read(out.data(), static_cast<std::streamsize>(n));
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}

/// A readable regular file, or the error that says why not.
core::Status CheckSource(const std::string& src) {
  std::error_code ec;
  if (!fs::exists(src, ec)) return Invalid(fmt::format("Không có tệp sao lưu {}.", src));
  if (!fs::is_regular_file(src, ec)) return Invalid(fmt::format("{} không phải là một tệp.", src));
  return core::Ok();
}

/// Refuses an existing `dest` (unless overwriting) or one in a missing folder.
core::Status CheckDestination(const std::string& dest, bool overwrite) {
  std::error_code ec;
  if (fs::is_directory(dest, ec)) {
    return Invalid(fmt::format("{} là một thư mục; hãy ghi rõ tên tệp sao lưu.", dest));
  }
  if (fs::exists(dest, ec) && !overwrite) {
    return Invalid(fmt::format("Tệp {} đã có; dùng --overwrite để ghi đè.", dest));
  }
  const auto dir = fs::path(dest).parent_path();
  if (!dir.empty() && !fs::is_directory(dir, ec)) {
    return Invalid(fmt::format("Không có thư mục {} để ghi tệp sao lưu.", dir.string()));
  }
  return core::Ok();
}

/// fsync of a file, then of its folder: the rename that follows is durable.
core::Status SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    const std::string why = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return Failed("Không ghi được tệp sao lưu xuống đĩa.", path + ": " + why);
  }
  ::close(fd);
  return core::Ok();
}

core::Status RenameDurably(const std::string& from, const std::string& to) {
  HOITHI_TRY(SyncFile(from));
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec)
    return Failed("Không đổi tên được tệp sao lưu.", from + " -> " + to + ": " + ec.message());
  auto dir = fs::path(to).parent_path();
  if (dir.empty()) dir = ".";
  if (const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); fd >= 0) {
    (void)::fsync(fd);
    ::close(fd);
  }
  return core::Ok();
}

std::uintmax_t SizeOf(const std::string& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : n;
}

// ---- SQLite

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

core::Result<SqliteHandle> OpenSqliteFile(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteHandle db(raw);
  if (rc != SQLITE_OK) {
    return Unavailable(fmt::format("sqlite: cannot open {}: {}", path,
                                   raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  return db;
}

/// Runs `sql`; the first column of the first row, if any, goes to `first`.
int SqliteExec(sqlite3* db, const std::string& sql, std::string* first = nullptr) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (first && first->empty()) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      *first = text ? text : "";
    }
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

core::Error SqliteError(sqlite3* db, std::string_view what) {
  return Failed("Sao lưu hoặc khôi phục cơ sở dữ liệu SQLite thất bại.",
                fmt::format("sqlite: {}: {}", what, sqlite3_errmsg(db)));
}

/// Copies all of `from` into `to` in one step: one read snapshot of `from`, one write
/// transaction on `to`. Waits (up to a minute) while either is locked by another writer.
core::Status CopySqlite(sqlite3* from, sqlite3* to) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (!backup) return SqliteError(to, "backup_init");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  int rc = SQLITE_OK;
  for (;;) {
    rc = sqlite3_backup_step(backup, -1);
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    break;
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return SqliteError(to, "backup_step");
  return core::Ok();
}

core::Status QuickCheck(sqlite3* db, const std::string& path) {
  std::string verdict;
  if (SqliteExec(db, "PRAGMA quick_check", &verdict) != SQLITE_OK || verdict != "ok") {
    return Invalid(fmt::format("Tệp {} bị hỏng (SQLite quick_check không đạt).", path),
                   verdict.empty() ? sqlite3_errmsg(db) : verdict);
  }
  return core::Ok();
}

core::Result<std::uintmax_t> BackupSqlite(const std::string& db_path, const std::string& dest) {
  std::error_code ec;
  if (!fs::exists(db_path, ec)) {
    return Invalid(fmt::format("Không có tệp cơ sở dữ liệu {} để sao lưu.", db_path));
  }
  auto from = OpenSqliteFile(db_path, SQLITE_OPEN_READWRITE);
  if (!from) return std::move(from).error();
  sqlite3_busy_timeout(from->get(), 5000);

  const std::string partial = dest + ".partial";
  fs::remove(partial, ec);
  {
    auto to = OpenSqliteFile(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!to) return std::move(to).error();
    auto copied = CopySqlite(from->get(), to->get());
    // One self-contained file: no -wal beside it, whatever the mode of the original.
    if (copied && SqliteExec(to->get(), "PRAGMA journal_mode=DELETE") != SQLITE_OK) {
      copied = SqliteError(to->get(), "journal_mode");
    }
    if (copied) copied = QuickCheck(to->get(), partial);
    if (!copied) {
      to->reset();
      fs::remove(partial, ec);
      return std::move(copied).error();
    }
  }
  HOITHI_TRY(RenameDurably(partial, dest));
  return SizeOf(dest);
}

core::Status RestoreSqlite(const std::string& db_path, const std::string& src) {
  const auto magic = Head(src, kSqliteMagic.size());
  if (magic != kSqliteMagic) {
    if (magic.starts_with(kPgDumpMagic)) {
      return Invalid(
          fmt::format("{} là bản sao lưu PostgreSQL (pg_dump), không khôi phục được vào "
                      "cơ sở dữ liệu SQLite.",
                      src));
    }
    return Invalid(fmt::format("{} không phải bản sao lưu SQLite của hoithi.", src));
  }
  auto from = OpenSqliteFile(src, SQLITE_OPEN_READONLY);
  if (!from) return std::move(from).error();
  HOITHI_TRY(QuickCheck(from->get(), src));
  std::string version;
  if (SqliteExec(from->get(), "SELECT MAX(version) FROM schema_migrations", &version) !=
          SQLITE_OK ||
      version.empty()) {
    return Invalid(fmt::format("{} là tệp SQLite nhưng không phải cơ sở dữ liệu hoithi.", src));
  }

  std::error_code ec;
  if (const auto dir = fs::path(db_path).parent_path(); !dir.empty()) {
    fs::create_directories(dir, ec);
  }
  auto to = OpenSqliteFile(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!to) return std::move(to).error();
  // Exclusive locking mode keeps the lock from this first transaction until the connection
  // closes: it fails now if any other connection has the database open (a running server holds
  // its connections for its whole life), and no server can open it while we replace its pages.
  if (SqliteExec(to->get(), "PRAGMA locking_mode=EXCLUSIVE") != SQLITE_OK ||
      SqliteExec(to->get(), "BEGIN EXCLUSIVE") != SQLITE_OK) {
    return InUse(fmt::format("Cơ sở dữ liệu {} đang được dùng (máy chủ hoithi còn chạy?). Hãy "
                             "dừng mọi tiến trình hoithi dùng nó rồi khôi phục lại.",
                             db_path),
                 sqlite3_errmsg(to->get()));
  }
  if (SqliteExec(to->get(), "COMMIT") != SQLITE_OK) return SqliteError(to->get(), "commit");
  HOITHI_TRY(CopySqlite(from->get(), to->get()));
  return QuickCheck(to->get(), db_path);
}

// ---- PostgreSQL

/// PG* variables for the connection settings of `url` (PQconninfoParse knows which variable
/// stands for which setting), so that the password never appears on a command line.
core::Result<std::map<std::string, std::string>> PgEnvironment(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &err);
  if (!options) {
    std::string why = err ? err : "out of memory";
    if (err) PQfreemem(err);
    return Invalid("database.url không hợp lệ cho PostgreSQL.", why);
  }
  std::map<std::string, std::string> env;
  for (auto* o = options; o->keyword; ++o) {
    if (o->val && *o->val && o->envvar) env[o->envvar] = o->val;
  }
  PQconninfoFree(options);
  return env;
}

struct ChildResult {
  int exit_code = -1;
  std::string err;  // what it wrote to stderr
};

/// Runs `argv` (looked up on PATH) with the current environment plus `extra`; stdout goes to
/// /dev/null, stderr is captured. An error only when it could not be started.
core::Result<ChildResult> RunChild(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string_view::npos) merged[std::string(kv.substr(0, eq))] = kv.substr(eq + 1);
  }
  // What the URL sets wins; what it leaves out (PGPASSWORD, PGPASSFILE, ...) is as for the server.
  for (const auto& [k, v] : extra)
    merged[k] = v;
  std::vector<std::string> env_storage;
  for (const auto& [k, v] : merged)
    env_storage.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_storage)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_storage = args;
  std::vector<char*> argv;
  for (auto& a : argv_storage)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  char err_path[] = "/tmp/hoithi-child-XXXXXX";
  const int err_fd = ::mkstemp(err_path);
  if (err_fd < 0) return Failed("Không tạo được tệp tạm.", std::strerror(errno));
  ::unlink(err_path);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ::close(err_fd);
    return Failed(fmt::format("Không chạy được {} (cài gói postgresql-client, phiên bản không cũ "
                              "hơn máy chủ PostgreSQL).",
                              args[0]),
                  std::strerror(rc));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ChildResult out;
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  ::lseek(err_fd, 0, SEEK_SET);
  char buf[4096];
  for (ssize_t n; (n = ::read(err_fd, buf, sizeof buf)) > 0;)
    out.err.append(buf, static_cast<std::size_t>(n));
  ::close(err_fd);
  // Some C libraries report a program they could not execute as the child's exit status 127.
  if (out.exit_code == 127) {
    return Failed(fmt::format("Không chạy được {} (cài gói postgresql-client).", args[0]), out.err);
  }
  return out;
}

core::Result<std::uintmax_t> BackupPostgres(const std::string& url, const std::string& dest) {
  auto env = PgEnvironment(url);
  if (!env) return std::move(env).error();
  const std::string partial = dest + ".partial";
  std::error_code ec;
  fs::remove(partial, ec);
  auto run = RunChild({"pg_dump", "--format=custom", "--file=" + partial}, *env);
  if (!run) return std::move(run).error();
  if (run->exit_code != 0) {
    fs::remove(partial, ec);
    return Failed("pg_dump không sao lưu được cơ sở dữ liệu PostgreSQL.", run->err);
  }
  HOITHI_TRY(RenameDurably(partial, dest));
  return SizeOf(dest);
}

/// How many other sessions are connected to the database of `url`.
core::Result<std::int64_t> OtherSessions(const std::string& url) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Unavailable(PQerrorMessage(conn.get()));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> res(
      PQexec(conn.get(),
             "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
             " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"),
      &PQclear);
  if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) {
    return Failed("Không kiểm tra được các kết nối tới cơ sở dữ liệu.", PQerrorMessage(conn.get()));
  }
  return std::stoll(PQgetvalue(res.get(), 0, 0));
}

core::Status RestorePostgres(const std::string& url, const std::string& src) {
  const auto magic = Head(src, kSqliteMagic.size());
  if (!magic.starts_with(kPgDumpMagic)) {
    if (magic == kSqliteMagic) {
      return Invalid(
          fmt::format("{} là bản sao lưu SQLite, không khôi phục được vào cơ sở dữ "
                      "liệu PostgreSQL.",
                      src));
    }
    return Invalid(
        fmt::format("{} không phải bản sao lưu PostgreSQL dạng custom (pg_dump -Fc).", src));
  }
  auto env = PgEnvironment(url);
  if (!env) return std::move(env).error();
  // A server that just stopped leaves its sessions to end on the server side: give them a moment.
  auto others = OtherSessions(url);
  for (int i = 0; i < 20 && others && *others > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    others = OtherSessions(url);
  }
  if (!others) return std::move(others).error();
  if (*others > 0) {
    return InUse(
        fmt::format("Cơ sở dữ liệu đang có {} kết nối khác (máy chủ hoithi còn chạy?). "
                    "Hãy dừng mọi tiến trình hoithi dùng nó rồi khôi phục lại.",
                    *others));
  }
  const auto dbname = env->count("PGDATABASE") ? env->at("PGDATABASE") : std::string();
  if (dbname.empty()) return Invalid("database.url không nêu tên cơ sở dữ liệu PostgreSQL.");
  auto run = RunChild({"pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                       "--single-transaction", "--exit-on-error", "--dbname=" + dbname, src},
                      *env);
  if (!run) return std::move(run).error();
  if (run->exit_code != 0) {
    return Failed("pg_restore không khôi phục được; cơ sở dữ liệu giữ nguyên như trước.", run->err);
  }
  return core::Ok();
}

}  // namespace

core::Result<std::uintmax_t> BackupDatabase(const DatabaseUrl& url, const std::string& dest,
                                            bool overwrite) {
  HOITHI_TRY(CheckDestination(dest, overwrite));
  return url.backend == Backend::kSqlite ? BackupSqlite(url.sqlite_path, dest)
                                         : BackupPostgres(url.postgres_url, dest);
}

core::Status RestoreDatabase(const DatabaseUrl& url, const std::string& src) {
  HOITHI_TRY(CheckSource(src));
  return url.backend == Backend::kSqlite ? RestoreSqlite(url.sqlite_path, src)
                                         : RestorePostgres(url.postgres_url, src);
}

}  // namespace hoithi::store
