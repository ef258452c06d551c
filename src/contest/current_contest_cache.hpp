// The contest the site shows, kept in memory for a short time so that every page and API call
// does not read the contests table. On a database error it keeps serving the last value it had.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>

#include "contest/contest.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace hoithi::contest {

class CurrentContestCache {
 public:
  CurrentContestCache(store::Database& db, const core::Clock& clock,
                      std::chrono::milliseconds ttl = std::chrono::seconds(2));

  /// The current contest (see CurrentContest in contest.hpp), at most `ttl` old.
  std::optional<Contest> Get();

  /// The contest with `contest_id` (read from the database), or the current one when empty: the
  /// contest a staff member works in (install-wide administrators have none of their own).
  std::optional<Contest> For(std::optional<std::int64_t> contest_id);

  /// Forces the next Get to read the database (after this process changed a contest).
  void Invalidate();

 private:
  store::Database& db_;
  const core::Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::mutex mu_;
  std::optional<Contest> value_;
  std::chrono::steady_clock::time_point loaded_at_{};
  bool loaded_ = false;
};

}  // namespace hoithi::contest
