// The organisers' screens under /quan-tri: the dashboard, accounts, units, the audit log and the
// registration settings.
#pragma once

#include "accounts/staff.hpp"
#include "audit/audit_log.hpp"
#include "contest/settings_service.hpp"
#include "core/clock.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "units/unit_service.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct AdminPageDeps : SiteDeps {
  store::Database& db;
  const core::Clock& clock;
  accounts::StaffService& staff;
  units::UnitService& units;
  contest::SettingsService& settings;
  const audit::ActionCatalogue& actions;
};

void RegisterAdminPages(http::Router& router, const AdminPageDeps& deps);

}  // namespace hoithi::web
