// Administration over JSON: /api/v1/users, /api/v1/audit, /api/v1/contest/settings.
#pragma once

#include "api/common.hpp"
#include "http/router.hpp"

namespace hoithi::api {

void RegisterAdminApi(http::Router& router, const ApiDeps& deps);

}  // namespace hoithi::api
