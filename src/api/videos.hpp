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

/// Answers GET or HEAD with the entry's file of `kind` (ranges, validators): 404
/// "video_not_ready" while it does not exist yet. The caller has checked who may see the entry.
void SendEntryFile(video::FileStore& files, const video::Entry& entry, http::Request& req,
                   http::Responder res, video::FileKind kind);

void RegisterVideoApi(http::Router& router, const VideoApiDeps& deps);

}  // namespace hoithi::api
