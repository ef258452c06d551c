// Time as the server sees it: UTC milliseconds from an injectable Clock. Domain code takes the
// time as an argument or from a Clock&, never from the system directly, so tests can move it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace hoithi::core {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<Millis>;

/// Milliseconds since the Unix epoch: the storage form of every timestamp.
inline std::int64_t ToEpochMs(TimePoint t) {
  return t.time_since_epoch().count();
}
inline TimePoint FromEpochMs(std::int64_t ms) {
  return TimePoint(Millis(ms));
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

/// The real wall clock, shifted by an offset that tests (and only tests, see the
/// `testing.clock_control` key) may change at run time; tests may also stop it, so that steps
/// are exact (equal durations, for ties). Thread-safe.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
  void SetOffset(Millis offset) { offset_ms_.store(offset.count(), std::memory_order_relaxed); }
  Millis offset() const { return Millis(offset_ms_.load(std::memory_order_relaxed)); }
  /// Stops the clock: from now on Now() is the real time of the first Stop() plus the offset, so
  /// that offsets set while stopped are exact steps. Run() lets it go again.
  void Stop();
  void Run() { stopped_at_ms_.store(kRunning, std::memory_order_relaxed); }

 private:
  static constexpr std::int64_t kRunning = INT64_MIN;
  std::atomic<std::int64_t> offset_ms_{0};
  std::atomic<std::int64_t> stopped_at_ms_{kRunning};  // real time, without the offset
};

/// A clock that moves only when told to. For unit tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_ms_(ToEpochMs(start)) {}
  TimePoint Now() const override { return FromEpochMs(now_ms_.load()); }
  void Advance(Millis d) { now_ms_ += d.count(); }
  void Set(TimePoint t) { now_ms_ = ToEpochMs(t); }

 private:
  std::atomic<std::int64_t> now_ms_;
};

}  // namespace hoithi::core
