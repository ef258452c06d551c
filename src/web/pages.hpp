// The public pages of the site (home) and the HTML error page used for every failure outside
// /api/. Handlers turn domain data into view models; they hold no SQL.
#pragma once

#include "core/error.hpp"
#include "http/router.hpp"
#include "web/site.hpp"

namespace hoithi::web {

void RegisterPages(http::Router& router, const WebDeps& deps);

/// The Vietnamese error page for `error` with HTTP `status`.
std::string ErrorPage(const WebDeps& deps, const http::Request& request, const core::Error& error,
                      int status);

}  // namespace hoithi::web
