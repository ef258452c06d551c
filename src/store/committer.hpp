// The durable group committer: the only path by which the server writes. Writes of concurrent
// requests queue here; one thread runs as many as are waiting inside a single transaction (each
// in its own savepoint), commits once, and only then completes each of them.
//
// Lifecycle of one write:  Submit -> queued -> running (its savepoint) -> committed | failed.
//   - its WriteFn fails        -> rolled back to its savepoint; its DoneFn gets that error;
//                                 the rest of the batch goes on.
//   - after the last write     -> the hooks the writes registered (Connection::BeforeCommit)
//                                 run; if one fails, the batch fails as a whole.
//   - the batch's COMMIT fails -> every write of the batch gets the commit's error, none
//                                 reports success (nothing is acknowledged that is not on disk).
//   - Stop()                   -> everything queued is still run and committed; later Submits fail.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "store/connection.hpp"

namespace hoithi::store {

/// Does the writes of one request on the committer's connection, inside the batch transaction.
/// Must not commit or roll back itself, and must be quick: the whole batch waits for it.
using WriteFn = std::function<core::Status(Connection&)>;

/// Called once, on the committer thread, after the batch committed (ok) or failed (error).
/// Must not block; typically it hands a response to the network thread that owns the request.
using DoneFn = std::function<void(const core::Status&)>;

struct CommitterOptions {
  std::size_t max_batch = 1000;
  std::size_t max_queue = 100000;
  std::string name = "0";  // the `committer` label of its metrics (a database may have several)
};

class Committer {
 public:
  Committer(std::unique_ptr<Connection> conn, CommitterOptions options,
            core::MetricsRegistry* metrics);
  ~Committer();
  Committer(const Committer&) = delete;
  Committer& operator=(const Committer&) = delete;

  /// Queues a write. When the committer is stopped or its queue is full, `done` is called at once,
  /// on the caller's thread, with an Unavailable error.
  void Submit(WriteFn work, DoneFn done);

  /// Submits and waits for the outcome. For the CLI and tests; never call it on the committer
  /// thread or on a network thread.
  core::Status SubmitAndWait(WriteFn work);

  /// Commits everything already queued, then stops the thread. Idempotent.
  void Stop();

  std::size_t queue_depth() const;

  /// How long a write queued now would wait at least: as long as the oldest queued write has
  /// waited so far, or the batch under way has run, whichever is longer; zero when idle. Measured
  /// rather than modelled, so that it falls back to zero the moment the backlog is gone (a model
  /// of the time per write stays inflated after a stall, and misjudges batches of other sizes).
  /// What admission control (the quiz's waiting room) reads.
  std::chrono::microseconds ExpectedWait() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Item {
    WriteFn work;
    DoneFn done;
    Clock::time_point queued_at;
  };
  void Loop();
  void RunBatch(std::deque<Item>& batch);

  std::unique_ptr<Connection> conn_;
  CommitterOptions options_;
  mutable std::mutex mu_;
  std::optional<Clock::time_point> batch_started_;  // under mu_: while a batch runs
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::thread thread_;

  core::Histogram* batch_size_ = nullptr;
  core::Histogram* commit_seconds_ = nullptr;
  core::Counter* failed_batches_ = nullptr;
  core::Counter* writes_ = nullptr;
};

}  // namespace hoithi::store
