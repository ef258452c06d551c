// Sliding-window failure counts with exponential back-off, computed from the stored failures.
#include "accounts/login_throttle.hpp"

#include <algorithm>
#include <vector>

namespace hoithi::accounts {
namespace {

/// Failures older than this cannot block any more.
core::TimePoint Horizon(const ThrottlePolicy& policy, core::TimePoint now) {
  return now - std::chrono::duration_cast<core::Millis>(policy.window + policy.max_block);
}

}  // namespace

core::Result<ThrottleState> ThrottleStateOf(store::Connection& conn, const std::string& key,
                                            const ThrottlePolicy& policy, core::TimePoint now) {
  std::vector<core::TimePoint> failures;  // oldest first
  HOITHI_TRY(conn.Query(
      "SELECT failed_at FROM login_failures WHERE key = $1 AND failed_at > $2 ORDER BY failed_at",
      {key, core::ToEpochMs(Horizon(policy, now))},
      [&](const store::Row& r) { failures.push_back(core::FromEpochMs(r.Int(0))); }));
  ThrottleState state;
  state.has_failures = !failures.empty();
  core::TimePoint blocked_until{};
  for (std::size_t i = 0; i < failures.size(); ++i) {
    // The failures within the window that ends at this one, this one included.
    const auto in_window =
        std::count_if(failures.begin(), failures.begin() + i + 1,
                      [&](core::TimePoint f) { return failures[i] - f <= policy.window; });
    const int over = static_cast<int>(in_window) - policy.free_failures;
    if (over < 0) continue;
    auto block = policy.first_block * (1LL << std::min(over, 20));
    block = std::min<std::chrono::seconds>(block, policy.max_block);
    blocked_until = std::max<core::TimePoint>(
        blocked_until, failures[i] + std::chrono::duration_cast<core::Millis>(block));
  }
  if (blocked_until > now) {
    const auto left = std::chrono::ceil<std::chrono::seconds>(blocked_until - now);
    state.retry_after_s = static_cast<int>(std::max<long long>(1, left.count()));
  }
  return state;
}

core::Status RecordLoginFailure(store::Connection& conn, const std::string& key,
                                const ThrottlePolicy& policy, core::TimePoint now,
                                const std::string& reservation) {
  auto old = conn.Exec("DELETE FROM login_failures WHERE key = $1 AND failed_at <= $2",
                       {key, core::ToEpochMs(Horizon(policy, now))});
  if (!old) return std::move(old).error();
  auto r = conn.Exec("INSERT INTO login_failures (key, failed_at, reservation) VALUES ($1, $2, $3)",
                     {key, core::ToEpochMs(now),
                      reservation.empty() ? store::Param(nullptr) : store::Param(reservation)});
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Result<int> ReserveLoginAttempt(store::Connection& conn,
                                      const std::vector<ThrottledKey>& keys,
                                      const std::string& reservation, core::TimePoint now) {
  if (keys.empty()) return 0;
  // One lock, the account's: an address's count may run over by the logins in flight at once,
  // but taking two locks per login would let two batches wait for each other.
  HOITHI_TRY(store::LockKey(conn, "login:" + keys.front().key));
  int wait = 0;
  for (const auto& k : keys) {
    auto state = ThrottleStateOf(conn, k.key, k.policy, now);
    if (!state) return std::move(state).error();
    wait = std::max(wait, state->retry_after_s);
  }
  if (wait > 0) return wait;
  for (const auto& k : keys)
    HOITHI_TRY(RecordLoginFailure(conn, k.key, k.policy, now, reservation));
  return 0;
}

core::Status ReleaseReservation(store::Connection& conn, const std::string& reservation) {
  auto r = conn.Exec("DELETE FROM login_failures WHERE reservation = $1", {reservation});
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Status ForgetLoginFailures(store::Connection& conn, const std::string& key) {
  auto r = conn.Exec("DELETE FROM login_failures WHERE key = $1", {key});
  if (!r) return std::move(r).error();
  return core::Ok();
}

}  // namespace hoithi::accounts
