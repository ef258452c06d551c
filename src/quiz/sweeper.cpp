// DeadlineSweeper: a loop over AttemptService::FinalizeDue.
#include "quiz/sweeper.hpp"

#include <spdlog/spdlog.h>

namespace hoithi::quiz {

DeadlineSweeper::DeadlineSweeper(AttemptService& attempts, std::chrono::milliseconds every)
    : attempts_(attempts), every_(every) {}

DeadlineSweeper::~DeadlineSweeper() {
  Stop();
}

void DeadlineSweeper::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void DeadlineSweeper::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeadlineSweeper::Loop() {
  for (;;) {
    try {
      // Drain in chunks: after a long outage many attempts may be due at once.
      for (;;) {
        auto n = attempts_.FinalizeDue(500);
        if (!n) {
          spdlog::warn("deadline sweep: {} {}", n.error().code, n.error().detail);
          break;
        }
        if (*n > 0) spdlog::info("deadline sweep: finalised {} attempts", *n);
        if (*n < 500) break;
      }
    } catch (const std::exception& e) {
      spdlog::error("deadline sweep: {}", e.what());
    }
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, every_, [this] { return stopping_; })) return;
  }
}

}  // namespace hoithi::quiz
