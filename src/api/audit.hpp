// The audit log over JSON, for administrators: GET /api/v1/audit with filters by action, actor and
// dates, each entry with its action's Vietnamese label.
#pragma once

#include "audit/audit_log.hpp"
#include "contest/current_contest_cache.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace hoithi::api {

struct AuditApiDeps {
  store::Database& db;
  contest::CurrentContestCache& current;
  const audit::ActionCatalogue& actions;
};

void RegisterAuditApi(http::Router& router, const AuditApiDeps& deps);

}  // namespace hoithi::api
