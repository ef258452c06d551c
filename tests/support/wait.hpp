// Waiting in tests for something to become true, instead of sleeping for a guessed time: a test
// continues as soon as the condition holds, and fails (with the condition still false) only
// after a generous timeout.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace hoithi::testing {

/// Polls `condition` every `poll` until it holds (true) or `timeout` passes (false).
inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10),
                       std::chrono::milliseconds poll = std::chrono::milliseconds(10)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(poll);
  }
  return true;
}

}  // namespace hoithi::testing
