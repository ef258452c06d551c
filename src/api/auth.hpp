// Authentication and self-registration over JSON: POST /api/v1/auth/login, .../logout,
// GET .../session, POST .../password, POST /api/v1/participants, GET /api/v1/units.
#pragma once

#include "api/common.hpp"
#include "http/router.hpp"

namespace hoithi::api {

void RegisterAuthApi(http::Router& router, const ApiDeps& deps);

}  // namespace hoithi::api
