// The jury's endpoints over JSON: the rubric, a judge's queue, sheets and declared conflicts, the
// videos they score (files included), and the organisers' progress board, assignment, lock and
// the aggregated scores (judging::JudgingService decides who may). /api/v1/judging...
#pragma once

#include "contest/current_contest_cache.hpp"
#include "http/router.hpp"
#include "judging/judging_service.hpp"
#include "store/database.hpp"
#include "video/storage.hpp"

namespace hoithi::api {

struct JudgingApiDeps {
  store::Database& db;
  contest::CurrentContestCache& current;
  judging::JudgingService& judging;
  video::FileStore& files;
};

void RegisterJudgingApi(http::Router& router, const JudgingApiDeps& deps);

}  // namespace hoithi::api
