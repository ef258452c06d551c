// Database: URL parsing, opening both backends, the read pool and the migration entry point.
#include "store/database.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "store/migrations.hpp"
#include "store/postgres/postgres_connection.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace hoithi::store {

core::Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url) {
  DatabaseUrl out;
  if (url.starts_with("sqlite://")) {
    out.backend = Backend::kSqlite;
    out.sqlite_path = std::string(url.substr(9));
    if (!out.sqlite_path.empty()) return out;
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    out.backend = Backend::kPostgres;
    out.postgres_url = std::string(url);
    return out;
  }
  return core::MakeError(core::ErrorKind::kValidation, "config_invalid",
                         fmt::format("database.url: expected sqlite:///path/to/file.db or "
                                     "postgresql://user@host:port/db, got \"{}\"",
                                     url),
                         "database.url");
}

core::Result<std::unique_ptr<Connection>> Database::Connect(bool read_only) const {
  if (backend_ == Backend::kSqlite) {
    return OpenSqlite(SqliteOptions{url_.sqlite_path, options_.busy_timeout_ms, read_only});
  }
  return OpenPostgres(PostgresOptions{url_.postgres_url, 5});
}

std::string DescribeDatabase(const DatabaseUrl& url) {
  if (url.backend == Backend::kSqlite) return "SQLite " + url.sqlite_path;
  // The password, if any, must not reach the logs.
  auto desc = url.postgres_url;
  if (auto at = desc.find('@'); at != std::string::npos) {
    auto scheme_end = desc.find("://") + 3;
    if (auto colon = desc.find(':', scheme_end); colon != std::string::npos && colon < at) {
      desc = desc.substr(0, colon) + ":***" + desc.substr(at);
    }
  }
  // ... nor may a password given as a parameter: "?password=..." or "&password=...".
  for (std::size_t at = desc.find("password="); at != std::string::npos;
       at = desc.find("password=", at + 1)) {
    if (at == 0 || (desc[at - 1] != '?' && desc[at - 1] != '&')) continue;
    const auto value = at + std::string_view("password=").size();
    const auto end = desc.find('&', value);
    desc.replace(value, end == std::string::npos ? std::string::npos : end - value, "***");
  }
  return "PostgreSQL " + desc;
}

core::Result<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options,
                                                       core::MetricsRegistry* metrics) {
  auto url = ParseDatabaseUrl(options.url);
  if (!url) return std::move(url).error();
  std::unique_ptr<Database> db(new Database());
  db->url_ = *url;
  db->backend_ = url->backend;
  db->options_ = options;

  if (db->backend_ == Backend::kSqlite) {
    db->description_ = DescribeDatabase(*url);
    const auto dir = std::filesystem::path(url->sqlite_path).parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) {
      auto e = Unavailable(
          fmt::format("cannot create the data folder {}: {}", dir.string(), ec.message()));
      return e;
    }
  } else {
    db->description_ = DescribeDatabase(*url);
  }

  auto writer = db->Connect(false);
  if (!writer) return std::move(writer).error();
  // Prove now that writes are possible: take the write lock and let it go.
  if (auto st = (*writer)->Begin(); !st) {
    auto e = st.error();
    e.detail = fmt::format("{} is not writable: {}", db->description_, e.detail);
    return e;
  }
  HOITHI_TRY((*writer)->Rollback());

  const int readers = std::max(1, options.read_connections);
  for (int i = 0; i < readers; ++i) {
    auto reader = db->Connect(true);
    if (!reader) return std::move(reader).error();
    db->free_.push_back(std::move(*reader));
  }
  if (metrics) {
    auto* raw = db.get();
    metrics->AddGaugeFunction("hoithi_read_connections_free", "Read connections idle in the pool",
                              [raw] {
                                std::lock_guard lock(raw->pool_mu_);
                                return static_cast<double>(raw->free_.size());
                              });
  }
  const int writers = db->backend_ == Backend::kSqlite ? 1 : std::max(1, options.write_connections);
  for (int i = 0; i < writers; ++i) {
    if (i > 0) {
      writer = db->Connect(false);
      if (!writer) return std::move(writer).error();
    }
    db->committers_.push_back(std::make_unique<Committer>(
        std::move(*writer),
        CommitterOptions{options.max_batch, options.max_queue, std::to_string(i)}, metrics));
  }
  return db;
}

Database::~Database() {
  Close();
}

Database::Lease::~Lease() {
  if (!conn_) return;
  {
    std::lock_guard lock(db_->pool_mu_);
    db_->free_.push_back(std::move(conn_));
  }
  db_->pool_cv_.notify_one();
}

Database::Lease Database::Read() {
  std::unique_lock lock(pool_mu_);
  pool_cv_.wait(lock, [this] { return !free_.empty(); });
  auto conn = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(conn));
}

core::Result<int> Database::Migrate() {
  auto conn = Connect(false);
  if (!conn) return std::move(conn).error();
  return store::Migrate(**conn, EmbeddedMigrations());
}

std::chrono::microseconds Database::ExpectedWriteWait() const {
  if (committers_.empty()) return std::chrono::microseconds(0);
  std::chrono::microseconds sum(0);
  for (const auto& c : committers_)
    sum += c->ExpectedWait();
  return sum / static_cast<std::int64_t>(committers_.size());
}

core::Status Database::Ping() {
  auto lease = Read();
  return lease->Ping();
}

void Database::Close() {
  for (auto& committer : committers_)
    committer->Stop();
}

}  // namespace hoithi::store
