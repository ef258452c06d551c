// The public pages of the site: home (/) and the rules (/the-le), and the HTML error page used for
// every failure outside /api/. Handlers turn domain data into view models; they hold no SQL.
#pragma once

#include "core/clock.hpp"
#include "core/error.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct PublicPageDeps : SiteDeps {
  store::Database& db;
  const core::Clock& clock;
};

void RegisterPages(http::Router& router, const PublicPageDeps& deps);

/// The Vietnamese error page for `error` with HTTP `status`.
std::string ErrorPage(const SiteDeps& deps, const http::Request& request, const core::Error& error,
                      int status);

}  // namespace hoithi::web
