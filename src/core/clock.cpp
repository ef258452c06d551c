// The system clock with a test offset.
#include "core/clock.hpp"

namespace hoithi::core {

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()) + offset();
}

}  // namespace hoithi::core
