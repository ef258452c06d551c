// Login, session lookup, logout and password change.
#include "accounts/auth_service.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "accounts/audit_actions.hpp"
#include "accounts/known_devices.hpp"
#include "accounts/users.hpp"
#include "audit/audit_log.hpp"
#include "core/text.hpp"
#include "units/units.hpp"

namespace hoithi::accounts {
namespace {

using core::ErrorKind;

/// The login as the person meant it: a phone number in its stored form, or a lower-case login.
std::string CanonicalLogin(std::string_view raw) {
  if (auto phone = NormalizePhone(raw)) return *phone;
  return core::AsciiLower(core::IsValidUtf8(raw) ? core::CleanText(raw) : std::string(raw));
}

std::string ContestKey(const std::optional<std::int64_t>& contest_id) {
  return contest_id ? std::to_string(*contest_id) : "-";
}

core::Result<std::string> PasswordHashOf(store::Connection& conn, std::int64_t user_id) {
  std::string hash;
  HOITHI_TRY(conn.Query("SELECT password_hash FROM users WHERE id = $1", {user_id},
                        [&](const store::Row& r) { hash = r.Str(0); }));
  return hash;
}

}  // namespace

core::Error InvalidCredentials() {
  return core::MakeError(ErrorKind::kUnauthenticated, "invalid_credentials",
                         "Tên đăng nhập hoặc mật khẩu không đúng.");
}

AuthService::AuthService(store::Database& db, store::DataVersions& versions,
                         core::WorkPool& hash_pool, const core::Clock& clock, AuthOptions options)
    : db_(db),
      versions_(versions),
      hash_pool_(hash_pool),
      clock_(clock),
      options_(options),
      cache_(options.cache_ttl, 200000) {
  auto dummy = HashPassword("not-a-real-password-for-timing", options_.cost);
  if (dummy) dummy_hash_ = *dummy;
}

core::Error AuthService::Throttled(int retry_after) const {
  auto e = core::MakeError(ErrorKind::kTooManyRequests, "too_many_attempts",
                           "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau " +
                               std::to_string(retry_after) + " giây.");
  e.retry_after_s = retry_after;
  return e;
}

core::Error AuthService::PoolFull() const {
  auto e = core::MakeError(ErrorKind::kTooManyRequests, "busy",
                           "Hệ thống đang có nhiều người đăng nhập cùng lúc. Vui lòng thử lại sau "
                           "vài giây.");
  e.retry_after_s = 3;
  return e;
}

void AuthService::Login(LoginInput input, Callback<SessionGrant> done) {
  const std::string login = CanonicalLogin(input.login);
  // The account first: its counter is the account's, whichever contest's site the login comes
  // through (install-wide staff have one), and a login naming no account gets a counter of its own.
  std::optional<User> user;
  std::string hash;
  {
    auto lease = db_.Read();
    auto found = input.contest_id ? FindUserByLogin(*lease, input.contest_id, login)
                                  : core::Result<std::optional<User>>(std::optional<User>());
    if (found && !*found) found = FindUserByLogin(*lease, std::nullopt, login);
    if (!found) return done(std::move(found).error());
    user = std::move(*found);
    if (user) {
      auto h = PasswordHashOf(*lease, user->id);
      if (!h) return done(std::move(h).error());
      hash = std::move(*h);
    }
  }
  LoginReservation reservation;
  reservation.account_key = user ? "user:" + std::to_string(user->id)
                                 : "login:" + ContestKey(input.contest_id) + ":" + login;
  if (user) {
    // A device the account signed in from before has a counter of its own.
    if (auto device = DeviceOf(options_.device_key, input.device_token, user->id)) {
      reservation.account_key = "device:" + *device;
      reservation.device_token = input.device_token;
    }
  }
  reservation.token = NewSessionToken().hash;  // random, and never shown
  const std::vector<ThrottledKey> keys{{reservation.account_key, options_.account_throttle},
                                       {"ip:" + input.client.ip, options_.address_throttle}};
  auto wait = std::make_shared<int>(0);
  // The failure is reserved before the password is checked: parallel guesses are counted one by
  // one, so a burst gets the allowance of a sequence of guesses, not one guess each.
  db_.Write(
      [keys, token = reservation.token, wait,
       now = clock_.Now()](store::Connection& c) -> core::Status {
        auto w = ReserveLoginAttempt(c, keys, token, now);
        if (!w) return std::move(w).error();
        *wait = *w;
        return core::Ok();
      },
      [this, input = std::move(input), login, user = std::move(user), hash = std::move(hash),
       reservation, wait, done](const core::Status& st) mutable {
        if (!st) return done(st.error());
        if (*wait > 0) return done(Throttled(*wait));
        CheckPassword(std::move(input), login, std::move(user), std::move(hash), reservation, done);
      });
}

void AuthService::Release(const LoginReservation& reservation) {
  db_.Write(
      [token = reservation.token](store::Connection& c) { return ReleaseReservation(c, token); },
      [](const core::Status& st) {
        if (!st) spdlog::warn("releasing a login reservation: {}", st.error().detail);
      });
}

void AuthService::CheckPassword(LoginInput input, std::string login, std::optional<User> user,
                                std::string hash, LoginReservation reservation,
                                Callback<SessionGrant> done) {
  auto task = [this, input = std::move(input), login = std::move(login), user = std::move(user),
               hash = std::move(hash), reservation, done]() mutable {
    const auto now = clock_.Now();
    const bool match = VerifyPassword(user ? hash : dummy_hash_, input.password) && user;
    if (!match) {
      // The reserved failure stays; the audit entry says whose it was.
      const audit::Actor actor{user ? std::optional<std::int64_t>(user->id) : std::nullopt,
                               login.substr(0, 64), input.client.ip};
      const audit::Entry entry{input.contest_id, actions::kLoginFailed,
                               "user",           user ? std::to_string(user->id) : "",
                               std::nullopt,     std::nullopt};
      db_.Write(
          [actor, entry, now](store::Connection& c) { return audit::Record(c, actor, entry, now); },
          [done](const core::Status& st) {
            if (!st) return done(st.error());
            done(InvalidCredentials());
          });
      return;
    }
    if (!user->active) {
      Release(reservation);
      return done(core::MakeError(ErrorKind::kForbidden, "account_disabled",
                                  "Tài khoản này đã bị khóa. Vui lòng liên hệ Ban Tổ chức."));
    }
    std::optional<std::string> rehash;
    if (NeedsRehash(hash, options_.cost)) {
      if (auto fresh = HashPassword(input.password, options_.cost)) rehash = *fresh;
    }
    if (reservation.device_token.empty() && !options_.device_key.empty()) {
      reservation.device_token = IssueDeviceToken(options_.device_key, user->id);  // a new device
    }
    SignedIn who;
    who.user_id = user->id;
    who.contest_id = user->contest_id;
    who.role = user->role;
    who.unit_id = user->unit_id;
    who.login = user->login;
    who.full_name = user->full_name;
    who.must_change_password = user->must_change_password;
    who.registration_pending = user->registration_pending;
    OpenSession(who, std::move(rehash), input.client, reservation, done);
  };
  // A login whose turn comes too late answers "busy" instead of hashing (work_pool.hpp); its
  // reservation is no failure of the person's.
  auto busy = [this, reservation, done] {
    Release(reservation);
    done(PoolFull());
  };
  if (!hash_pool_.TrySubmit(std::move(task), busy)) busy();
}

void AuthService::OpenSession(const SignedIn& who_in, std::optional<std::string> rehash,
                              ClientInfo client, LoginReservation reservation,
                              Callback<SessionGrant> done) {
  const auto now = clock_.Now();
  auto token = NewSessionToken();
  auto grant = std::make_shared<SessionGrant>();
  grant->token = token.token;
  grant->device_token = reservation.device_token;
  grant->who = who_in;
  grant->who.session_hash = token.hash;
  grant->who.expires_at = now + options_.session_lifetime;
  db_.Write(
      [grant, rehash, client, now, reservation](store::Connection& c) -> core::Status {
        auto& who = grant->who;
        // The right password: the account's failures are forgotten, the address's reservation
        // released (the address keeps its other failures).
        HOITHI_TRY(ForgetLoginFailures(c, reservation.account_key));
        HOITHI_TRY(ReleaseReservation(c, reservation.token));
        if (rehash) {
          auto r =
              c.Exec("UPDATE users SET password_hash = $2 WHERE id = $1", {who.user_id, *rehash});
          if (!r) return std::move(r).error();
        }
        HOITHI_TRY(InsertSession(c, who.session_hash, who.user_id, now, who.expires_at, client.ip,
                                 client.user_agent));
        // The unit code is shown to API clients; read it inside the same transaction.
        if (who.unit_id) {
          auto unit = units::FindUnitById(c, *who.unit_id);
          if (!unit) return std::move(unit).error();
          if (*unit) who.unit_code = (*unit)->code;
        }
        return audit::Record(c, audit::Actor{who.user_id, who.login, client.ip},
                             audit::Entry{who.contest_id, actions::kLogin, "user",
                                          std::to_string(who.user_id), std::nullopt, std::nullopt},
                             now);
      },
      [this, grant, done](const core::Status& st) {
        if (!st) return done(st.error());
        cache_.Put(grant->who, versions_.Current(store::Cached::kSessions));
        done(std::move(*grant));
      });
}

core::Result<std::optional<SignedIn>> AuthService::Authenticate(std::string_view token) {
  const auto hash = HashSessionToken(token);
  if (hash.empty()) return std::optional<SignedIn>();
  const auto now = clock_.Now();
  // The counter is read before the session: a change committed meanwhile makes the entry stale.
  const auto version = versions_.Current(store::Cached::kSessions);
  if (auto cached = cache_.Get(hash, now, version)) return cached;
  auto lease = db_.Read();
  auto found = FindSignedIn(*lease, hash, now);
  if (!found) {
    spdlog::warn("session lookup failed: {} {}", found.error().code, found.error().detail);
    return std::move(found).error();
  }
  if (*found) cache_.Put(**found, version);
  return *found;
}

void AuthService::Logout(const SignedIn& who, ClientInfo client,
                         std::function<void(core::Status)> done) {
  const auto now = clock_.Now();
  cache_.Forget(who.session_hash);
  db_.Write(
      [who, client, now](store::Connection& c) -> core::Status {
        HOITHI_TRY(RevokeSession(c, who.session_hash, now));
        return audit::Record(c, audit::Actor{who.user_id, who.login, client.ip},
                             audit::Entry{who.contest_id, actions::kLogout, "user",
                                          std::to_string(who.user_id), std::nullopt, std::nullopt},
                             now);
      },
      [this, who, done](const core::Status& st) {
        cache_.Forget(who.session_hash);
        done(st);
      });
}

void AuthService::ChangePassword(const SignedIn& who, std::string current, std::string replacement,
                                 ClientInfo client, Callback<SessionGrant> done) {
  if (auto st = ValidatePassword(replacement); !st) {
    auto e = st.error();
    e.field = "new_password";
    return done(e);
  }
  if (current == replacement) {
    return done(core::MakeError(ErrorKind::kValidation, "same_password",
                                "Mật khẩu mới phải khác mật khẩu hiện tại.", "new_password"));
  }
  auto task = [this, who, current = std::move(current), replacement = std::move(replacement),
               client, done]() mutable {
    std::string hash;
    {
      auto lease = db_.Read();
      auto h = PasswordHashOf(*lease, who.user_id);
      if (!h) return done(std::move(h).error());
      hash = std::move(*h);
    }
    if (!VerifyPassword(hash, current)) {
      return done(core::MakeError(ErrorKind::kValidation, "wrong_password",
                                  "Mật khẩu hiện tại không đúng.", "current_password"));
    }
    auto fresh = HashPassword(replacement, options_.cost);
    if (!fresh) return done(std::move(fresh).error());
    const auto now = clock_.Now();
    auto token = NewSessionToken();
    auto grant = std::make_shared<SessionGrant>();
    grant->token = token.token;
    grant->who = who;
    grant->who.session_hash = token.hash;
    grant->who.must_change_password = false;
    grant->who.expires_at = now + options_.session_lifetime;
    auto ended = std::make_shared<std::vector<std::string>>();
    db_.Write(
        [grant, ended, hash = *fresh, client, now](store::Connection& c) -> core::Status {
          const auto& w = grant->who;
          auto live = LiveSessionHashes(c, w.user_id, now);
          if (!live) return std::move(live).error();
          *ended = std::move(*live);
          auto r = c.Exec(
              "UPDATE users SET password_hash = $2, must_change_password = 0,"
              " password_changed_at = $3, updated_at = $3 WHERE id = $1",
              {w.user_id, hash, core::ToEpochMs(now)});
          if (!r) return std::move(r).error();
          auto revoked = RevokeUserSessions(c, w.user_id, now);
          if (!revoked) return std::move(revoked).error();
          HOITHI_TRY(InsertSession(c, w.session_hash, w.user_id, now, w.expires_at, client.ip,
                                   client.user_agent));
          return audit::Record(c, audit::Actor{w.user_id, w.login, client.ip},
                               audit::Entry{w.contest_id, actions::kPasswordChange, "user",
                                            std::to_string(w.user_id), std::nullopt, std::nullopt},
                               now);
        },
        [this, grant, ended, done](const core::Status& st) {
          if (!st) return done(st.error());
          for (const auto& h : *ended)
            cache_.Forget(h);
          cache_.Put(grant->who, versions_.Current(store::Cached::kSessions));
          done(std::move(*grant));
        });
  };
  if (!hash_pool_.TrySubmit(std::move(task))) done(PoolFull());
}

audit::Actor ActorOf(const SignedIn& who, const ClientInfo& client) {
  return audit::Actor{who.user_id, who.login, client.ip};
}

}  // namespace hoithi::accounts
