// CurrentContestCache: caching of CurrentContest, by change counter and time.
#include "contest/current_contest_cache.hpp"

#include <spdlog/spdlog.h>

namespace hoithi::contest {

CurrentContestCache::CurrentContestCache(store::Database& db, store::DataVersions& versions,
                                         const core::Clock& clock, std::chrono::milliseconds ttl)
    : db_(db), versions_(versions), clock_(clock), ttl_(ttl) {}

std::optional<Contest> CurrentContestCache::Get() {
  const auto now = std::chrono::steady_clock::now();
  const auto counter = versions_.Current(store::Cached::kContests);
  std::lock_guard lock(mu_);
  if (loaded_ && counter == counter_ && now - loaded_at_ < ttl_) return value_;
  auto lease = db_.Read();
  auto fresh = CurrentContest(*lease, clock_.Now());
  if (!fresh) {
    spdlog::warn("current contest: {} {}", fresh.error().code, fresh.error().detail);
    return value_;
  }
  value_ = std::move(*fresh);
  loaded_ = true;
  counter_ = counter;
  loaded_at_ = now;
  return value_;
}

std::optional<Contest> CurrentContestCache::For(std::optional<std::int64_t> contest_id) {
  if (!contest_id) return Get();
  auto lease = db_.Read();
  auto found = FindContestById(*lease, *contest_id);
  if (!found) {
    spdlog::warn("contest {}: {} {}", *contest_id, found.error().code, found.error().detail);
    return std::nullopt;
  }
  return *found;
}

void CurrentContestCache::Invalidate() {
  std::lock_guard lock(mu_);
  loaded_ = false;
}

}  // namespace hoithi::contest
