// Throttling of failed logins, by key ("account:<contest>:<login>", "ip:<address>"). Keys are
// counted whether or not the account exists, so the answer never tells an attacker which logins
// are real. Failures are rows of login_failures, so every instance counts the same ones: an
// attacker gets one allowance however many instances there are.
#pragma once

#include <chrono>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::accounts {

struct ThrottlePolicy {
  int free_failures = 5;  // failures allowed within `window`
  std::chrono::seconds window = std::chrono::minutes(15);
  std::chrono::seconds first_block = std::chrono::seconds(30);  // doubles with each failure
  std::chrono::seconds max_block = std::chrono::minutes(15);
};

struct ThrottleState {
  int retry_after_s = 0;      // 0: the key may try now
  bool has_failures = false;  // recent failures to forget after a success
};

/// The state of `key` at `now`: each failure beyond the free ones within the window blocks the
/// key for first_block, doubled per further failure, up to max_block.
core::Result<ThrottleState> ThrottleStateOf(store::Connection& conn, const std::string& key,
                                            const ThrottlePolicy& policy, core::TimePoint now);

/// Records a failure of `key` (inside a write) and drops its failures too old to matter.
core::Status RecordLoginFailure(store::Connection& conn, const std::string& key,
                                const ThrottlePolicy& policy, core::TimePoint now);

/// Forgets the failures of `key` (after a successful login).
core::Status ForgetLoginFailures(store::Connection& conn, const std::string& key);

}  // namespace hoithi::accounts
