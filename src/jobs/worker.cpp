// The worker's threads: one per slot (claim, run the handler, record the outcome) and one that
// heartbeats the jobs in hand and hands cancel requests to their handlers; the one catch of
// handler exceptions.
#include "jobs/worker.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>

namespace hoithi::jobs {
namespace {

constexpr auto kProgressEvery = std::chrono::milliseconds(500);

/// The wait before the run that follows `attempts` runs: the backoff, doubled for each attempt
/// after the first, at most max_backoff.
core::Millis Backoff(const KindOptions& o, int attempts) {
  auto wait = o.backoff;
  for (int i = 1; i < attempts && wait < o.max_backoff; ++i)
    wait *= 2;
  return std::min(wait, o.max_backoff);
}

}  // namespace

bool JobContext::RequestStop(StopReason reason) {
  auto expected = StopReason::kNone;
  if (reason == StopReason::kNone || !reason_.compare_exchange_strong(expected, reason)) {
    return false;
  }
  stop_.request_stop();  // after the reason: whoever sees the stop also sees why
  return true;
}

core::Error Transient(std::string code, std::string message) {
  return core::MakeError(core::ErrorKind::kUnavailable, std::move(code), std::move(message));
}

Worker::Worker(store::Database& db, const core::Clock& clock, std::string name,
               WorkerOptions options)
    : db_(db), clock_(clock), name_(std::move(name)), options_(options) {}

Worker::~Worker() {
  Stop();
}

void Worker::Register(const std::string& kind, Handler handler, KindOptions options) {
  assert(slots_.empty() && !heartbeat_.joinable());  // before Start()
  kinds_[kind] = Kind{std::move(handler), options};
}

void Worker::Start() {
  for (const auto& [kind, k] : kinds_) {
    for (int i = 0; i < k.options.slots; ++i) {
      auto& slot = slots_.emplace_back();
      slot.kind = kind;
      slot.claimant = name_ + "/" + kind + "#" + std::to_string(i);
    }
  }
  for (auto& slot : slots_)
    slot.thread = std::thread([this, &slot] { SlotLoop(slot); });
  heartbeat_ = std::thread([this] { HeartbeatLoop(); });
}

void Worker::Stop() {
  (void)StopWithin(std::nullopt);
}

bool Worker::Stop(std::chrono::steady_clock::time_point deadline) {
  return StopWithin(deadline);
}

void Worker::Wake() {
  {
    std::lock_guard lock(mu_);
    ++wakes_;
  }
  cv_.notify_all();
}

bool Worker::stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

bool Worker::StopWithin(std::optional<std::chrono::steady_clock::time_point> deadline) {
  std::vector<InHand> asked;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;  // from here on no claim is registered, so `asked` is every job in hand
    if (deadline) {
      for (const auto& [id, h] : in_hand_)
        asked.push_back(h);
    }
  }
  cv_.notify_all();
  for (const auto& h : asked)
    h.context->RequestStop(StopReason::kShutdown);

  std::vector<InHand> left;
  {
    std::unique_lock lock(mu_);
    const auto idle = [this] { return busy_ == 0; };
    if (!deadline) {
      cv_.wait(lock, idle);
    } else if (!cv_.wait_until(lock, *deadline, idle)) {
      abandoned_ = true;
      for (const auto& [id, h] : in_hand_)
        left.push_back(h);
    }
    beating_ = false;
  }
  cv_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  for (const auto& h : left) {
    spdlog::warn("job {}: its handler did not stop in time; released, to run again", h.id);
    if (auto st = Release(h.claimant, h.id); !st) {
      spdlog::error("job {}: cannot release it: {} {}", h.id, st.error().code, st.error().detail);
    }
  }
  if (!left.empty()) return false;
  for (auto& slot : slots_) {
    if (slot.thread.joinable()) slot.thread.join();
  }
  return true;
}

void Worker::ForgetInHand(std::int64_t id, const std::string& claimant) {
  // Only this slot's entry: another slot of this worker may have taken the job over meanwhile
  // (after heartbeats failed for the stale limit).
  const auto it = in_hand_.find(id);
  if (it != in_hand_.end() && it->second.claimant == claimant) in_hand_.erase(it);
}

