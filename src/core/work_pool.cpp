// WorkPool: the worker loop, with the one catch-all for its tasks.
#include "core/work_pool.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

namespace hoithi::core {

WorkPool::WorkPool(std::string name, std::size_t threads, std::size_t max_queue,
                   WorkPoolLimits limits)
    : name_(std::move(name)), max_queue_(max_queue), limits_(limits) {
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i)
    threads_.emplace_back([this] { Run(); });
}

WorkPool::~WorkPool() {
  Stop();
}

bool WorkPool::TrySubmit(std::function<void()> task, std::function<void()> expired) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= max_queue_) return false;
    // The new task starts once the queue ahead of it has been shared among the threads.
    const double wait_us = static_cast<double>(queue_.size() / threads_.size() + 1) * mean_us_;
    if (limits_.max_wait.count() > 0 && queue_.size() >= threads_.size() &&
        wait_us > static_cast<double>(limits_.max_wait.count()) * 1000.0) {
      return false;
    }
    queue_.push_back({std::move(task), std::move(expired), std::chrono::steady_clock::now()});
  }
  cv_.notify_one();
  return true;
}

void WorkPool::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

std::chrono::microseconds WorkPool::mean_run_time() const {
  std::lock_guard lock(mu_);
  return std::chrono::microseconds(static_cast<std::int64_t>(mean_us_));
}

std::size_t WorkPool::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void WorkPool::Run() {
  if (limits_.nice != 0 &&
      setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), limits_.nice) != 0) {
    spdlog::warn("{} pool: could not set the workers' nice value to {}", name_, limits_.nice);
  }
  for (;;) {
    Queued next;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    const auto started = std::chrono::steady_clock::now();
    if (next.expired && limits_.max_wait.count() > 0 && started - next.at > limits_.max_wait) {
      // Too late to be worth the work: answer now. Not counted in the mean run time.
      Guarded(next.expired);
      continue;
    }
    Guarded(next.task);
    const double took_us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started)
            .count();
    std::lock_guard lock(mu_);
    mean_us_ = mean_us_ == 0 ? took_us : 0.9 * mean_us_ + 0.1 * took_us;
  }
}

void WorkPool::Guarded(const std::function<void()>& task) {
  try {
    task();
  } catch (const std::exception& e) {
    spdlog::error("{} pool: task failed: {}", name_, e.what());
  } catch (...) {
    spdlog::error("{} pool: task failed with an unknown exception", name_);
  }
}

}  // namespace hoithi::core
