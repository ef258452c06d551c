// Self-registration of participants: họ và tên, số điện thoại (the login), email, đơn vị, chức
// vụ, password, and the further fields the contest asks for. One account per phone per contest,
// and per value of every field the contest declares unique. Nothing is created unless every
// field is valid.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "accounts/auth_service.hpp"
#include "contest/contest.hpp"
#include "contest/settings.hpp"

namespace hoithi::accounts {

struct RegistrationInput {
  std::string full_name;
  std::string phone;
  std::string email;
  std::string unit_code;
  std::string position;
  std::string password;
  std::map<std::string, std::string> extra;  // by RegistrationField::key
  // Optional, chosen by the client (the Idempotency-Key header; a hidden field of the form):
  // a repeat of the registration with the same key and phone answers the account it created,
  // so a retry after a lost response is not refused as a duplicate. 16–128 of [A-Za-z0-9_-].
  std::string idempotency_key;
};

/// The input cleaned (trimmed, NFC, phone normalised), or an error listing every field at fault
/// (Error::fields; the first one also in Error::field/message). Checks what needs no database.
core::Result<RegistrationInput> CheckRegistration(
    const RegistrationInput& input, const std::vector<contest::RegistrationField>& fields);

/// A fresh idempotency key for a registration form: 256 random bits, base64url.
std::string NewRegistrationKey();

struct Registered {
  std::int64_t user_id = 0;
  std::string login;
  std::string full_name;
  std::string unit_code;
  std::string unit_name;
  /// Outside the unit's roster in a contest that checks: waits for the unit's focal point.
  bool pending = false;
};

class RegistrationService {
 public:
  RegistrationService(store::Database& db, core::WorkPool& hash_pool, const core::Clock& clock,
                      PasswordCost cost);

  /// Registers a participant of `contest` (while it is not closed). Errors are kValidation with
  /// the field ("duplicate_phone", "unknown_unit", ...), kForbidden when the contest is closed,
  /// kTooManyRequests when the hashing pool is full.
  void Register(const contest::Contest& contest, RegistrationInput input, ClientInfo client,
                Callback<Registered> done);

 private:
  store::Database& db_;
  core::WorkPool& hash_pool_;
  const core::Clock& clock_;
  PasswordCost cost_;
};

}  // namespace hoithi::accounts
