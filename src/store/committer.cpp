// The committer thread: gather, run each write in a savepoint, commit once, complete each write.
#include "store/committer.hpp"

#include <spdlog/spdlog.h>

#include <future>
#include <optional>

namespace hoithi::store {
namespace {

constexpr std::string_view kSavepoint = "hoithi_write";

core::Error ShuttingDown() {
  auto e = core::MakeError(core::ErrorKind::kUnavailable, "shutting_down",
                           "Máy chủ đang dừng để bảo trì. Vui lòng thử lại sau ít phút.");
  e.retry_after_s = 10;
  return e;
}

core::Error Overloaded() {
  auto e = core::MakeError(core::ErrorKind::kUnavailable, "overloaded",
                           "Máy chủ đang quá tải. Vui lòng thử lại sau giây lát.");
  e.retry_after_s = 2;
  return e;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Committer::Committer(std::unique_ptr<Connection> conn, CommitterOptions options,
                     core::MetricsRegistry* metrics)
    : conn_(std::move(conn)), options_(options) {
  if (metrics) {
    const std::string label = "committer=\"" + options_.name + "\"";
    batch_size_ = &metrics->AddHistogram(
        "hoithi_commit_batch_size", "Writes committed together in one transaction",
        {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000}, label);
    commit_seconds_ = &metrics->AddHistogram("hoithi_commit_seconds",
                                             "Time of one durable COMMIT (fsync included)",
                                             core::LatencyBuckets(), label);
    failed_batches_ = &metrics->AddCounter("hoithi_commit_failures_total",
                                           "Batches whose transaction failed as a whole", label);
    writes_ = &metrics->AddCounter("hoithi_writes_total", "Writes run by the committer", label);
    metrics->AddGaugeFunction(
        "hoithi_queue_depth", "Work waiting in a queue",
        [this] { return static_cast<double>(queue_depth()); }, "queue=\"committer\"," + label);
  }
  thread_ = std::thread([this] { Loop(); });
}

Committer::~Committer() {
  Stop();
}

void Committer::Submit(WriteFn work, DoneFn done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_ && queue_.size() < options_.max_queue) {
      queue_.push_back(Item{std::move(work), std::move(done), Clock::now()});
      cv_.notify_one();
      return;
    }
  }
  done(stopping_ ? ShuttingDown() : Overloaded());
}

core::Status Committer::SubmitAndWait(WriteFn work) {
  std::promise<core::Status> promise;
  auto future = promise.get_future();
  Submit(std::move(work), [&promise](const core::Status& s) { promise.set_value(s); });
  return future.get();
}

void Committer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::chrono::microseconds Committer::ExpectedWait() const {
  const auto now = Clock::now();
  std::lock_guard lock(mu_);
  Clock::duration waited{0};
  if (batch_started_) waited = now - *batch_started_;
  if (!queue_.empty()) waited = std::max(waited, now - queue_.front().queued_at);
  return std::chrono::duration_cast<std::chrono::microseconds>(waited);
}

std::size_t Committer::queue_depth() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void Committer::Loop() {
  std::deque<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has been committed
      // Everything that queued while the previous commit was syncing goes into this batch.
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      batch_started_ = Clock::now();
    }
    RunBatch(batch);
    batch.clear();
  }
}

void Committer::RunBatch(std::deque<Item>& batch) {
  std::vector<core::Status> outcomes(batch.size());
  std::optional<core::Error> batch_error;

  conn_->DropBeforeCommit();
  if (auto st = conn_->Begin(); !st) batch_error = st.error();

  for (size_t i = 0; i < batch.size() && !batch_error; ++i) {
    if (auto st = conn_->Savepoint(kSavepoint); !st) {
      batch_error = st.error();
      break;
    }
    core::Status result;
    try {
      result = batch[i].work(*conn_);
    } catch (const std::exception& e) {
      result = InternalError(std::string("write threw: ") + e.what());
    }
    if (result) {
      if (auto st = conn_->ReleaseSavepoint(kSavepoint); !st) batch_error = st.error();
      continue;
    }
    outcomes[i] = result;
    // Undo this write only. If even that fails (SQLite may already have rolled the whole
    // transaction back on a full disk), the batch is lost as a whole.
    auto undo = conn_->RollbackToSavepoint(kSavepoint);
    if (undo) undo = conn_->ReleaseSavepoint(kSavepoint);
    if (!undo) batch_error = result.error();
  }

  // What the writes left for the end of the transaction (the audit chain), then the commit.
  if (!batch_error) {
    if (auto st = conn_->RunBeforeCommit(); !st) batch_error = st.error();
  }
  if (!batch_error) {
    const auto commit_start = std::chrono::steady_clock::now();
    if (auto st = conn_->Commit(); !st) batch_error = st.error();
    if (commit_seconds_) commit_seconds_->Observe(SecondsSince(commit_start));
  }
  if (batch_error) {
    conn_->DropBeforeCommit();
    (void)conn_->Rollback();
    if (failed_batches_) failed_batches_->Inc();
    spdlog::error("commit of a batch of {} writes failed: {} {}", batch.size(), batch_error->code,
                  batch_error->detail);
    for (auto& o : outcomes) {
      // A write that failed on its own keeps its own error unless it is the batch's cause.
      if (o) o = *batch_error;
    }
  } else if (batch_size_) {
    batch_size_->Observe(static_cast<double>(batch.size()));
  }
  if (writes_) writes_->Inc(batch.size());
  {
    std::lock_guard lock(mu_);
    batch_started_.reset();
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    try {
      batch[i].done(outcomes[i]);
    } catch (const std::exception& e) {
      spdlog::error("committer: completion threw: {}", e.what());
    }
  }
}

}  // namespace hoithi::store
