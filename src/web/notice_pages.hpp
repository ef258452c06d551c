// Notices (thông báo): the organisers' list with create, edit, pin, schedule and withdraw
// (/quan-tri/thong-bao); the public list (/thong-bao), one notice (/thong-bao/{id}) and the Atom
// feed (/thong-bao.atom) that units' portals syndicate.
#pragma once

#include <string>
#include <string_view>

#include "contest/notices.hpp"
#include "core/clock.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct NoticePageDeps : SiteDeps {
  store::Database& db;
  const core::Clock& clock;
  const std::string& public_url;  // server.public_url (web::PublicAddress)
  contest::NoticeService& notices;
};

void RegisterNoticePages(http::Router& router, const NoticePageDeps& deps);

/// A notice's body as safe HTML: every character escaped, then blank lines part paragraphs, a
/// line break is kept, http(s) addresses become links and **text** is bold. Nothing the author
/// types can become markup of its own.
std::string NoticeBodyHtml(std::string_view body);

}  // namespace hoithi::web
