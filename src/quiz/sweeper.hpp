// The thread that finalises attempts whose time ran out, once a second, so that an abandoned
// attempt is graded with the answers saved by its deadline even if nobody opens it again (and
// after a restart, the first sweep catches up). Every instance may run one: each attempt is
// finalised exactly once.
#pragma once

#include <chrono>

#include "core/periodic.hpp"
#include "quiz/attempts.hpp"

namespace hoithi::quiz {

class DeadlineSweeper {
 public:
  explicit DeadlineSweeper(AttemptService& attempts,
                           std::chrono::milliseconds every = std::chrono::seconds(1));
  void Start() { periodic_.Start(); }
  void Stop() { periodic_.Stop(); }

 private:
  void Sweep();

  AttemptService& attempts_;
  core::Periodic periodic_;
};

}  // namespace hoithi::quiz
