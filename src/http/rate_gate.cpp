// Rate limits by route: which bucket, which limit, and the 429 answer.
#include "http/rate_gate.hpp"

#include <string>

#include "http/auth_gate.hpp"

namespace hoithi::http {
namespace {

struct Limits {
  const char* bucket;
  int per_ip;
  int per_account;
};

Limits LimitsOf(RateLimited which, const core::LimitsConfig& c) {
  switch (which) {
    case RateLimited::kLogin:
      // Per account, logins are held back by the failed-login throttle (accounts/login_throttle).
      return {"login", c.login_per_ip, 0};
    case RateLimited::kRegistration:
      return {"registration", c.registration_per_ip, 0};
    case RateLimited::kAttemptStart:
      return {"attempt_start", c.attempt_start_per_ip, c.attempt_start_per_account};
    case RateLimited::kNo:
      break;
  }
  return {"", 0, 0};
}

}  // namespace

RateGate::RateGate(core::LimitsConfig config) : config_(config) {}

bool RateGate::CheckAddress(Request& request, const Route& route, Responder& responder) {
  if (route.access.limit == RateLimited::kNo || !config_.per_ip_enabled) return true;
  if (request.client_ip.empty()) return true;
  const auto limits = LimitsOf(route.access.limit, config_);
  return !Over(std::string(limits.bucket) + ":ip:" + request.client_ip, limits.per_ip, responder);
}

bool RateGate::CheckAccount(Request& request, const Route& route, Responder& responder) {
  if (route.access.limit == RateLimited::kNo) return true;
  const auto& viewer = ViewerOf(request);
  if (!viewer.user) return true;
  const auto limits = LimitsOf(route.access.limit, config_);
  return !Over(std::string(limits.bucket) + ":user:" + std::to_string(viewer.user->user_id),
               limits.per_account, responder);
}

bool RateGate::Over(std::string key, int per_minute, Responder& responder) {
  const int wait = limiter_.Take(key, {per_minute});
  if (wait == 0) return false;
  auto e = core::MakeError(core::ErrorKind::kTooManyRequests, "rate_limited",
                           "Có quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau " +
                               std::to_string(wait) + " giây.");
  e.retry_after_s = wait;
  responder.SendError(e);
  return true;
}

}  // namespace hoithi::http
