// Throttling of failed logins, by key ("user:<id>" for an account, "login:<contest>:<login>" for a
// login that names none, "ip:<address>"). Unknown logins are counted like real ones, so the answer
// never tells an attacker which logins are real. Failures are rows of login_failures, so every
// instance counts the same ones: an attacker gets one allowance however many instances there are.
// A login reserves its failure before the password is checked and releases it when the password
// is right, so parallel guesses are counted one by one, not all let through before any is.
#pragma once

#include <chrono>
#include <string>
#include <vector>

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
/// `reservation`: the token of the login it reserves (ReserveLoginAttempt), empty for none.
core::Status RecordLoginFailure(store::Connection& conn, const std::string& key,
                                const ThrottlePolicy& policy, core::TimePoint now,
                                const std::string& reservation = {});

struct ThrottledKey {
  std::string key;
  ThrottlePolicy policy;
};

/// Inside a write, before the password is checked: under the lock of the first key (the
/// account's), so that the logins of one account are counted one at a time on every instance,
/// either returns the seconds to wait when a key is blocked (nothing recorded), or records a
/// failure of every key under `reservation` and returns 0. A wrong password leaves those rows as
/// its failures; a right one deletes them (ReleaseReservation).
core::Result<int> ReserveLoginAttempt(store::Connection& conn,
                                      const std::vector<ThrottledKey>& keys,
                                      const std::string& reservation, core::TimePoint now);

/// Deletes the failures recorded under `reservation`.
core::Status ReleaseReservation(store::Connection& conn, const std::string& reservation);

/// Forgets the failures of `key` (after a successful login).
core::Status ForgetLoginFailures(store::Connection& conn, const std::string& key);

}  // namespace hoithi::accounts
