// What units put on their own portals (the plan asks every unit to link the contest from its
// website): a page of copy-paste snippets (/gioi-thieu), a banner image (/bieu-ngu.svg), QR codes
// of the contest's address (/ma-qr.svg, /ma-qr.png) and an embeddable status card
// (/nhung/trang-thai?don-vi=CODE): the contest's phase, a countdown and the unit's own
// participation. The status card is the one page another site may frame.
#pragma once

#include "accounts/participant_counts.hpp"
#include "core/clock.hpp"
#include "http/router.hpp"
#include "quiz/standings.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct PortalPageDeps : SiteDeps {
  store::Database& db;
  const core::Clock& clock;
  const std::string& public_url;  // server.public_url (web::PublicAddress)
  quiz::Standings& standings;
  accounts::ParticipantCounts& participant_counts;
};

void RegisterPortalPages(http::Router& router, const PortalPageDeps& deps);

}  // namespace hoithi::web
