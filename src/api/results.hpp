// The results endpoints over JSON: the ranking weights (GET/PUT /api/v1/results/rules), the
// draft results the organisers review before publishing (GET /api/v1/results/draft) and the
// committee's decisions on ties (POST /api/v1/results/ties); results::ResultsService decides
// who may.
#pragma once

#include "contest/current_contest_cache.hpp"
#include "http/router.hpp"
#include "results/results_service.hpp"

namespace hoithi::api {

struct ResultsApiDeps {
  contest::CurrentContestCache& current;
  results::ResultsService& results;
};

void RegisterResultsApi(http::Router& router, const ResultsApiDeps& deps);

}  // namespace hoithi::api
