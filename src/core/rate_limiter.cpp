// Token buckets by key: refilled continuously at per_minute/60 tokens a second up to per_minute.
#include "core/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace hoithi::core {

RateLimiter::RateLimiter(std::size_t max_keys)
    : max_per_shard_(std::max<std::size_t>(1, max_keys / kShards)) {}

int RateLimiter::Take(std::string_view key, RateLimit limit, Clock::time_point now) {
  if (limit.per_minute <= 0) return 0;
  const double capacity = limit.per_minute;
  const double rate = capacity / 60.0;  // tokens a second
  auto& shard = shards_[std::hash<std::string_view>{}(key) % kShards];
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(std::string(key));
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= max_per_shard_) Prune(shard, now);
    it = shard.buckets.emplace(std::string(key), Bucket{capacity, now, capacity}).first;
  }
  auto& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.at).count();
  if (elapsed > 0) {
    b.tokens = std::min(capacity, b.tokens + elapsed * rate);
    b.at = now;
  }
  b.capacity = capacity;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate)));
}

void RateLimiter::Prune(Shard& shard, Clock::time_point now) {
  // A bucket that has refilled completely is the same as no bucket.
  std::erase_if(shard.buckets, [&](const auto& entry) {
    const auto& b = entry.second;
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    return b.tokens + elapsed * b.capacity / 60.0 >= b.capacity;
  });
  if (shard.buckets.size() >= max_per_shard_) shard.buckets.clear();
}

std::size_t RateLimiter::size() const {
  std::size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.buckets.size();
  }
  return n;
}

}  // namespace hoithi::core
