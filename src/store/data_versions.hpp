// The change counters of cached data (table data_versions, bumped by triggers: migrations 0005,
// 0009), watched by one thread per process. A cache tags what it loads with the counter it read
// before loading and treats an entry as stale once the counter moved, so a change made through any
// instance reaches every instance's caches within one poll interval (instances keep no state
// of their own that another instance could contradict for longer).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <thread>

#include "store/database.hpp"

namespace hoithi::store {

/// One counter read now on the caller's connection ("accounts": participant accounts per unit,
/// which are counted on demand rather than polled); 0 when there is no such counter.
core::Result<std::int64_t> ReadCounter(Connection& conn, std::string_view name);

/// What the counters count (the rows of data_versions).
enum class Cached { kSessions, kContests, kQuestions, kResults };

class DataVersions {
 public:
  /// Polls every `interval` once started. Without Start (CLI, unit tests) Current reads the
  /// database itself, at most once per `interval`.
  explicit DataVersions(Database& db,
                        std::chrono::milliseconds interval = std::chrono::milliseconds(250));
  ~DataVersions();
  DataVersions(const DataVersions&) = delete;
  DataVersions& operator=(const DataVersions&) = delete;

  void Start();
  void Stop();

  /// The latest counter seen. While the database does not answer, the last one seen.
  std::int64_t Current(Cached what);

  /// Reads the counters now (after this process changed something, so that its own next read
  /// does not serve the old value; and in tests).
  void Refresh();

 private:
  void Poll();

  Database& db_;
  std::chrono::milliseconds interval_;
  std::atomic<std::int64_t> counters_[4] = {0, 0, 0, 0};
  std::atomic<std::int64_t> polled_at_ms_{0};  // steady clock; for the lazy mode
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace hoithi::store