core::Status Worker::Release(const std::string& claimant, std::int64_t id) {
  const auto now = clock_.Now();
  return db_.WriteAndWait([&](store::Connection& c) { return ReleaseJob(c, id, claimant, now); });
}

void Worker::SlotLoop(const Slot& slot) {
  if (const int nice = kinds_.at(slot.kind).options.nice;
      nice != 0 && setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) != 0) {
    spdlog::warn("jobs: could not set the nice value of {} to {}", slot.claimant, nice);
  }
  for (;;) {
    std::uint64_t seen = 0;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      seen = wakes_;
    }
    bool worked = false;
    try {
      worked = RunOne(slot);
    } catch (const std::exception& e) {
      spdlog::error("job worker {}: {}", slot.claimant, e.what());
    }
    if (worked) continue;
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options_.poll, [&] { return stopping_ || wakes_ != seen; });
  }
}

bool Worker::RunOne(const Slot& slot) {
  const Kind& kind = kinds_.at(slot.kind);
  std::optional<Job> job;
  const auto now = clock_.Now();
  auto claimed = db_.WriteAndWait([&](store::Connection& c) -> core::Status {
    auto r = ClaimNextOfKind(c, slot.kind, kind.options.install_limit, slot.claimant, now,
                             now - options_.stale_after);
    if (!r) return std::move(r).error();
    job = std::move(*r);
    return core::Ok();
  });
  if (!claimed) {
    spdlog::warn("job worker {}: cannot claim: {} {}", slot.claimant, claimed.error().code,
                 claimed.error().detail);
    return false;
  }
  if (!job) return false;
  const auto id = job->id;

  auto context = std::make_shared<JobContext>(*job, slot.claimant);
  bool registered = false;
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      in_hand_[id] = InHand{id, slot.claimant, context};
      ++busy_;
      registered = true;
    }
  }
  if (!registered) {
    // Claimed while Stop began: not started, so not an attempt.
    (void)Release(slot.claimant, id);
    return true;
  }
  // Whatever happens from here on (even an exception), the slot ends up idle for Stop.
  struct Idle {
    Worker& w;
    std::int64_t id;
    const std::string& claimant;
    ~Idle() {
      {
        std::lock_guard lock(w.mu_);
        w.ForgetInHand(id, claimant);
        --w.busy_;
      }
      w.cv_.notify_all();
    }
  } idle{*this, id, slot.claimant};

  JobContext* ctx = context.get();  // not the shared_ptr: the progress function lives in it
  auto last_report = std::chrono::steady_clock::now() - kProgressEvery;
  context->progress = [&, ctx, id](int done, int total) {
    const auto t = std::chrono::steady_clock::now();
    if (t - last_report < kProgressEvery && done < total) return;
    last_report = t;
    const auto at = clock_.Now();
    // Waited for: writes still queued are unordered (store::Database::Write), and the last report
    // must land before the outcome.
    auto st = db_.WriteAndWait([&](store::Connection& c) {
      return ReportProgress(c, id, slot.claimant, done, total, at);
    });
    if (!st && st.error().code == "lost_claim") ctx->RequestStop(StopReason::kLostClaim);
  };

  core::Result<std::string> outcome = std::string();
  if (job->cancel_requested) {
    // Taken over from a dead holder after someone asked to cancel it: not run again.
    ctx->RequestStop(StopReason::kCancel);
    outcome = core::MakeError(core::ErrorKind::kConflict, "cancelled", "Công việc đã bị hủy.");
  } else {
    spdlog::info("job {} ({}) started by {}, run {}", id, job->kind, slot.claimant, job->runs);
    try {
      outcome = kind.handler(*ctx);
    } catch (const std::exception& e) {
      spdlog::error("job {} ({}) threw: {}", id, job->kind, e.what());
      outcome = core::MakeError(core::ErrorKind::kInternal, "internal_error",
                                "Đã xảy ra lỗi hệ thống khi xử lý. Vui lòng thử lại.");
    }
  }
  bool abandoned = false;
  {
    std::lock_guard lock(mu_);
    ForgetInHand(id, slot.claimant);  // no more heartbeats: the outcome is recorded now
    abandoned = abandoned_;
  }
  if (abandoned) {
    spdlog::warn("job {} ({}): its handler returned after the stop deadline; not recorded", id,
                 job->kind);
  } else {
    Record(slot, *job, *ctx, outcome);
  }
  return true;
}

