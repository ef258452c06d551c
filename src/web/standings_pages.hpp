// The public standings pages: the leaderboard (/xep-hang) as the contest's mode allows, and
// participation per unit (/thong-ke).
#pragma once

#include "accounts/participant_counts.hpp"
#include "core/clock.hpp"
#include "http/router.hpp"
#include "quiz/standings.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct StandingsPageDeps : SiteDeps {
  store::Database& db;
  const core::Clock& clock;
  quiz::Standings& standings;
  accounts::ParticipantCounts& participant_counts;
};

void RegisterStandingsPages(http::Router& router, const StandingsPageDeps& deps);

}  // namespace hoithi::web
