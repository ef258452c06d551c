// The video part's screens: a unit's entries (/don-vi/{unit}/video) where its focal point
// registers a video, uploads it resumably (tus-js-client in the browser, web/static/
// video_upload.js), follows its processing, watches it and withdraws it; and the organisers'
// overview of every unit (/quan-tri/video), the units still owing a video first; the public
// gallery of the videos the organisers approved (/video), each with its player page, an embed
// page for the units' own websites, and a view count that reloads cannot inflate.
#pragma once

#include "http/router.hpp"
#include "store/database.hpp"
#include "video/entry_service.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct VideoPageDeps : SiteDeps {
  store::Database& db;
  const core::Clock& clock;
  const std::string& public_url;  // server.public_url, for the embed code
  video::EntryService& videos;
};

/// An entry's themes as one line of their Vietnamese labels, separated by "; ".
std::string ThemesText(const std::vector<std::string>& themes);
/// An entry's credits as the templates show them: "credits" ({name, role, invited}) and
/// "has_credits".
void SetCredits(Data& data, const std::vector<video::Credit>& credits);

void RegisterVideoPages(http::Router& router, const VideoPageDeps& deps);

}  // namespace hoithi::web
