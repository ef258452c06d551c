// The knowledge test over JSON: /api/v1/attempts..., /api/v1/leaderboard, /api/v1/stats/units,
// the organisers' rules, rounds and grants, and the question bank.
#pragma once

#include "api/common.hpp"
#include "http/router.hpp"

namespace hoithi::api {

void RegisterQuizApi(http::Router& router, const ApiDeps& deps);

}  // namespace hoithi::api
