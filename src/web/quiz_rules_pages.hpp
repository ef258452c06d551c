// The organisers' settings of the knowledge test (/quan-tri/the-le): the quiz rules with pause and
// publication, the rounds, and grants of extra attempts or time from a participant's page.
#pragma once

#include "contest/settings_service.hpp"
#include "http/router.hpp"
#include "quiz/attempts.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct QuizRulesPageDeps : SiteDeps {
  store::Database& db;
  contest::SettingsService& settings;
  quiz::AttemptService& attempts;
};

void RegisterQuizRulesPages(http::Router& router, const QuizRulesPageDeps& deps);

}  // namespace hoithi::web
