// Accounts administered by the organisers over JSON: list and search, create, read, change,
// reset a password. /api/v1/users...
#pragma once

#include "accounts/staff.hpp"
#include "contest/current_contest_cache.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace hoithi::api {

struct UserApiDeps {
  store::Database& db;
  contest::CurrentContestCache& current;
  accounts::StaffService& staff;
};

void RegisterUserApi(http::Router& router, const UserApiDeps& deps);

}  // namespace hoithi::api
