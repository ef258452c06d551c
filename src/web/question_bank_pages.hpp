// The secretariat's question bank pages (/quan-tri/cau-hoi): list with topic filter, search and
// paging; create; edit as a new version; deactivate; import with a dry run; the item analysis.
#pragma once

#include "http/router.hpp"
#include "quiz/question_bank.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct QuestionBankPageDeps : SiteDeps {
  store::Database& db;
  quiz::QuestionBankService& bank;
};

void RegisterQuestionBankPages(http::Router& router, const QuestionBankPageDeps& deps);

}  // namespace hoithi::web
