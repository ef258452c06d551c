// The contest console over JSON: contests (/api/v1/contests...: list, create, read, change, move a
// deadline, archive, copy, the contest file out and in) and notices (/api/v1/notices...).
#pragma once

#include "contest/contest_service.hpp"
#include "contest/current_contest_cache.hpp"
#include "contest/notices.hpp"
#include "core/clock.hpp"
#include "editions/edition_service.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace hoithi::api {

struct ContestApiDeps {
  store::Database& db;
  const core::Clock& clock;
  contest::CurrentContestCache& current;
  contest::ContestService& contests;
  editions::EditionService& editions;
  contest::NoticeService& notices;
};

void RegisterContestApi(http::Router& router, const ContestApiDeps& deps);

}  // namespace hoithi::api
