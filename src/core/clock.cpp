// The system clock with a test offset, and a test stop.
#include "core/clock.hpp"

namespace hoithi::core {

namespace {
std::int64_t RealNowMs() {
  return ToEpochMs(std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()));
}
}  // namespace

TimePoint SystemClock::Now() const {
  const auto stopped = stopped_at_ms_.load(std::memory_order_relaxed);
  return FromEpochMs(stopped == kRunning ? RealNowMs() : stopped) + offset();
}

void SystemClock::Stop() {
  auto expected = kRunning;
  stopped_at_ms_.compare_exchange_strong(expected, RealNowMs(), std::memory_order_relaxed);
}

}  // namespace hoithi::core
