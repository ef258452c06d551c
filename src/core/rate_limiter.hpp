// Request-rate limits by key ("login:ip:203.0.113.7", "attempt_start:user:42"): a token bucket per
// key, in memory, thread-safe. Each instance counts its own requests (behind n instances a client
// gets up to n times the rate); the limits that must hold across instances live in the database
// (accounts/login_throttle.hpp).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace hoithi::core {

struct RateLimit {
  int per_minute = 0;  // the sustained rate and the burst; 0: unlimited
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  /// `max_keys`: buckets kept at most; beyond it, idle (refilled) buckets are dropped first, and
  /// if every bucket is busy the fullest shard starts over, so memory stays bounded even when an
  /// attacker sprays addresses (it fails open for them, never closed for everyone).
  explicit RateLimiter(std::size_t max_keys = 200000);

  /// Takes one token from `key`'s bucket. Returns 0 when the request may go on, otherwise the
  /// seconds until a token is back (for Retry-After), at least 1.
  int Take(std::string_view key, RateLimit limit, Clock::time_point now = Clock::now());

  std::size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at;
    double capacity = 0;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr std::size_t kShards = 16;

  void Prune(Shard& shard, Clock::time_point now);

  std::size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace hoithi::core
