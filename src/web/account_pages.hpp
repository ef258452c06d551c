// Pages of one's own account: /dang-nhap, /dang-xuat, /dang-ky, /ho-so, /doi-mat-khau.
#pragma once

#include "accounts/auth_service.hpp"
#include "accounts/registration.hpp"
#include "core/clock.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "web/site.hpp"

namespace hoithi::web {

struct AccountPageDeps : SiteDeps {
  store::Database& db;
  const core::Clock& clock;
  accounts::AuthService& auth;
  accounts::RegistrationService& registration;
};

void RegisterAccountPages(http::Router& router, const AccountPageDeps& deps);

}  // namespace hoithi::web
