// Sliding-window failure counts with exponential back-off.
#include "accounts/login_throttle.hpp"

#include <algorithm>

namespace hoithi::accounts {

LoginThrottle::LoginThrottle(ThrottlePolicy policy, std::size_t max_keys)
    : policy_(policy), max_keys_(max_keys) {}

void LoginThrottle::Prune(State& s, std::chrono::steady_clock::time_point now) const {
  while (!s.failures.empty() && now - s.failures.front() > policy_.window)
    s.failures.pop_front();
}

int LoginThrottle::RetryAfter(const std::string& key, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mu_);
  const auto it = states_.find(key);
  if (it == states_.end() || it->second.blocked_until <= now) return 0;
  const auto left = std::chrono::ceil<std::chrono::seconds>(it->second.blocked_until - now);
  return static_cast<int>(std::max<long long>(1, left.count()));
}

void LoginThrottle::RecordFailure(const std::string& key,
                                  std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mu_);
  if (states_.size() >= max_keys_ && !states_.count(key)) {
    // Under a flood of distinct keys, forget those no longer blocked rather than grow.
    for (auto it = states_.begin(); it != states_.end();) {
      Prune(it->second, now);
      if (it->second.blocked_until <= now && it->second.failures.empty()) {
        it = states_.erase(it);
      } else {
        ++it;
      }
    }
    if (states_.size() >= max_keys_) states_.clear();
  }
  auto& s = states_[key];
  Prune(s, now);
  s.failures.push_back(now);
  const int over = static_cast<int>(s.failures.size()) - policy_.free_failures;
  if (over >= 0) {
    auto block = policy_.first_block * (1LL << std::min(over, 20));
    block = std::min<std::chrono::seconds>(block, policy_.max_block);
    s.blocked_until = now + block;
  }
}

void LoginThrottle::Reset(const std::string& key) {
  std::lock_guard lock(mu_);
  states_.erase(key);
}

}  // namespace hoithi::accounts
