// Units over JSON: the organisers' list (create, read, change, delete, import, export) and a
// unit's members, whose passwords its focal point may reset. /api/v1/units...
#pragma once

#include "accounts/staff.hpp"
#include "contest/current_contest_cache.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "units/unit_service.hpp"

namespace hoithi::api {

struct UnitApiDeps {
  store::Database& db;
  contest::CurrentContestCache& current;
  units::UnitService& units;
  accounts::StaffService& staff;
};

void RegisterUnitApi(http::Router& router, const UnitApiDeps& deps);

}  // namespace hoithi::api
