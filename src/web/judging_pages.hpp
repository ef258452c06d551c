// The jury's screens: a judge's queue (/cham-diem) and the scoring page of each video
// (/cham-diem/{id}: the player, the rubric's inputs, a comment, save as draft or submit, or
// decline with a reason), phone-first and working without JavaScript; and the organisers' board
// (/quan-tri/cham-diem): who has scored what, what is missing, the lock (asked first) and the
// unlock with a reason, the aggregated scores and the .xlsx sheets.
#pragma once

#include "http/router.hpp"
#include "judging/judging_service.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct JudgingPageDeps : SiteDeps {
  store::Database& db;
  judging::JudgingService& judging;
};

void RegisterJudgingPages(http::Router& router, const JudgingPageDeps& deps);

}  // namespace hoithi::web
