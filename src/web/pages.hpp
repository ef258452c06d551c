// The public pages of the site (home) and the HTML error page used for every failure outside
// /api/. Handlers turn domain data into view models; they hold no SQL.
#pragma once

#include "contest/current_contest_cache.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "web/views.hpp"

namespace hoithi::web {

struct PageDeps {
  store::Database& db;
  const core::Clock& clock;
  const Views& views;
  contest::CurrentContestCache& current;
};

void RegisterPages(http::Router& router, PageDeps deps);

/// The layout data for the current contest (site name, organiser contact).
Layout LayoutFor(contest::CurrentContestCache& current, std::string title);

/// The Vietnamese error page for `error` with HTTP `status`.
std::string ErrorPage(const Views& views, contest::CurrentContestCache& current,
                      const core::Error& error, int status);

}  // namespace hoithi::web
