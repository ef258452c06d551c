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

core::Result<Contest> CurrentContestCache::Named(std::string_view slug) {
  if (slug.empty()) {
    if (auto c = Get()) return *c;
  } else {
    auto lease = db_.Read();
    auto found = FindContestBySlug(*lease, slug);
    if (!found) return std::move(found).error();
    if (*found) return **found;
  }
  if (slug.empty()) {
    auto e = NoContestError();
    e.field = "contest";
    return e;
  }
  return core::MakeError(core::ErrorKind::kNotFound, "no_contest", "Không có hội thi với mã này.",
                         "contest");
}

core::Result<Contest> CurrentContestCache::Working(std::optional<std::int64_t> own_contest,
                                                   std::string_view slug) {
  if (own_contest) {
    if (auto c = For(own_contest)) return *c;
    return core::MakeError(core::ErrorKind::kNotFound, "no_contest", "Không tìm thấy hội thi.");
  }
  return Named(slug);
}

void CurrentContestCache::Invalidate() {
  std::lock_guard lock(mu_);
  loaded_ = false;
}

}  // namespace hoithi::contest
