// The organisers' settings of the knowledge test over JSON: the quiz rules
// (/api/v1/contest/quiz-rules), the rounds (/api/v1/contest/rounds), and extra attempts or time
// granted to one participant (/api/v1/users/{id}/grants).
#pragma once

#include "contest/current_contest_cache.hpp"
#include "contest/settings_service.hpp"
#include "http/router.hpp"
#include "quiz/attempts.hpp"
#include "store/database.hpp"

namespace hoithi::api {

struct QuizRulesApiDeps {
  store::Database& db;
  contest::CurrentContestCache& current;
  contest::SettingsService& settings;
  quiz::AttemptService& attempts;
};

void RegisterQuizRulesApi(http::Router& router, const QuizRulesApiDeps& deps);

}  // namespace hoithi::api
