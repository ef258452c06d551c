// DeadlineSweeper: AttemptService::FinalizeDue, in chunks, on a core::Periodic.
#include "quiz/sweeper.hpp"

#include <spdlog/spdlog.h>

namespace hoithi::quiz {

DeadlineSweeper::DeadlineSweeper(AttemptService& attempts, std::chrono::milliseconds every)
    : attempts_(attempts), periodic_("deadline sweep", every, [this] { Sweep(); }) {}

void DeadlineSweeper::Sweep() {
  // Drain in chunks: after a long outage many attempts may be due at once.
  for (;;) {
    auto n = attempts_.FinalizeDue(500);
    if (!n) {
      spdlog::warn("deadline sweep: {} {}", n.error().code, n.error().detail);
      return;
    }
    if (*n > 0) spdlog::info("deadline sweep: finalised {} attempts", *n);
    if (*n < 500) return;
  }
}

}  // namespace hoithi::quiz
