// A fixed set of threads with a bounded queue, for CPU-heavy work that must stay off the network
// threads (password hashing, imports). When the queue is full, TrySubmit refuses at once so the
// caller can answer 429/503 instead of letting memory or latency grow without bound.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hoithi::core {

class WorkPool {
 public:
  WorkPool(std::string name, std::size_t threads, std::size_t max_queue);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  /// Queues `task`; false (and `task` dropped) when the queue is full or the pool stopped.
  /// Exceptions escaping a task are logged and swallowed: the worker goes on.
  bool TrySubmit(std::function<void()> task);

  /// Runs the queued tasks to the end, then joins the threads. Idempotent.
  void Stop();

  std::size_t queued() const;
  std::size_t threads() const { return threads_.size(); }

 private:
  void Run();

  std::string name_;
  std::size_t max_queue_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace hoithi::core
