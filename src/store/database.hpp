// The database of one hoithi process: the backend chosen by database.url, a pool of read
// connections (readers never wait behind the committer: WAL on SQLite, MVCC on PostgreSQL) and
// the group committers, each owning one write connection: one on SQLite (one writer at a time
// anyway), several on PostgreSQL, where a commit costs a round trip per statement and concurrent
// transactions are safe exactly as they are between instances.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "store/committer.hpp"
#include "store/connection.hpp"

namespace hoithi::store {

struct DatabaseUrl {
  Backend backend = Backend::kSqlite;
  std::string sqlite_path;   // for sqlite://PATH (sqlite:///abs/file.db, sqlite://./rel/file.db)
  std::string postgres_url;  // for postgresql://... or postgres://..., passed to libpq as is
};

/// Parses database.url; an unknown scheme is an error that shows the accepted forms.
core::Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url);

/// "SQLite <path>" or "PostgreSQL <url>" with the password masked: for logs and messages.
std::string DescribeDatabase(const DatabaseUrl& url);

struct DatabaseOptions {
  std::string url;
  int read_connections = 4;
  int busy_timeout_ms = 5000;
  std::size_t max_batch = 1000;
  std::size_t max_queue = 100000;
  int write_connections = 4;  // group committers on PostgreSQL; SQLite always has one
};

class Database {
 public:
  /// Connects (creating the SQLite file and its folder if needed) and checks that the database
  /// can be written. Errors say which database failed and why; the CLI exits 1 on them.
  static core::Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options,
                                                      core::MetricsRegistry* metrics);
  ~Database();

  Backend backend() const { return backend_; }
  const std::string& description() const { return description_; }

  /// A pooled read connection, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(Database* db, std::unique_ptr<Connection> conn) : db_(db), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    Database* db_;
    std::unique_ptr<Connection> conn_;
  };
  /// Waits for a free read connection.
  Lease Read();

  /// A read connection borrowed from the pool only when a statement runs, and kept until this is
  /// destroyed: for reads that usually find what they need in memory (a rank from the standings,
  /// a shared board), so that they never wait for the pool when they need nothing from it. The
  /// pool is small (a connection per network thread, and one), and the committers' completions
  /// and the standings' loader borrow from it too.
  class OnDemandRead final : public Connection {
   public:
    explicit OnDemandRead(Database& db) : db_(db) {}
    Backend backend() const override { return db_.backend(); }
    core::Result<std::int64_t> Exec(std::string_view sql, ParamList params) override {
      return Borrowed().Exec(sql, params);
    }
    core::Status Query(std::string_view sql, ParamList params, const RowFn& on_row) override {
      return Borrowed().Query(sql, params, on_row);
    }
    core::Status ExecScript(std::string_view sql) override { return Borrowed().ExecScript(sql); }
    core::Status Ping() override { return Borrowed().Ping(); }
    core::Status Begin() override { return Borrowed().Begin(); }
    core::Status Commit() override { return Borrowed().Commit(); }
    core::Status Rollback() override { return Borrowed().Rollback(); }

   private:
    Connection& Borrowed() {
      if (!lease_) lease_.emplace(db_.Read());
      return **lease_;
    }
    Database& db_;
    std::optional<Lease> lease_;
  };

  /// Queues a write for a group committer, in turn (see committer.hpp for the contract).
  /// Writes still queued are not ordered among themselves (PostgreSQL has several committers,
  /// as several instances would): a write that must follow another is queued from the first
  /// one's `done`, or the first is waited for.
  void Write(WriteFn work, DoneFn done) {
    NextCommitter().Submit(std::move(work), std::move(done));
  }
  /// Writes and waits. Not for network threads.
  core::Status WriteAndWait(WriteFn work) { return NextCommitter().SubmitAndWait(std::move(work)); }

  /// How long a write queued now would wait at least (Committer::ExpectedWait, averaged over the
  /// committers, which take writes in turn): the write backlog, for admission control.
  std::chrono::microseconds ExpectedWriteWait() const;

  /// Applies pending migrations on a connection of its own; returns how many ran.
  core::Result<int> Migrate();

  /// A round trip on a read connection: does the database answer?
  core::Status Ping();

  /// Commits every queued write and stops the committer. Later writes fail. Idempotent.
  void Close();

 private:
  Database() = default;
  core::Result<std::unique_ptr<Connection>> Connect(bool read_only) const;
  Committer& NextCommitter() { return *committers_[next_committer_++ % committers_.size()]; }

  Backend backend_ = Backend::kSqlite;
  DatabaseUrl url_;
  DatabaseOptions options_;
  std::string description_;
  std::vector<std::unique_ptr<Committer>> committers_;
  std::atomic<std::size_t> next_committer_{0};

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> free_;
};

}  // namespace hoithi::store
