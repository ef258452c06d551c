// The worker loop: claims jobs of the kinds registered with it, runs their handlers on its own
// thread, reports progress (which is also the heartbeat) and records the outcome. Handlers are
// registered by name by the app; this module knows no job kind itself.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "jobs/queue.hpp"
#include "store/database.hpp"

namespace hoithi::jobs {

struct JobContext {
  const Job& job;
  /// `done` of `total` units of work so far. Cheap to call often: written at most twice a second.
  std::function<void(int done, int total)> progress;
};

/// The job's result (stored as its result text), or an Error whose message tells the person why
/// it failed.
using Handler = std::function<core::Result<std::string>(JobContext& context)>;

class Worker {
 public:
  Worker(store::Database& db, const core::Clock& clock, std::string name);
  ~Worker();

  void Register(const std::string& kind, Handler handler);
  void Start();
  /// Lets the job in hand finish, then stops.
  void Stop();
  /// Looks for work now instead of at the next poll.
  void Wake();

 private:
  void Loop();
  bool RunOne();

  store::Database& db_;
  const core::Clock& clock_;
  std::string name_;
  std::map<std::string, Handler> handlers_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace hoithi::jobs
