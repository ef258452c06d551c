// A unit's screens under /don-vi/{unit}, for its focal point and the organisers: members,
// password resets, roster imports.
#pragma once

#include "accounts/roster_service.hpp"
#include "accounts/staff.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct UnitPageDeps : SiteDeps {
  store::Database& db;
  accounts::StaffService& staff;
  accounts::RosterService& rosters;
};

void RegisterUnitPages(http::Router& router, const UnitPageDeps& deps);

}  // namespace hoithi::web
