// A participant's attempts over JSON: start (or resume), read, autosave, submit, and the
// participant's history. /api/v1/attempts...
#pragma once

#include "contest/current_contest_cache.hpp"
#include "core/clock.hpp"
#include "http/router.hpp"
#include "quiz/attempts.hpp"

namespace hoithi::api {

struct AttemptApiDeps {
  const core::Clock& clock;
  contest::CurrentContestCache& current;
  quiz::AttemptService& attempts;
};

void RegisterAttemptApi(http::Router& router, const AttemptApiDeps& deps);

}  // namespace hoithi::api
