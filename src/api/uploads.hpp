// The tus 1.0.0 endpoints of video uploads (creation, creation-with-upload, termination,
// expiration, checksum sha256): bodies stream from the socket to the file store on the server's
// body pool, and an offset is answered only once its bytes are fsynced.
// OPTIONS/POST /api/v1/uploads, HEAD/PATCH/DELETE /api/v1/uploads/{id}
#pragma once

#include "contest/current_contest_cache.hpp"
#include "http/router.hpp"
#include "video/entry_service.hpp"

namespace hoithi::api {

struct UploadApiDeps {
  contest::CurrentContestCache& current;
  video::EntryService& videos;
};

void RegisterUploadApi(http::Router& router, const UploadApiDeps& deps);

}  // namespace hoithi::api
