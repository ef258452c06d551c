// The Dispatcher of the application: client address (trusted proxies), routing with 404/405,
// middleware (sessions, CSRF and access checks plug in here), the one catch of handler
// exceptions, and on the way out the common headers, compression, metrics and access log.
// Routing happens when the headers are complete (OnHeaders), so that a route's body limit and
// streaming apply before its body is read.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "http/public_cache.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace hoithi::http {

struct ServiceOptions {
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For/-Proto are believed
  bool access_log = true;
  std::chrono::milliseconds public_cache{0};  // how long anonymous answers of Shared() routes last
};

/// Runs before the handler of a matched route, in the order added. Returns false when it has
/// answered through `responder`; the handler then does not run.
using Middleware = std::function<bool(Request& request, const Route& route, Responder& responder)>;

/// Adds to every response (cookies the middleware decided on, ...). Runs before compression.
using Decorator = std::function<void(const Request& request, Response& response)>;

/// Renders the HTML page for an error (the web layer's layout); JSON is used under /api/.
using HtmlErrorPage =
    std::function<std::string(const Request& request, const core::Error& error, int status)>;

class Service final : public Dispatcher {
 public:
  Service(Router router, ServiceOptions options, core::MetricsRegistry* metrics);

  void SetHtmlErrorPage(HtmlErrorPage page) { html_error_page_ = std::move(page); }
  void Use(Middleware middleware) { middleware_.push_back(std::move(middleware)); }
  void Decorate(Decorator decorator) { decorators_.push_back(std::move(decorator)); }
  const Router& router() const { return router_; }

  /// Resolves the client and routes the request (kept for Dispatch); the route's body limit
  /// and whether it streams.
  BodyPlan OnHeaders(Request& request) override;
  void Dispatch(Request& request, Responder responder) override;
  /// The middleware, then the streaming route's handler.
  std::shared_ptr<BodySink> DispatchStream(Request& request, Responder responder) override;
  Response Failure(const Request& request, const core::Error& error) override;
  void Finalize(const Request& request, Response& response, double seconds) override;

 private:
  struct RouteMetrics {
    core::Histogram* latency = nullptr;
    core::Counter* by_class[5] = {};  // 1xx..5xx
  };
  void ResolveClient(Request& request) const;
  /// Resolves the client and finds the route (filling route, route_index and params).
  Router::Match RouteRequest(Request& request) const;
  RouteMetrics& MetricsFor(const Request& request);

  Router router_;
  ServiceOptions options_;
  HtmlErrorPage html_error_page_;
  std::vector<Middleware> middleware_;
  std::vector<Decorator> decorators_;
  std::vector<RouteMetrics> route_metrics_;
  PublicCache public_cache_;  // by route index; the last is "unmatched"
};

}  // namespace hoithi::http