void Worker::Record(const Slot& slot, const Job& job, const JobContext& context,
                    const core::Result<std::string>& outcome) {
  const auto& options = kinds_.at(slot.kind).options;
  const auto reason = context.stop_reason();
  const auto now = clock_.Now();
  if (reason == StopReason::kLostClaim) {
    spdlog::warn("job {} ({}): {} lost its claim to another worker; its outcome is not recorded",
                 job.id, job.kind, slot.claimant);
    return;
  }
  std::string what;
  std::function<core::Status(store::Connection&)> write;
  if (outcome.ok()) {
    what = "done";
    write = [&](store::Connection& c) {
      return FinishJob(c, job.id, slot.claimant, true, *outcome, std::string(), now);
    };
  } else if (reason == StopReason::kCancel) {
    what = "cancelled";
    write = [&](store::Connection& c) { return FinishCancelled(c, job.id, slot.claimant, now); };
  } else if (reason == StopReason::kShutdown) {
    what = "released (the worker stops)";
    write = [&](store::Connection& c) { return ReleaseJob(c, job.id, slot.claimant, now); };
  } else {
    const auto& e = outcome.error();
    spdlog::warn("job {} ({}) failed on attempt {}: {} {}", job.id, job.kind, job.attempts + 1,
                 e.code, e.detail);
    if (IsTransient(e) && job.attempts + 1 < options.max_attempts) {
      const auto at = now + Backoff(options, job.attempts + 1);
      what = "queued again (a transient failure)";
      write = [&, at](store::Connection& c) {
        return RetryJob(c, job.id, slot.claimant, e.message, at, now);
      };
    } else {
      what = "failed";
      write = [&](store::Connection& c) {
        return FinishJob(c, job.id, slot.claimant, false, std::string(), e.message, now);
      };
    }
  }
  auto st = db_.WriteAndWait(write);
  if (!st) {
    spdlog::error("job {}: cannot record it as {}: {} {}", job.id, what, st.error().code,
                  st.error().detail);
  } else {
    spdlog::info("job {} ({}) {}", job.id, job.kind, what);
  }
}

void Worker::HeartbeatLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (cv_.wait_for(lock, options_.heartbeat_every, [this] { return !beating_; })) return;
    std::vector<InHand> in_hand;
    for (const auto& [id, h] : in_hand_)
      in_hand.push_back(h);
    if (in_hand.empty()) continue;
    lock.unlock();
    try {
      Beat(in_hand);
    } catch (const std::exception& e) {
      spdlog::error("job heartbeat: {}", e.what());
    }
    lock.lock();
  }
}

void Worker::Beat(const std::vector<InHand>& in_hand) {
  const auto now = clock_.Now();
  std::vector<std::optional<bool>> cancel;  // per job: cancel requested; empty: claim lost
  auto st = db_.WriteAndWait([&](store::Connection& c) -> core::Status {
    cancel.assign(in_hand.size(), std::nullopt);
    for (std::size_t i = 0; i < in_hand.size(); ++i) {
      auto r = Heartbeat(c, in_hand[i].id, in_hand[i].claimant, now);
      if (r) {
        cancel[i] = *r;
      } else if (r.error().code != "lost_claim") {
        return std::move(r).error();
      }
    }
    return core::Ok();
  });
  if (!st) {
    spdlog::warn("job heartbeat: {} {}", st.error().code, st.error().detail);
    return;
  }
  for (std::size_t i = 0; i < in_hand.size(); ++i) {
    const auto& h = in_hand[i];
    if (!cancel[i]) {
      if (h.context->RequestStop(StopReason::kLostClaim)) {
        spdlog::warn("job {}: {} no longer holds it; asking its handler to stop", h.id, h.claimant);
      }
    } else if (*cancel[i] && h.context->RequestStop(StopReason::kCancel)) {
      spdlog::info("job {}: cancel requested; asking its handler to stop", h.id);
    }
  }
}

}  // namespace hoithi::jobs
