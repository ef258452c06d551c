// Administration over JSON: /api/v1/users, /api/v1/audit, /api/v1/contest/settings.
#pragma once

#include <functional>

#include "api/common.hpp"
#include "http/router.hpp"

namespace hoithi::api {

void RegisterAdminApi(http::Router& router, const ApiDeps& deps);

/// GET /api/v1/routes (organisers): every route with its access rule, read from the final route
/// table through `routes` (the table is complete only once every module has registered).
void RegisterRouteList(http::Router& router, std::function<const http::Router&()> routes);

}  // namespace hoithi::api
