// A contest's settings over JSON beside the quiz rules: the further fields asked at registration
// (/api/v1/contest/settings, /api/v1/contest/settings/registration).
#pragma once

#include "contest/current_contest_cache.hpp"
#include "contest/settings_service.hpp"
#include "http/router.hpp"

namespace hoithi::api {

struct ContestSettingsApiDeps {
  contest::CurrentContestCache& current;
  contest::SettingsService& settings;
};

void RegisterContestSettingsApi(http::Router& router, const ContestSettingsApiDeps& deps);

}  // namespace hoithi::api
