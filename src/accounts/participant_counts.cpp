// ParticipantCounts: the cached count of participant accounts per unit.
#include "accounts/participant_counts.hpp"

#include "accounts/users.hpp"
#include "store/data_versions.hpp"

namespace hoithi::accounts {

core::Result<std::map<std::int64_t, std::int64_t>> ParticipantCounts::Of(store::Connection& conn,
                                                                         std::int64_t contest_id) {
  auto version = store::ReadCounter(conn, "accounts");
  if (!version) return std::move(version).error();
  const auto seen = *version;
  {
    std::lock_guard lock(mu_);
    auto& c = counts_[contest_id];
    const auto now = std::chrono::steady_clock::now();
    if (c.version == seen) return c.by_unit;
    if (c.version >= 0 && (c.counting || now < c.counted_at + 4 * c.took)) return c.by_unit;
    c.counting = true;
  }
  const auto start = std::chrono::steady_clock::now();
  auto counted = CountAccountsByUnit(conn, contest_id, "participant");
  const auto end = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  auto& c = counts_[contest_id];
  c.counting = false;
  if (!counted) return std::move(counted).error();
  if (seen >= c.version) {
    c.version = seen;
    c.by_unit = *counted;
    c.counted_at = end;
    c.took = end - start;
  }
  return std::move(*counted);
}

}  // namespace hoithi::accounts
