// The worker: claims jobs of the kinds registered with it, runs their handlers on its own threads
// (a number of slots per kind, so that a long kind never starves a short one), heartbeats the jobs
// in hand on a timer, passes cancel and stop requests to the handlers, and records each outcome:
// done, failed, queued again for a retry, released at shutdown, or cancelled. Handlers are
// registered by name by the app; this module knows no job kind itself.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <map>
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

namespace hoithi::jobs {

/// Why a handler is asked to stop; the first request wins.
enum class StopReason {
  kNone,
  kCancel,     // someone asked to cancel the job: recorded as cancelled
  kShutdown,   // the worker stops: the job is released, to run again from the start
  kLostClaim,  // another claimant took the job over: nothing is recorded
};

/// What a handler sees of its job while it runs.
class JobContext {
 public:
  JobContext(const Job& job, std::string claimant) : job(job), claimant(std::move(claimant)) {}
  JobContext(const JobContext&) = delete;
  JobContext& operator=(const JobContext&) = delete;

  const Job& job;
  /// Who holds the claim: for CheckClaim in a handler's own write transaction.
  const std::string claimant;
  /// `done` of `total` units of work so far. Cheap to call often: written at most twice a second.
  std::function<void(int done, int total)> progress;

  /// Whether the handler should stop: poll it between steps.
  bool stop_requested() const { return stop_.stop_requested(); }
  StopReason stop_reason() const { return reason_.load(); }
  /// For std::stop_callback (e.g. to kill a subprocess at once) or condition_variable_any waits.
  /// A stop_callback runs on the thread that requests the stop (the worker's heartbeat or Stop):
  /// it must be quick and must not wait for the handler.
  std::stop_token stop_token() const { return stop_.get_token(); }

  /// Asks the handler to stop; only the first reason counts. Returns whether this was the first.
  /// Called by the worker (and by tests).
  bool RequestStop(StopReason reason);

 private:
  std::stop_source stop_;
  std::atomic<StopReason> reason_{StopReason::kNone};
};

/// The job's result (stored as its result text), or an Error whose message tells the person why
/// it failed. A handler that stops because it was asked to may return any Error: the stop reason
/// decides what is recorded.
using Handler = std::function<core::Result<std::string>(JobContext& context)>;

/// A failure worth another attempt later (the database or another service does not answer), as
/// opposed to a final one (bad input: not a video). Transient means ErrorKind::kUnavailable, the
/// kind of every store::Unavailable error.
core::Error Transient(std::string code, std::string message);
inline bool IsTransient(const core::Error& error) {
  return error.kind == core::ErrorKind::kUnavailable;
}

/// How one kind runs. The defaults (one slot, no install-wide limit, one attempt) are how the
/// roster import always ran.
struct KindOptions {
  /// Per instance: jobs of this kind this worker runs at once, each on a thread of its own that
  /// claims only this kind. 0: this instance never runs the kind.
  int slots = 1;
  /// Install-wide: jobs of this kind running at once in every instance of one database together
  /// (counted at claim under a lock; every instance must register the same limit). 0: no limit
  /// beyond each instance's slots.
  int install_limit = 0;
  /// Runs that may end in a transient failure before the job fails; final failures fail at once.
  int max_attempts = 1;
  /// The wait before the first retry; it doubles with each further failure, up to max_backoff.
  std::chrono::milliseconds backoff = std::chrono::seconds(30);
  std::chrono::milliseconds max_backoff = std::chrono::hours(1);
  /// The nice value of this kind's slot threads (Linux schedules threads one by one): above 0, a
  /// CPU-heavy handler running in the server's process yields to the requests.
  int nice = 0;
};

struct WorkerOptions {
  /// How often an idle slot looks for work (real time; Wake() looks at once).
  std::chrono::milliseconds poll = std::chrono::seconds(1);
  /// How often the jobs in hand are heartbeaten and checked for cancel requests (real time),
  /// whatever their handlers do. Well under stale_after.
  std::chrono::milliseconds heartbeat_every = std::chrono::seconds(10);
  /// A running job whose heartbeat is older than this (by the Clock) is taken over: its holder
  /// is taken for dead.
  std::chrono::milliseconds stale_after = std::chrono::minutes(2);
};

class Worker {
 public:
  /// `name` identifies this process among the instances (host and pid); each slot claims as
  /// "<name>/<kind>#<n>".
  Worker(store::Database& db, const core::Clock& clock, std::string name,
         WorkerOptions options = {});
  /// Stop(): waits for the handlers still running.
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Before Start().
  void Register(const std::string& kind, Handler handler, KindOptions options = {});
  void Start();
  /// Takes no new job, lets the jobs in hand finish (heartbeating them meanwhile), then stops.
  void Stop();
  /// Takes no new job and asks the handlers in hand to stop (StopReason::kShutdown); a handler
  /// that stops by `deadline` has its job released (queued again, not counted as an attempt),
  /// one that finishes has its outcome recorded. At the deadline the jobs still in hand are
  /// released too, to be claimed again here after a restart or at once by another instance;
  /// their handlers' outcomes are no longer recorded. Returns whether every handler returned;
  /// when not, their threads are joined only by the destructor, and the caller may rather end
  /// the process.
  bool Stop(std::chrono::steady_clock::time_point deadline);
  /// Looks for work now instead of at the next poll.
  void Wake();
  /// Whether Stop has begun: no job is claimed any more.
  bool stopping() const;

 private:
  struct Kind {
    Handler handler;
    KindOptions options;
  };
  struct Slot {
    std::string kind;
    std::string claimant;
    std::thread thread;
  };
  /// A job in hand, as the heartbeat and Stop see it (the Job itself lives on its slot's stack).
  struct InHand {
    std::int64_t id = 0;
    std::string claimant;
    std::shared_ptr<JobContext> context;
  };

  void SlotLoop(const Slot& slot);
  bool RunOne(const Slot& slot);
  void Record(const Slot& slot, const Job& job, const JobContext& context,
              const core::Result<std::string>& outcome);
  void HeartbeatLoop();
  void Beat(const std::vector<InHand>& in_hand);
  bool StopWithin(std::optional<std::chrono::steady_clock::time_point> deadline);
  core::Status Release(const std::string& claimant, std::int64_t id);
  void ForgetInHand(std::int64_t id, const std::string& claimant);  // under mu_

  store::Database& db_;
  const core::Clock& clock_;
  std::string name_;
  WorkerOptions options_;
  std::map<std::string, Kind> kinds_;
  std::list<Slot> slots_;
  std::thread heartbeat_;

  mutable std::mutex mu_;
  std::condition_variable cv_;  // slots waiting for work, the heartbeat timer, Stop waiting
  bool stopping_ = false;       // no new claims
  bool beating_ = true;         // the heartbeat thread runs until this is false
  bool abandoned_ = false;      // Stop's deadline passed: outcomes still to come are not recorded
  std::uint64_t wakes_ = 0;     // Wake() calls, so that every idle slot notices one
  int busy_ = 0;                // slots between a registered claim and its recorded outcome
  std::map<std::int64_t, InHand> in_hand_;
};

}  // namespace hoithi::jobs
