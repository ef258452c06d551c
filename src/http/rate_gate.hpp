// The middleware that applies request-rate limits (core/rate_limiter.hpp) to the routes that
// declare one (Access::Limited): per client address unless switched off, and per account when
// the caller is signed in. Over the limit: 429 with Retry-After, before the handler runs.
#pragma once

#include "core/config.hpp"
#include "core/rate_limiter.hpp"
#include "http/router.hpp"

namespace hoithi::http {

class RateGate {
 public:
  explicit RateGate(core::LimitsConfig config);

  /// Middleware (http::Service::Use) before the auth gate: the client address's allowance, so
  /// that a flood costs no session lookups. Returns false when it answered.
  bool CheckAddress(Request& request, const Route& route, Responder& responder);
  /// Middleware after the auth gate: the signed-in account's allowance.
  bool CheckAccount(Request& request, const Route& route, Responder& responder);

 private:
  bool Over(std::string key, int per_minute, Responder& responder);

  core::LimitsConfig config_;
  core::RateLimiter limiter_;
};

}  // namespace hoithi::http
