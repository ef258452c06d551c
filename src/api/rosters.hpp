// Roster imports over JSON: a unit's staff list uploaded as a draft job with its preview, then
// confirmed, run in the background, and its initial passwords handed over once.
// /api/v1/units/{unit}/rosters, /api/v1/jobs/{id}...
#pragma once

#include "accounts/roster_service.hpp"
#include "contest/current_contest_cache.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace hoithi::api {

struct RosterApiDeps {
  store::Database& db;
  contest::CurrentContestCache& current;
  accounts::RosterService& rosters;
};

void RegisterRosterApi(http::Router& router, const RosterApiDeps& deps);

}  // namespace hoithi::api
