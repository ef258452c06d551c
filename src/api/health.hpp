// Operational endpoints (GET /healthz, GET /metrics, the route list for administrators) and the
// public description of the current contest (GET /api/v1/contest).
#pragma once

#include <functional>

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

/// GET /api/v1/routes (organisers): every route with its access rule, read from the final route
/// table through `routes` (the table is complete only once every module has registered).
void RegisterRouteList(http::Router& router, std::function<const http::Router&()> routes);

/// POST /api/v1/testing/clock {"offset_s": N}: moves the server's clock N seconds from the real
/// time. Only registered when testing.clock_control is on; never on a real contest.
void RegisterTestingClock(http::Router& router, core::SystemClock& clock);

}  // namespace hoithi::api
