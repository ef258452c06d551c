// The public standings over JSON: the leaderboard (/api/v1/leaderboard) as the contest's mode
// allows, with a participant's own rank, and participation per unit (/api/v1/stats/units).
#pragma once

#include "accounts/participant_counts.hpp"
#include "api/common.hpp"
#include "contest/current_contest_cache.hpp"
#include "core/clock.hpp"
#include "core/timed_memo.hpp"
#include "http/router.hpp"
#include "quiz/standings.hpp"
#include "store/database.hpp"

namespace hoithi::api {

/// What a leaderboard answer holds for every reader who is not staff: its JSON text, and whether
/// a participant's own rank is added to it (the board is shown from the round's standings).
struct SharedBoard {
  std::string json;
  bool ranked = false;
};
/// Boards by contest, round and length, made once per server.public_cache_ms (0: every read).
using BoardMemo = core::TimedMemo<SharedBoard>;

struct StandingsApiDeps {
  store::Database& db;
  const core::Clock& clock;
  contest::CurrentContestCache& current;
  quiz::Standings& standings;
  accounts::ParticipantCounts& participant_counts;
  BoardMemo& boards;
};

void RegisterStandingsApi(http::Router& router, const StandingsApiDeps& deps);

}  // namespace hoithi::api
