// A fixed set of threads with a bounded queue, for CPU-heavy work that must stay off the network
// threads (password hashing, imports). When the queue is full, TrySubmit refuses at once so the
// caller can answer 429/503 instead of letting memory or latency grow without bound; with a
// max_wait it also refuses when the work already queued would keep a new task waiting longer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hoithi::core {

struct WorkPoolLimits {
  /// Refuse a task that would wait longer than this before a thread takes it, judged from the
  /// tasks' mean run time so far. Zero: only the queue length bounds the wait.
  std::chrono::milliseconds max_wait{0};
  /// The workers' nice value (Linux schedules threads one by one): above 0, CPU-heavy tasks
  /// yield to the network threads when both want the same core.
  int nice = 0;
};

class WorkPool {
 public:
  WorkPool(std::string name, std::size_t threads, std::size_t max_queue,
           WorkPoolLimits limits = {});
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  /// Queues `task`; false (and `task` dropped) when the queue is full or the pool stopped.
  /// Exceptions escaping a task are logged and swallowed: the worker goes on. With `expired`
  /// and a max_wait, a task that has waited longer than max_wait when its turn comes runs
  /// `expired` instead (to answer "busy" at once): the estimate at submission can be wrong when
  /// the tasks ahead suddenly run slower, and the wait must stay bounded all the same.
  bool TrySubmit(std::function<void()> task, std::function<void()> expired = {});

  /// Runs the queued tasks to the end, then joins the threads. Idempotent.
  void Stop();

  std::size_t queued() const;
  std::size_t threads() const { return threads_.size(); }
  /// The mean run time of a task (an exponential moving average), zero before the first.
  std::chrono::microseconds mean_run_time() const;

 private:
  void Run();
  void Guarded(const std::function<void()>& task);  // runs it; logs what escapes

  std::string name_;
  std::size_t max_queue_;
  WorkPoolLimits limits_;
  double mean_us_ = 0;  // under mu_
  mutable std::mutex mu_;
  std::condition_variable cv_;
  struct Queued {
    std::function<void()> task;
    std::function<void()> expired;
    std::chrono::steady_clock::time_point at;
  };
  std::deque<Queued> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace hoithi::core
