// The question bank, item analysis, quiz rules and grants screens under /quan-tri.
#pragma once

#include "http/router.hpp"
#include "web/site.hpp"

namespace hoithi::web {

void RegisterBankPages(http::Router& router, const WebDeps& deps);

}  // namespace hoithi::web
