// The first-run page (/cai-dat-ban-dau): on a server without any administrator, whoever holds the
// one-time token printed in the server's log creates the first administrator here.
#pragma once

#include "accounts/setup.hpp"
#include "http/router.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct SetupPageDeps : SiteDeps {
  accounts::SetupService& setup;
};

void RegisterSetupPages(http::Router& router, const SetupPageDeps& deps);

}  // namespace hoithi::web
