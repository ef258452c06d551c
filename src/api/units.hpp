// Units over JSON: the organisers' list (create, read, change, delete, import, export), a unit's
// members, whose passwords its focal point may reset, and the registrations waiting for the
// unit's confirmation. /api/v1/units...
#pragma once

#include "accounts/staff.hpp"
#include "accounts/verification.hpp"
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
  accounts::VerificationService& verification;
};

void RegisterUnitApi(http::Router& router, const UnitApiDeps& deps);

}  // namespace hoithi::api
