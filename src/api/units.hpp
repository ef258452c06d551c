// Units, their members and roster imports over JSON: /api/v1/units..., /api/v1/jobs/{id}...
#pragma once

#include "api/common.hpp"
#include "http/router.hpp"

namespace hoithi::api {

void RegisterUnitApi(http::Router& router, const ApiDeps& deps);

}  // namespace hoithi::api
