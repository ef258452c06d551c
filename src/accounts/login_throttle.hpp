// Throttling of failed logins, by key ("account:<contest>:<login>", "ip:<address>"). Keys are
// counted whether or not the account exists, so the answer never tells an attacker which logins
// are real. Counts live in this process: with several instances an attacker gets each
// instance's allowance (docs/security.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hoithi::accounts {

struct ThrottlePolicy {
  int free_failures = 5;  // failures allowed within `window`
  std::chrono::seconds window = std::chrono::minutes(15);
  std::chrono::seconds first_block = std::chrono::seconds(30);  // doubles with each failure
  std::chrono::seconds max_block = std::chrono::minutes(15);
};

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottlePolicy policy, std::size_t max_keys = 200000);

  /// Seconds until `key` may try again; 0 when it may now.
  int RetryAfter(const std::string& key, std::chrono::steady_clock::time_point now);
  void RecordFailure(const std::string& key, std::chrono::steady_clock::time_point now);
  void Reset(const std::string& key);

 private:
  struct State {
    std::deque<std::chrono::steady_clock::time_point> failures;
    std::chrono::steady_clock::time_point blocked_until{};
  };
  void Prune(State& s, std::chrono::steady_clock::time_point now) const;

  ThrottlePolicy policy_;
  std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, State> states_;
};

}  // namespace hoithi::accounts
