// The route table: method + path pattern ("/api/v1/attempts/{id}") -> handler, with the access
// rule declared beside each route. Matching is by literal segments and {name} parameters, in the
// order routes were added; the pattern doubles as the route's name in metrics and logs. A route
// may take a larger (or smaller) body than server.max_body_bytes (Access::MaxBody), and may take
// it as a stream instead of in memory (Router::AddStreaming, http/body_sink.hpp).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/roles.hpp"
#include "http/body_sink.hpp"
#include "http/message.hpp"
#include "http/responder.hpp"

namespace hoithi::http {

/// The request-rate limit a route counts against (http/rate_gate.hpp), per client address and,
/// when signed in, per account.
enum class RateLimited { kNo, kLogin, kRegistration, kAttemptStart };

/// Who may call a route. Checked by the auth gate (http/auth_gate.hpp) before any handler runs;
/// docs/security.md shows the whole table. On routes with a {unit} parameter a focal point may
/// only name their own unit.
struct Access {
  enum class Who { kAnyone, kSignedIn, kRoles };
  Who who = Who::kAnyone;
  std::vector<accounts::Role> roles;  // for kRoles
  /// For endpoints whose handler accepts only application/json (login, registration): no CSRF
  /// token, since a cross-site page cannot send that type without a CORS preflight we never
  /// grant (anything else gets 415 from the handler). Form posts always need a token.
  bool csrf_exempt_json = false;
  RateLimited limit = RateLimited::kNo;
  /// A public read whose anonymous answers may be shared for server.public_cache_ms
  /// (http/public_cache.hpp): the same for every visitor without a session.
  bool shared = false;
  /// The largest request body the route takes, in bytes; 0: server.max_body_bytes. A request
  /// whose Content-Length says more gets 413 before its body is read; a chunked one, as soon as
  /// it goes over.
  std::size_t max_body_bytes = 0;
  /// Open to an account that must still change its initial password (the change itself, the
  /// session, signing out); every other signed-in route waits for the change.
  bool before_password_change = false;

  static Access Anyone() { return {}; }
  static Access SignedIn() { return {Who::kSignedIn, {}, false}; }
  static Access Roles(std::vector<accounts::Role> roles) {
    return {Who::kRoles, std::move(roles), false};
  }
  Access& BeforePasswordChange() {
    before_password_change = true;
    return *this;
  }
  Access& CsrfExemptJson() {
    csrf_exempt_json = true;
    return *this;
  }
  Access& Limited(RateLimited which) {
    limit = which;
    return *this;
  }
  Access& Shared() {
    shared = true;
    return *this;
  }
  Access& MaxBody(std::size_t bytes) {
    max_body_bytes = bytes;
    return *this;
  }
  bool Allows(accounts::Role role) const;
};

/// Runs on a network thread. `request` stays valid while any copy of `responder` is alive.
using HandlerFn = std::function<void(Request& request, Responder responder)>;

/// The handler of a streaming route. Runs on a network thread as soon as the request's headers
/// are complete and the middleware (auth gate, rate gate) let it through: no byte of the body
/// has been read yet, and `request.body` stays empty. Either returns the sink that takes the
/// body (which then answers from BodySink::OnEnd; the handler does not answer), or answers
/// through `responder` (404, 409, 412, ...) and returns null: the body is then never read, and
/// the connection closes after the answer.
using StreamHandlerFn =
    std::function<std::shared_ptr<BodySink>(Request& request, Responder responder)>;

struct Route {
  Method method;
  std::string pattern;
  std::string name;  // "GET /api/v1/attempts/{id}"
  Access access;
  HandlerFn handler;               // a route with its body in memory, or
  StreamHandlerFn stream_handler;  // one whose body streams to a sink
  std::vector<std::string> segments;

  bool streams() const { return static_cast<bool>(stream_handler); }
};

class Router {
 public:
  /// Adds a route. Patterns start with '/'; a segment "{name}" matches any one non-empty segment.
  void Add(Method method, std::string pattern, Access access, HandlerFn handler);
  /// Adds a route whose request body streams to the sink its handler returns (large uploads),
  /// with the middleware run before the body is read. Bodies of any length up to
  /// `access.max_body_bytes` (or server.max_body_bytes), with Content-Length or chunked.
  void AddStreaming(Method method, std::string pattern, Access access, StreamHandlerFn handler);

  struct Match {
    const Route* route = nullptr;
    bool other_method = false;  // the path exists for another method: 405, not 404
    std::string allow;          // those methods, for the Allow header
  };
  /// Finds the route for `method` and `path`, filling `params`. HEAD matches GET routes.
  Match Find(Method method, std::string_view path,
             std::vector<std::pair<std::string, std::string>>& params) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace hoithi::http
