// The contest the site shows, kept in memory so that every page and API call does not read the
// contests table: reloaded when the contests change counter moves (a change through any
// instance, store::DataVersions) and at least every `ttl` (which contest is current depends on
// the time). On a database error it keeps serving the last value it had.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string_view>

#include "contest/contest.hpp"
#include "core/clock.hpp"
#include "store/data_versions.hpp"
#include "store/database.hpp"

namespace hoithi::contest {

class CurrentContestCache {
 public:
  CurrentContestCache(store::Database& db, store::DataVersions& versions, const core::Clock& clock,
                      std::chrono::milliseconds ttl = std::chrono::seconds(2));

  /// The current contest (see CurrentContest in contest.hpp), at most `ttl` old.
  std::optional<Contest> Get();

  /// The contest with `contest_id` (read from the database), or the current one when empty.
  std::optional<Contest> For(std::optional<std::int64_t> contest_id);

  /// The contest named by `slug` (read from the database), or the current one when `slug` is
  /// empty: what a public page or endpoint with ?contest= shows. kNotFound "no_contest".
  core::Result<Contest> Named(std::string_view slug);

  /// The contest a staff member works in: their own (`own_contest`), or for an install-wide
  /// administrator (none of their own) the one named by `slug` (Named). kNotFound "no_contest".
  core::Result<Contest> Working(std::optional<std::int64_t> own_contest, std::string_view slug);

  /// Forces the next Get to read the database (after this process changed a contest).
  void Invalidate();

 private:
  store::Database& db_;
  store::DataVersions& versions_;
  const core::Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::mutex mu_;
  std::optional<Contest> value_;
  std::chrono::steady_clock::time_point loaded_at_{};
  std::int64_t counter_ = 0;  // the contests change counter value_ was loaded at
  bool loaded_ = false;
};

}  // namespace hoithi::contest
