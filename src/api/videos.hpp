// The video entries over JSON, and their files: a unit's entries created, changed and withdrawn
// (video::EntryService decides who may), the organisers' overview by unit, and the poster, web
// copy and original of a ready video, with ranges for players.
// /api/v1/videos...
#pragma once

#include "contest/current_contest_cache.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "video/entry_service.hpp"

namespace hoithi::api {

struct VideoApiDeps {
  store::Database& db;
  contest::CurrentContestCache& current;
  video::EntryService& videos;
};

void RegisterVideoApi(http::Router& router, const VideoApiDeps& deps);

}  // namespace hoithi::api
