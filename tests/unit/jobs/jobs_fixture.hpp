// What the job queue and worker tests share: a migrated database of their own (SQLite, or a fresh
// PostgreSQL database with several committers when run as pg.*), a manual clock, the queue's
// functions as one write each, and Probe, through which a test and its handlers wait for each
// other on a condition variable.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "jobs/queue.hpp"
#include "store/database.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace hoithi::jobs {

using namespace std::chrono_literals;

inline constexpr std::int64_t kT0 = 1636934400000;  // 15/11/2021 00:00 UTC
inline constexpr auto kStale = std::chrono::minutes(2);

class JobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::DatabaseOptions o;
    o.url = testing::DatabaseUrlFor(dir_.str(), "jobs.db");
    o.read_connections = 2;
    o.write_connections = 4;  // PostgreSQL: concurrent transactions, as between instances
    auto db = store::Database::Open(o, nullptr);
    ASSERT_TRUE(db) << db.error().detail;
    db_ = std::move(*db);
    auto migrated = db_->Migrate();
    ASSERT_TRUE(migrated) << migrated.error().detail;
  }
  void TearDown() override {
    if (db_) db_->Close();
  }

  /// `f` as one write, with its value.
  template <class T>
  core::Result<T> Do(const std::function<core::Result<T>(store::Connection&)>& f) {
    std::optional<core::Result<T>> out;
    auto st = db_->WriteAndWait([&](store::Connection& c) -> core::Status {
      out.emplace(f(c));
      if (!*out) return out->error();
      return core::Ok();
    });
    if (!st) return std::move(st).error();
    return std::move(*out);
  }
  core::Status DoStatus(const std::function<core::Status(store::Connection&)>& f) {
    return db_->WriteAndWait(f);
  }

  std::int64_t Insert(const std::string& kind, const std::string& payload = "{}",
                      bool draft = false) {
    NewJob j;
    j.kind = kind;
    j.payload = payload;
    j.draft = draft;
    const auto now = clock_.Now();
    auto id = Do<std::int64_t>([&](store::Connection& c) { return InsertJob(c, j, now); });
    EXPECT_TRUE(id) << id.error().detail;
    return id ? *id : 0;
  }

  Job Find(std::int64_t id) {
    auto lease = db_->Read();
    auto job = FindJob(*lease, id);
    EXPECT_TRUE(job && *job) << "job " << id;
    return job && *job ? **job : Job{};
  }

  int CountRunning(const std::string& kind) {
    auto lease = db_->Read();
    auto n = store::QueryInt(*lease,
                             "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND status = "
                             "'running'",
                             {kind});
    return n ? static_cast<int>(n->value_or(0)) : -1;
  }

  std::int64_t HeartbeatAt(std::int64_t id) {
    auto lease = db_->Read();
    auto n = store::QueryInt(*lease, "SELECT heartbeat_at FROM jobs WHERE id = $1", {id});
    return n ? n->value_or(0) : -1;
  }

  /// ClaimNext at the clock's time, with the two-minute stale limit.
  core::Result<std::optional<Job>> Claim(std::vector<std::string> kinds,
                                         const std::string& claimant) {
    const auto now = clock_.Now();
    return Do<std::optional<Job>>(
        [&](store::Connection& c) { return ClaimNext(c, kinds, claimant, now, now - kStale); });
  }
  core::Result<std::optional<Job>> ClaimLimited(const std::string& kind, int limit,
                                                const std::string& claimant) {
    const auto now = clock_.Now();
    return Do<std::optional<Job>>([&](store::Connection& c) {
      return ClaimNextOfKind(c, kind, limit, claimant, now, now - kStale);
    });
  }

  /// Waits until `done()` holds (checked every few milliseconds, for at most 60 s): for states in
  /// the database, which no condition variable announces. Returns whether it held.
  static bool WaitFor(const std::function<bool()>& done) {
    const auto until = std::chrono::steady_clock::now() + 60s;
    while (!done()) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(2ms);
    }
    return true;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  core::ManualClock clock_{core::FromEpochMs(kT0)};
};

/// Handlers report to the test through a Probe, and wait for the test to open it.
class Probe {
 public:
  /// Opens the probe when it goes out of scope. Declared after a test's workers, it lets their
  /// handlers end, and so the workers' destructors return, when a failed assertion ends the test
  /// early.
  struct OpenAtExit {
    Probe& probe;
    ~OpenAtExit() { probe.Open(); }
  };

  /// A handler began: counts it and how many run at once.
  void Enter() {
    std::lock_guard lock(mu_);
    ++started_;
    ++running_;
    max_running_ = std::max(max_running_, running_);
    cv_.notify_all();
  }
  void Leave() {
    std::lock_guard lock(mu_);
    --running_;
    ++finished_;
    cv_.notify_all();
  }
  /// Lets waiting handlers go on: every one of them (`tickets` < 0) or that many.
  void Open(int tickets = -1) {
    std::lock_guard lock(mu_);
    if (tickets < 0) {
      open_ = true;
    } else {
      tickets_ += tickets;
    }
    cv_.notify_all();
  }
  /// For a handler: waits until opened (true) or until `stop` is requested (false).
  bool AwaitOpen(std::stop_token stop) {
    std::unique_lock lock(mu_);
    const bool opened = cv_.wait(lock, stop, [&] { return open_ || tickets_ > 0; });
    if (opened && !open_) --tickets_;
    return opened;
  }
  /// For a handler that ignores stop requests.
  void AwaitOpen() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_ || tickets_ > 0; });
    if (!open_) --tickets_;
  }
  /// For the test: waits (at most 60 s) until `pred()` holds, under the probe's lock.
  bool WaitUntil(const std::function<bool(const Probe&)>& pred) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 60s, [&] { return pred(*this); });
  }
  int started() const { return started_; }
  int running() const { return running_; }
  int finished() const { return finished_; }
  int max_running() const { return max_running_; }

  int Started() {
    std::lock_guard lock(mu_);
    return started_;
  }
  int MaxRunning() {
    std::lock_guard lock(mu_);
    return max_running_;
  }
  int Running() {
    std::lock_guard lock(mu_);
    return running_;
  }

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  bool open_ = false;
  int tickets_ = 0;
  int started_ = 0;
  int running_ = 0;
  int finished_ = 0;
  int max_running_ = 0;
};

}  // namespace hoithi::jobs
