// The participant's quiz pages: start or resume (/thi), the attempt (/thi/{id}), save and submit,
// the result and the history (/lich-su).
#pragma once

#include "http/router.hpp"
#include "quiz/attempts.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct QuizPageDeps : SiteDeps {
  store::Database& db;
  const core::Clock& clock;
  quiz::AttemptService& attempts;
};

void RegisterQuizPages(http::Router& router, const QuizPageDeps& deps);

}  // namespace hoithi::web
