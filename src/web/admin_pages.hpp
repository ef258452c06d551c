// The organisers' screens under /quan-tri.
#pragma once

#include "http/router.hpp"
#include "web/site.hpp"

namespace hoithi::web {

void RegisterAdminPages(http::Router& router, const WebDeps& deps);

}  // namespace hoithi::web
