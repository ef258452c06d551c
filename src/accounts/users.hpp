// User accounts: staff (admin, secretary, judge, focal point) and participants. Logins are unique
// per contest; install-wide administrators have no contest. Passwords are stored only as
// Argon2id hashes (password.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/roles.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::accounts {

struct User {
  std::int64_t id = 0;
  std::optional<std::int64_t> contest_id;  // empty: install-wide administrator
  std::string login;
  Role role = Role::kParticipant;
  std::optional<std::int64_t> unit_id;
  std::string full_name;
  std::string phone;
  std::string email;
  std::string position;
  std::string extra_json = "{}";
  bool active = true;
  bool must_change_password = false;
  bool registration_pending = false;  // waits for its unit's focal point (verification.hpp)
};

struct NewUser {
  std::optional<std::int64_t> contest_id;
  std::string login;
  std::string password_hash;
  Role role = Role::kParticipant;
  std::optional<std::int64_t> unit_id;
  std::string full_name;
  std::string phone;
  std::string email;
  std::string position;
  std::string extra_json = "{}";  // the contest's further registration fields
  bool must_change_password = false;
  bool pending = false;  // a registration waiting for its unit (accounts/verification.hpp)
  std::optional<std::string> registration_key;  // see RegistrationInput::idempotency_key
};

/// Vietnamese mobile or landline number as stored: 10 digits starting with 0. Accepts spaces,
/// dots and dashes, and the +84 / 84 prefixes. Empty when it is not such a number.
std::optional<std::string> NormalizePhone(std::string_view input);

struct PublicName {
  std::string full_name;
  std::string phone;  // for staff views only (results::BoardEntry)
};

/// Names and phones of the given users (for rankings).
core::Result<std::map<std::int64_t, PublicName>> PublicNames(store::Connection& conn,
                                                             const std::vector<std::int64_t>& ids);

/// A plausible e-mail address: 3–254 characters "local@domain.tld" without spaces.
bool LooksLikeEmail(std::string_view email);

/// A login for a staff account: 3–64 characters of [a-z0-9._-], or a phone number.
core::Status ValidateLogin(std::string_view login);

/// 8–128 characters, not one of the most common passwords.
core::Status ValidatePassword(std::string_view password);

/// A person's full name: 2–100 characters after cleaning. Returns the cleaned name.
core::Result<std::string> CleanFullName(std::string_view name);

/// What user search compares against: name, login and phone, folded (core::FoldForSearch).
std::string SearchKey(std::string_view full_name, std::string_view login, std::string_view phone);

/// Inserts the user; returns its id, or empty when the login is taken (in the contest, or
/// install-wide for a contest-less account): each caller says so in its own words.
core::Result<std::optional<std::int64_t>> InsertUser(store::Connection& conn, const NewUser& user,
                                                     core::TimePoint now);

/// kConflict "login_taken", field "login": what a login already used means to a person.
core::Error LoginTaken();

core::Result<std::optional<User>> FindUserById(store::Connection& conn, std::int64_t id);

/// The account with this login in the contest, or the install-wide one when `contest_id` is empty.
/// The contest's active accounts of `role`, by id (e.g. its judges).
core::Result<std::vector<User>> ActiveUsersWithRole(store::Connection& conn,
                                                    std::int64_t contest_id, Role role);
core::Result<std::optional<User>> FindUserByLogin(store::Connection& conn,
                                                  std::optional<std::int64_t> contest_id,
                                                  std::string_view login);

/// Accounts of `role` per unit of the contest (unit id -> count); registrations waiting for or
/// refused by their unit are not counted.
core::Result<std::map<std::int64_t, std::int64_t>> CountAccountsByUnit(store::Connection& conn,
                                                                       std::int64_t contest_id,
                                                                       std::string_view role);

/// The unit usage check of accounts (units::UsageCheck): why a unit that accounts belong to
/// cannot be deleted, or empty.
core::Result<std::optional<std::string>> AccountsUsingUnit(store::Connection& conn,
                                                           std::int64_t unit_id);

}  // namespace hoithi::accounts
