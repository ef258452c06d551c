// Administration of accounts: lists with paging and diacritic-insensitive search; creating staff
// (secretaries, judges, focal points, organisers); changing a role or unit; disabling and
// enabling; resetting a password. Who may touch whom is decided here, once: an organiser only
// accounts of their own contest (an install-wide administrator every account), a focal point only
// participants of their own unit, and nobody may disable or demote themselves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts/auth_service.hpp"
#include "accounts/users.hpp"

namespace hoithi::accounts {

struct UserQuery {
  std::optional<std::int64_t> contest_id;  // empty: every contest (install-wide administrators)
  bool include_global = false;             // also install-wide administrators
  std::string q;                           // matched against name, login and phone, folded
  std::optional<Role> role;
  std::optional<std::int64_t> unit_id;
  int page = 1;
  int per_page = 50;
};

struct UserListItem {
  User user;
  std::string unit_code;
  std::string unit_name;
  core::TimePoint created_at;
};

struct UserPage {
  std::vector<UserListItem> items;
  std::int64_t total = 0;
  int page = 1;
  int per_page = 50;
};

core::Result<UserPage> SearchUsers(store::Connection& conn, const UserQuery& query);

struct StaffInput {
  std::string login;  // a phone number for a participant
  std::string full_name;
  Role role = Role::kSecretary;
  std::string unit_code;  // required for focal points and participants
  std::string phone;
  std::string email;
  std::string position;
  std::string password;  // empty: a generated one, returned once
};

struct UserPatch {
  std::optional<Role> role;
  std::optional<std::string> unit_code;  // "" removes the unit
  std::optional<bool> active;
  std::optional<std::string> full_name;
  std::optional<std::string> email;
  std::optional<std::string> position;
};

struct CreatedUser {
  std::int64_t user_id = 0;
  std::string login;
  std::string initial_password;  // only when generated
};

class StaffService {
 public:
  StaffService(store::Database& db, AuthService& auth, const core::Clock& clock);

  /// Creates an account in `contest_id` (install-wide when an administrator is created without
  /// one). The password is hashed on the hashing pool.
  void Create(const SignedIn& actor, std::optional<std::int64_t> contest_id, StaffInput input,
              ClientInfo client, Callback<CreatedUser> done);

  /// Changes role, unit, status or details; disabling or a role change ends the user's sessions.
  void Update(const SignedIn& actor, std::int64_t user_id, UserPatch patch, ClientInfo client,
              Callback<User> done);

  /// Gives the user a new generated password (to be changed at next login) and ends their
  /// sessions. Returns the password, to be shown once.
  void ResetPassword(const SignedIn& actor, std::int64_t user_id, ClientInfo client,
                     Callback<std::string> done);

  /// kNotFound when `actor` may not see `target` (so that other contests' users stay invisible).
  static core::Status CheckScope(const SignedIn& actor, const User& target);

 private:
  store::Database& db_;
  AuthService& auth_;
  const core::Clock& clock_;
};

}  // namespace hoithi::accounts
