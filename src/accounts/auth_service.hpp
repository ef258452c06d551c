// Authentication: login (password check on the hashing pool, throttling, a new session), session
// lookup for each request, logout and password change. Every login, failed login and password
// change is audited. Callbacks run on a pool or committer thread, never on the caller's.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "accounts/login_throttle.hpp"
#include "accounts/password.hpp"
#include "accounts/sessions.hpp"
#include "accounts/users.hpp"
#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/work_pool.hpp"
#include "store/data_versions.hpp"
#include "store/database.hpp"

namespace hoithi::accounts {

struct AuthOptions {
  PasswordCost cost;
  std::chrono::hours session_lifetime{12};
  std::chrono::milliseconds cache_ttl{std::chrono::seconds(30)};
  ThrottlePolicy account_throttle{};
  ThrottlePolicy address_throttle{20, std::chrono::minutes(15), std::chrono::seconds(60),
                                  std::chrono::minutes(15)};
  /// Signs device tokens (accounts/known_devices.hpp); empty: none are issued or honoured.
  std::string device_key;
};

/// The audit actor for a signed-in person on a client.
audit::Actor ActorOf(const SignedIn& who, const ClientInfo& client);

struct LoginInput {
  std::optional<std::int64_t> contest_id;  // the contest the site shows; admins may be global
  std::string login;                       // a staff login or a phone number
  std::string password;
  ClientInfo client;
  /// The token of the device this login comes from, if it has one (a cookie): with it, the
  /// device's failures are counted apart from the account's, so that someone else's guesses,
  /// which lock the account, do not lock its owner out on this device.
  std::string device_token;
};

struct SessionGrant {
  std::string token;
  SignedIn who;
  std::string device_token;  // for the client to keep (a long-lived cookie); empty: none
};

using core::Callback;

class AuthService {
 public:
  AuthService(store::Database& db, store::DataVersions& versions, core::WorkPool& hash_pool,
              const core::Clock& clock, AuthOptions options);

  /// Checks the credentials and opens a session. Errors: kTooManyRequests (throttled, or the
  /// hashing pool is full), kUnauthenticated "invalid_credentials" (the same for an unknown login
  /// and a wrong password), kForbidden "account_disabled".
  void Login(LoginInput input, Callback<SessionGrant> done);

  /// The signed-in user of a token, from the cache or the database; empty when the token is not
  /// a live session. Reads the database on a cache miss: kUnavailable when it cannot answer
  /// (the caller must not take the token for signed out then).
  core::Result<std::optional<SignedIn>> Authenticate(std::string_view token);

  /// Ends the session.
  void Logout(const SignedIn& who, ClientInfo client, std::function<void(core::Status)> done);

  /// Checks the current password, sets the new one, ends every session of the user and opens a
  /// fresh one for this client.
  void ChangePassword(const SignedIn& who, std::string current, std::string replacement,
                      ClientInfo client, Callback<SessionGrant> done);

  /// Forgets cached sessions of the user (after this process disabled it or changed its role).
  void ForgetUser(std::int64_t user_id) { cache_.ForgetUser(user_id); }

  const AuthOptions& options() const { return options_; }
  core::WorkPool& hash_pool() { return hash_pool_; }

 private:
  core::Error Throttled(int retry_after) const;
  core::Error PoolFull() const;

  /// A login's reserved failure (ReserveLoginAttempt) and the account's throttle key.
  struct LoginReservation {
    std::string account_key;  // "user:<id>", "device:<nonce>" or "login:<contest>:<login>"
    std::string token;
    std::string device_token;  // handed back on success
  };
  /// The second half of Login, once the failure is reserved: the hash on the pool, then the
  /// session or the failure's audit entry.
  void CheckPassword(LoginInput input, std::string login, std::optional<User> user,
                     std::string hash, LoginReservation reservation, Callback<SessionGrant> done);
  /// Deletes the reservation of a login that was no failure (a busy pool, a disabled account).
  void Release(const LoginReservation& reservation);
  void OpenSession(const SignedIn& who, std::optional<std::string> rehash, ClientInfo client,
                   LoginReservation reservation, Callback<SessionGrant> done);

  store::Database& db_;
  store::DataVersions& versions_;
  core::WorkPool& hash_pool_;
  const core::Clock& clock_;
  AuthOptions options_;
  SessionCache cache_;
  std::string dummy_hash_;  // verified for unknown logins, so they take as long as real ones
};

/// The error every wrong login gets, whatever was wrong.
core::Error InvalidCredentials();

}  // namespace hoithi::accounts
