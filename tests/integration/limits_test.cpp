// Request-rate limits through the real server: per client address on login, registration and
// attempt start (429 + Retry-After + a Vietnamese message), per account on attempt start, the
// client address taken from X-Forwarded-For only when the peer is a trusted proxy, and
// limits.per_ip_enabled = false switching off the per-address limits but not the per-account ones.
#include <gtest/gtest.h>

#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"

namespace hoithi::testing {
namespace {

Env Limits(Env env) {
  env.emplace("HOITHI_LIMITS_PER_IP_ENABLED", "true");  // unless the test says otherwise
  return env;
}

HttpResponse Register(HttpClient& c, const std::vector<std::string>& headers = {}) {
  return RegisterParticipant(c, NewPhone(), "Lê Văn Cường", headers);
}

::testing::AssertionResult IsRateLimited(const HttpResponse& r) {
  if (r.status != 429) return ::testing::AssertionFailure() << r.status << " " << r.body;
  if (ErrorOf(r).value("code", "") != "rate_limited")
    return ::testing::AssertionFailure() << "code: " << r.body;
  const auto retry = r.Header("retry-after");
  if (retry.empty() || std::stoi(retry) < 1)
    return ::testing::AssertionFailure() << "Retry-After: '" << retry << "'";
  if (ErrorOf(r).value("message", "").find("Vui lòng thử lại sau") == std::string::npos)
    return ::testing::AssertionFailure() << "message: " << r.body;
  return ::testing::AssertionSuccess();
}

TEST(Limits, RegistrationsFromOneAddressBeyondTheLimitGet429WithRetryAfter) {
  ServerProcess server(Limits({{"HOITHI_LIMITS_REGISTRATION_PER_IP", "3"}}));
  server.SeedDemo();
  server.Start();
  HttpClient c(server.base_url());
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(IsAnswer(Register(c), 201)) << i;
  EXPECT_TRUE(IsRateLimited(Register(c)));
  // The page form counts against the same allowance and answers a page, not JSON.
  const auto page = c.Post("/dang-ky", "full_name=x", "application/x-www-form-urlencoded");
  EXPECT_EQ(page.status, 429);
  EXPECT_FALSE(page.Header("retry-after").empty());
  EXPECT_NE(page.body.find("Vui lòng thử lại sau"), std::string::npos);
  // Other routes are not limited.
  EXPECT_TRUE(IsAnswer(c.Get("/api/v1/units"), 200));
  ExpectCleanStop(server);
}

TEST(Limits, LoginsFromOneAddressAreLimitedWhateverTheAccount) {
  ServerProcess server(Limits({{"HOITHI_LIMITS_LOGIN_PER_IP", "4"}}));
  server.SeedDemo();
  server.Start();
  HttpClient c(server.base_url());
  for (int i = 0; i < 4; ++i) {
    const auto r = c.Post("/api/v1/auth/login",
                          json{{"login", "giamkhao"}, {"password", kDemoPassword}}.dump());
    EXPECT_TRUE(IsAnswer(r, 200)) << i;
  }
  EXPECT_TRUE(IsRateLimited(
      c.Post("/api/v1/auth/login", json{{"login", "thuky"}, {"password", kDemoPassword}}.dump())));
  ExpectCleanStop(server);
}

TEST(Limits, ForwardedForCountsOnlyFromATrustedProxy) {
  // Untrusted peer: X-Forwarded-For is ignored, so changing it does not escape the limit.
  {
    ServerProcess server(Limits({{"HOITHI_LIMITS_REGISTRATION_PER_IP", "2"}}));
    server.SeedDemo();
    server.Start();
    HttpClient c(server.base_url());
    EXPECT_TRUE(IsAnswer(Register(c, {"X-Forwarded-For: 198.51.100.1"}), 201));
    EXPECT_TRUE(IsAnswer(Register(c, {"X-Forwarded-For: 198.51.100.2"}), 201));
    EXPECT_TRUE(IsRateLimited(Register(c, {"X-Forwarded-For: 198.51.100.3"})));
    ExpectCleanStop(server);
  }
  // Trusted proxy: each forwarded client has its own allowance.
  {
    ServerProcess server(Limits({{"HOITHI_LIMITS_REGISTRATION_PER_IP", "2"},
                                 {"HOITHI_SERVER_TRUSTED_PROXIES", "127.0.0.1"}}));
    server.SeedDemo();
    server.Start();
    HttpClient c(server.base_url());
    const std::vector<std::string> a{"X-Forwarded-For: 198.51.100.1"};
    const std::vector<std::string> b{"X-Forwarded-For: 198.51.100.2"};
    EXPECT_TRUE(IsAnswer(Register(c, a), 201));
    EXPECT_TRUE(IsAnswer(Register(c, a), 201));
    EXPECT_TRUE(IsRateLimited(Register(c, a)));
    EXPECT_TRUE(IsAnswer(Register(c, b), 201));
    ExpectCleanStop(server);
  }
}

TEST(Limits, AttemptStartsAreLimitedPerAccountEvenWithPerAddressLimitsOff) {
  ServerProcess server(Limits({{"HOITHI_LIMITS_PER_IP_ENABLED", "false"},
                               {"HOITHI_LIMITS_REGISTRATION_PER_IP", "1"},
                               {"HOITHI_LIMITS_ATTEMPT_START_PER_ACCOUNT", "3"}}));
  server.SeedDemo();
  server.Start();
  // Per-address limits off: three registrations from one address pass a limit of one.
  auto p = NewParticipant(server);
  auto q = NewParticipant(server);
  HttpClient anonymous(server.base_url());
  EXPECT_TRUE(IsAnswer(Register(anonymous), 201));
  // Start resumes the attempt under way, and every call counts.
  Start(*p.http, 201);
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(p.http->Post("/api/v1/attempts", "").status, 200) << i;
  EXPECT_TRUE(IsRateLimited(p.http->Post("/api/v1/attempts", "")));
  // Another account has its own allowance.
  Start(*q.http, 201);
  // Failed logins stay throttled per account whatever per_ip_enabled says.
  HttpClient c(server.base_url());
  long last = 0;
  for (int i = 0; i < 8; ++i) {
    last =
        c.Post("/api/v1/auth/login", json{{"login", p.phone}, {"password", "sai-mat-khau"}}.dump())
            .status;
  }
  EXPECT_EQ(last, 429);
  ExpectCleanStop(server);
}

}  // namespace
}  // namespace hoithi::testing
