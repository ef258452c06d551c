// Operational endpoints (GET /healthz, GET /metrics) and the public description of the current
// contest (GET /api/v1/contest).
#pragma once

#include "contest/current_contest_cache.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace hoithi::api {

struct HealthDeps {
  store::Database& db;
  const core::MetricsRegistry& metrics;
  const core::Clock& clock;
  contest::CurrentContestCache& current;
};

void RegisterHealth(http::Router& router, HealthDeps deps);

}  // namespace hoithi::api
