// Segment matching for the route table.
#include "http/router.hpp"

#include <algorithm>

namespace hoithi::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool MatchSegments(const Route& route, std::string_view path,
                   std::vector<std::pair<std::string, std::string>>* params) {
  size_t pos = 1;
  for (size_t i = 0; i < route.segments.size(); ++i) {
    if (pos > path.size()) return false;
    const auto slash = path.find('/', pos);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    const auto segment = path.substr(pos, end - pos);
    const auto& want = route.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      if (segment.empty()) return false;
      if (params) params->emplace_back(want.substr(1, want.size() - 2), segment);
    } else if (segment != want) {
      return false;
    }
    pos = end + 1;
    if (i + 1 == route.segments.size()) return end == path.size();
  }
  return false;
}

}  // namespace

bool Access::Allows(accounts::Role role) const {
  switch (who) {
    case Who::kAnyone:
    case Who::kSignedIn:
      return true;
    case Who::kRoles:
      return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
  return false;
}

void Router::Add(Method method, std::string pattern, Access access, HandlerFn handler) {
  Route r;
  r.method = method;
  r.access = std::move(access);
  r.name = std::string(MethodName(method)) + " " + pattern;
  r.segments = Split(pattern);
  r.pattern = std::move(pattern);
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

void Router::AddStreaming(Method method, std::string pattern, Access access,
                          StreamHandlerFn handler) {
  Add(method, std::move(pattern), std::move(access), nullptr);
  routes_.back().stream_handler = std::move(handler);
}

Router::Match Router::Find(Method method, std::string_view path,
                           std::vector<std::pair<std::string, std::string>>& params) const {
  Match m;
  if (path.empty() || path.front() != '/') return m;
  const Method effective = method == Method::kHead ? Method::kGet : method;
  for (const auto& r : routes_) {
    if (r.method == effective) {
      params.clear();
      if (MatchSegments(r, path, &params)) {
        m.route = &r;
        return m;
      }
    }
  }
  params.clear();
  for (const auto& r : routes_) {
    if (MatchSegments(r, path, nullptr)) {
      m.other_method = true;
      if (!m.allow.empty()) m.allow += ", ";
      m.allow += MethodName(r.method);
    }
  }
  return m;
}

}  // namespace hoithi::http
