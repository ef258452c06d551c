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

/// POST /api/v1/testing/clock {"offset_s": N}: moves the server's clock N seconds from the real
/// time. Only registered when testing.clock_control is on; never on a real contest.
void RegisterTestingClock(http::Router& router, core::SystemClock& clock);

}  // namespace hoithi::api
