// The secretariat's question bank over JSON: list and search, create, edit (a new version),
// activate or deactivate, import (.xlsx or CSV, with a dry run), export, and the item analysis.
// /api/v1/questions...
#pragma once

#include "contest/current_contest_cache.hpp"
#include "http/router.hpp"
#include "quiz/question_bank.hpp"
#include "store/database.hpp"

namespace hoithi::api {

struct QuestionBankApiDeps {
  store::Database& db;
  contest::CurrentContestCache& current;
  quiz::QuestionBankService& bank;
};

void RegisterQuestionBankApi(http::Router& router, const QuestionBankApiDeps& deps);

}  // namespace hoithi::api
