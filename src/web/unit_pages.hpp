// A unit's screens under /don-vi/{unit}: members, password resets, roster imports.
#pragma once

#include "http/router.hpp"
#include "web/site.hpp"

namespace hoithi::web {

void RegisterUnitPages(http::Router& router, const WebDeps& deps);

}  // namespace hoithi::web
