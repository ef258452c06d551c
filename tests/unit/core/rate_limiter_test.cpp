// The token bucket: the burst, the refill, Retry-After, separate keys, bounded memory.
#include "core/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hoithi::core {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, AllowsTheBurstThenAsksToWaitUntilATokenIsBack) {
  RateLimiter limiter;
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(limiter.Take("k", {6}, t0), 0) << i;
  EXPECT_EQ(limiter.Take("k", {6}, t0), 10);  // 6 a minute: one token every 10 s
  EXPECT_EQ(limiter.Take("k", {6}, t0 + 5s), 5);
  EXPECT_EQ(limiter.Take("k", {6}, t0 + 10s), 0);
  EXPECT_GE(limiter.Take("k", {6}, t0 + 10s), 1);
  EXPECT_EQ(limiter.Take("other", {6}, t0), 0);
  EXPECT_EQ(limiter.Take("k", {0}, t0), 0);  // 0: unlimited
}

TEST(RateLimiter, MemoryStaysBoundedWhenKeysAreSprayed) {
  RateLimiter limiter(1600);
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 100000; ++i)
    limiter.Take("ip:" + std::to_string(i), {60}, t0);
  EXPECT_LE(limiter.size(), 1600u);
  // Refilled buckets are dropped first: a minute later the old keys make room.
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(limiter.Take("late:" + std::to_string(i), {60}, t0 + 61s), 0);
}

}  // namespace
}  // namespace hoithi::core
