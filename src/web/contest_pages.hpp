// The contest console (/quan-tri/hoi-thi): the contests of the install, creating one, copying
// last year's edition, editing identity, contact, schedule and prize table, moving a deadline
// with a reason (which publishes a notice), archiving, and the contest file to download; and the
// organisers' notices (/quan-tri/thong-bao).
#pragma once

#include "contest/contest_service.hpp"
#include "contest/notices.hpp"
#include "core/clock.hpp"
#include "editions/edition_service.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct ContestPageDeps : SiteDeps {
  store::Database& db;
  const core::Clock& clock;
  contest::ContestService& contests;
  editions::EditionService& editions;
  contest::NoticeService& notices;
};

void RegisterContestPages(http::Router& router, const ContestPageDeps& deps);

/// A date and time typed in the contest's time zone: "2021-09-15T07:00" (an HTML datetime-local
/// field) or "15/09/2021 07:00"; "24:00" is the end of the day. Empty when it is neither.
std::optional<core::TimePoint> ParseLocalDateTime(std::string_view text, const std::string& tz);

/// `t` as an HTML datetime-local value in `tz` ("2021-09-15T07:00").
std::string DateTimeLocalValue(core::TimePoint t, const std::string& tz);

}  // namespace hoithi::web
