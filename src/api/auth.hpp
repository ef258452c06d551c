// Authentication and self-registration over JSON: POST /api/v1/auth/login, .../logout,
// GET .../session, POST .../password, POST /api/v1/participants, GET /api/v1/units.
#pragma once

#include "accounts/auth_service.hpp"
#include "accounts/registration.hpp"
#include "contest/current_contest_cache.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace hoithi::api {

struct AuthApiDeps {
  store::Database& db;
  contest::CurrentContestCache& current;
  accounts::AuthService& auth;
  accounts::RegistrationService& registration;
};

void RegisterAuthApi(http::Router& router, const AuthApiDeps& deps);

}  // namespace hoithi::api
