// A unit's screens under /don-vi/{unit}, for its focal point and the organisers: members,
// password resets, roster imports, and the registrations waiting for the unit's confirmation.
#pragma once

#include "accounts/roster_service.hpp"
#include "accounts/staff.hpp"
#include "accounts/verification.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct UnitPageDeps : SiteDeps {
  store::Database& db;
  accounts::StaffService& staff;
  accounts::RosterService& rosters;
  accounts::VerificationService& verification;
};

void RegisterUnitPages(http::Router& router, const UnitPageDeps& deps);

}  // namespace hoithi::web
