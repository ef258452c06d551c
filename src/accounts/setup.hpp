// The first run of an install without any administrator: the server makes a one-time setup
// token, prints it in its log (only the operator of the machine reads that), and the setup page
// creates the first install-wide administrator with it. Once an administrator exists the page is
// gone for good. (`hoithi user add` does the same from the command line.)
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "accounts/password.hpp"
#include "accounts/sessions.hpp"
#include "core/clock.hpp"
#include "core/work_pool.hpp"
#include "store/database.hpp"

namespace hoithi::accounts {

struct FirstAdmin {
  std::string login;
  std::string full_name;
  std::string password;
};

class SetupService {
 public:
  SetupService(store::Database& db, core::WorkPool& hash_pool, const core::Clock& clock,
               PasswordCost cost);

  /// At start-up: when the install has no administrator, a new token (to print); else empty.
  core::Result<std::optional<std::string>> Begin();

  /// Whether the setup page is still open (no administrator created yet through it or otherwise).
  bool Open();

  /// Creates the first install-wide administrator. kForbidden "setup_closed" once an
  /// administrator exists; kForbidden "invalid_setup_token" for a wrong token; kValidation for
  /// the login, name or password (naming the field).
  void CreateFirstAdmin(std::string_view token, FirstAdmin admin, ClientInfo client,
                        core::Callback<std::int64_t> done);

 private:
  store::Database& db_;
  core::WorkPool& hash_pool_;
  const core::Clock& clock_;
  PasswordCost cost_;
  std::mutex mu_;
  std::string token_;  // empty: closed
};

/// Whether any administrator account exists.
core::Result<bool> HasAdministrator(store::Connection& conn);

}  // namespace hoithi::accounts
