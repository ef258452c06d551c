// The route table: method + path pattern ("/api/v1/attempts/{id}") -> handler, with the access
// rule declared beside each route. Matching is by literal segments and {name} parameters, in the
// order routes were added; the pattern doubles as the route's name in metrics and logs.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "http/responder.hpp"

namespace hoithi::http {

/// Runs on a network thread. `request` stays valid while any copy of `responder` is alive.
using HandlerFn = std::function<void(Request& request, Responder responder)>;

struct Route {
  Method method;
  std::string pattern;
  std::string name;  // "GET /api/v1/attempts/{id}"
  HandlerFn handler;
  std::vector<std::string> segments;
};

class Router {
 public:
  /// Adds a route. Patterns start with '/'; a segment "{name}" matches any one non-empty segment.
  Route& Add(Method method, std::string pattern, HandlerFn handler);

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
