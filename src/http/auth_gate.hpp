// The one place where access is decided, before any handler runs: who is asking (session cookie
// or Authorization: Bearer), whether the route's Access allows them (401/redirect, 403), whether a
// focal point names only their own unit, and whether a state-changing request carries its CSRF
// token. Handlers read the outcome with ViewerOf(request).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "accounts/sessions.hpp"
#include "audit/audit_log.hpp"
#include "http/router.hpp"

namespace hoithi::http {

inline constexpr std::string_view kSessionCookie = "hoithi_session";
inline constexpr std::string_view kCsrfCookie = "hoithi_csrf";
/// A device the person signed in from before (accounts/known_devices.hpp).
inline constexpr std::string_view kDeviceCookie = "hoithi_device";
inline constexpr std::string_view kCsrfField = "_csrf";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

class AuthGate;

/// Who is asking, attached to every request by the gate. Used by one thread at a time (the
/// threads that handle its request, in turn).
struct Viewer final : RequestContext {
  std::optional<accounts::SignedIn> user;
  bool by_bearer = false;
  std::string csrf_cookie_value;  // set on the response when the client has none yet

  /// What forms and X-CSRF-Token must carry back (empty when there is none to carry: an
  /// anonymous read of the API). An HMAC, made on first use: most API requests never need it.
  const std::string& CsrfToken() const;

 private:
  friend class AuthGate;
  const AuthGate* gate_ = nullptr;
  std::string csrf_seed_;  // what the token is bound to: the session, or the anonymous cookie
  mutable std::optional<std::string> csrf_token_;
};

/// The viewer of a request (an anonymous one when the gate did not run).
const Viewer& ViewerOf(const Request& request);

/// The signed-in user of a request on a route whose access needs one (the gate checked it).
const accounts::SignedIn& Who(const Request& request);

/// The address and browser of the client, for sessions and the audit log.
accounts::ClientInfo ClientOf(const Request& request);

/// Who did it, for the audit log: the signed-in user of the request and their client.
audit::Actor ActorOf(const Request& request);

/// Set-Cookie values for the session cookie (HttpOnly, SameSite=Lax, Secure over https).
std::string SessionCookie(std::string_view token, std::chrono::seconds max_age, bool secure);
std::string ExpiredSessionCookie(bool secure);
/// Set-Cookie value for a device token: a year, HttpOnly, SameSite=Lax, Secure over https.
std::string DeviceCookie(std::string_view token, bool secure);

/// Who holds a session token (a cookie or a bearer token): empty when nobody (expired, revoked,
/// unknown); an Error when it cannot be told (the database is down: 503).
using SessionLookup =
    std::function<core::Result<std::optional<accounts::SignedIn>>(std::string_view token)>;

struct AuthGateOptions {
  std::string csrf_key;  // 32 secret bytes shared by every instance (accounts/secrets.hpp)
  /// The page an account that must change its initial password is sent to (any other page
  /// redirects there).
  std::string password_change_path;
};

class AuthGate {
 public:
  AuthGate(SessionLookup sessions, AuthGateOptions options);

  /// The middleware (http::Service::Use). Returns false when it answered itself.
  bool Check(Request& request, const Route& route, Responder& responder) const;

  /// Response decorator (http::Service::Decorate): sets the CSRF cookie when one was minted.
  void Decorate(const Request& request, Response& response) const;

 private:
  friend struct Viewer;
  std::string CsrfToken(std::string_view seed) const;
  bool CsrfOk(const Request& request, const Viewer& viewer) const;

  SessionLookup sessions_;
  AuthGateOptions options_;
};

/// Where a page redirects after login: `next` when it is a local path, else "/".
std::string SafeNext(std::string_view next);

}  // namespace hoithi::http
