// The thread that finalises attempts whose time ran out, once a second, so that an abandoned
// attempt is graded with the answers saved by its deadline even if nobody opens it again (and
// after a restart, the first sweep catches up). Every instance may run one: each attempt is
// finalised exactly once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "quiz/attempts.hpp"

namespace hoithi::quiz {

class DeadlineSweeper {
 public:
  explicit DeadlineSweeper(AttemptService& attempts,
                           std::chrono::milliseconds every = std::chrono::seconds(1));
  ~DeadlineSweeper();
  void Start();
  void Stop();

 private:
  void Loop();

  AttemptService& attempts_;
  std::chrono::milliseconds every_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hoithi::quiz
