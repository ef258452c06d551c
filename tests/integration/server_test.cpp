// The HTTP server through the real `hoithi serve`: health, pages and errors in Vietnamese, limits
// (body, headers, slow clients, connections), static files, pipelining and metrics.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/http_client.hpp"
#include "support/server_harness.hpp"
#include "support/wait.hpp"

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({{"HOITHI_SERVER_MAX_BODY_BYTES", "4096"},
                                 {"HOITHI_SERVER_MAX_HEADER_BYTES", "2048"},
                                 {"HOITHI_SERVER_READ_TIMEOUT_S", "1"}});
    server_->SeedDemo();
    server_->Start();
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->Stop(SIGTERM), 0);
    delete server_;
  }
  static ServerProcess* server_;
  HttpClient client_{server_->base_url()};
};
ServerProcess* ServerTest::server_ = nullptr;

TEST_F(ServerTest, EveryKindOfAnswerCarriesTheSecurityHeaders) {
  const std::string big(8192, 'x');  // over this server's 4 KiB body limit: a 413
  const std::vector<std::pair<std::string, HttpResponse>> answers = {
      {"a page", client_.Get("/")},
      {"a JSON answer", client_.Get("/api/v1/contest")},
      {"a static file", client_.Get("/static/app.css")},
      {"a page that does not exist", client_.Get("/khong-co-trang-nay")},
      {"an API route that does not exist", client_.Get("/api/v1/khong-co")},
      {"a refused body", client_.Post("/api/v1/participants", big)},
  };
  for (const auto& [what, r] : answers) {
    ASSERT_NE(r.status, 0) << what;
    EXPECT_EQ(r.Header("x-content-type-options"), "nosniff") << what;
    EXPECT_EQ(r.Header("referrer-policy"), "strict-origin-when-cross-origin") << what;
    if (r.Header("content-type").starts_with("text/html")) {
      const auto csp = r.Header("content-security-policy");
      EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what << ": " << csp;
      EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << what << ": " << csp;
      EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << what << ": " << csp;
    }
  }
}

TEST(ServerCookies, TheSessionCookieIsSecureBehindATrustedProxySayingHttpsAndOnlyThen) {
  ServerProcess server(Env{{"HOITHI_SERVER_TRUSTED_PROXIES", "127.0.0.1"}});
  server.SeedDemo();
  server.Start();
  const std::string body = R"({"login":"giamkhao","password":"hoithi-demo-2021"})";
  HttpClient c(server.base_url());
  const auto https =
      c.Post("/api/v1/auth/login", body, "application/json", {"X-Forwarded-Proto: https"});
  ASSERT_EQ(https.status, 200) << https.body;
  EXPECT_NE(https.Header("set-cookie").find("; Secure"), std::string::npos)
      << https.Header("set-cookie");
  const auto plain = c.Post("/api/v1/auth/login", body);
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.Header("set-cookie").find("Secure"), std::string::npos)
      << plain.Header("set-cookie");
  EXPECT_EQ(server.Stop(SIGTERM), 0);

  ServerProcess untrusted;  // the same header from a peer that is no proxy of ours
  untrusted.SeedDemo();
  untrusted.Start();
  HttpClient d(untrusted.base_url());
  const auto claimed =
      d.Post("/api/v1/auth/login", body, "application/json", {"X-Forwarded-Proto: https"});
  ASSERT_EQ(claimed.status, 200);
  EXPECT_EQ(claimed.Header("set-cookie").find("Secure"), std::string::npos);
  EXPECT_EQ(untrusted.Stop(SIGTERM), 0);
}

TEST_F(ServerTest, HealthzAnswersWhenTheDatabaseDoes) {
  const auto r = client_.Get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["status"], "ok");
}

TEST_F(ServerTest, HomePageShowsTheContestInVietnamese) {
  const auto r = client_.Get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<html lang=\"vi\">"), std::string::npos);
  EXPECT_NE(r.body.find("Hội thi trực tuyến Cải cách hành chính tỉnh Sóc Trăng năm 2021"),
            std::string::npos);
  EXPECT_NE(r.body.find("đang diễn ra"), std::string::npos);
  EXPECT_NE(r.body.find("10.000.000 đồng"), std::string::npos);
  EXPECT_NE(r.body.find("02993.624.779"), std::string::npos);
  EXPECT_NE(r.Header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
}

TEST_F(ServerTest, ContestApiDescribesTheCurrentContest) {
  const auto r = client_.Get("/api/v1/contest");
  ASSERT_EQ(r.status, 200);
  const auto j = r.Json();
  EXPECT_EQ(j["slug"], "cchc-soc-trang-2021");
  EXPECT_EQ(j["status"], "open");
  EXPECT_EQ(j["time_zone"], "Asia/Ho_Chi_Minh");
}

TEST_F(ServerTest, AnUnknownPageIsA404PageInVietnamese) {
  const auto r = client_.Get("/khong-co-trang-nay");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("Không tìm thấy trang"), std::string::npos);
}

TEST_F(ServerTest, AnUnknownApiRouteIsAJson404) {
  const auto r = client_.Get("/api/v1/khong-co");
  EXPECT_EQ(r.status, 404);
  const auto j = r.Json();
  EXPECT_EQ(j["error"]["code"], "not_found");
  EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
}

TEST_F(ServerTest, AWrongMethodIs405WithAllow) {
  const auto r = client_.Request("DELETE", "/healthz", "", {});
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("allow"), "GET");
}

TEST_F(ServerTest, AnOversizeBodyIs413AndTheServerKeepsServing) {
  const auto r = client_.Post("/api/v1/contest", std::string(10000, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Json()["error"]["code"], "payload_too_large");
  HttpClient other(server_->base_url());
  EXPECT_EQ(other.Get("/healthz").status, 200);
}

TEST_F(ServerTest, AChunkedBodyOverTheLimitIs413Too) {
  std::string req =
      "POST /api/v1/contest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i)
    req += "400\r\n" + std::string(1024, 'y') + "\r\n";
  req += "0\r\n\r\n";
  EXPECT_EQ(RawStatus(RawExchange(server_->port(), req)), 413);
}

TEST_F(ServerTest, AMalformedRequestIs400AndTheServerKeepsServing) {
  EXPECT_EQ(RawStatus(RawExchange(server_->port(), "GARBAGE\r\n\r\n")), 400);
  EXPECT_EQ(RawStatus(RawExchange(server_->port(), "GET nowhere HTTP/1.1\r\nHost: x\r\n\r\n")),
            400);
  EXPECT_EQ(RawStatus(RawExchange(server_->port(),
                                  "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")),
            400);
  EXPECT_EQ(client_.Get("/healthz").status, 200);
}

TEST_F(ServerTest, OversizeHeadersAre431) {
  const std::string req =
      "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n";
  EXPECT_EQ(RawStatus(RawExchange(server_->port(), req)), 431);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  const auto raw =
      RawExchange(server_->port(),
                  "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                  "GET /khong-co HTTP/1.1\r\nHost: x\r\n\r\n"
                  "GET /api/v1/contest HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto a = raw.find("HTTP/1.1 200");
  const auto b = raw.find("HTTP/1.1 404");
  const auto c = raw.rfind("HTTP/1.1 200");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST_F(ServerTest, ASlowClientIsCutOffWithoutStallingOthers) {
  std::string slow;
  std::thread t([&] {
    // Headers that never finish: the server must answer 408 after its read timeout (1 s here).
    slow = RawExchange(server_->port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", 10s);
  });
  std::this_thread::sleep_for(200ms);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client_.Get("/healthz").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  t.join();
  EXPECT_EQ(RawStatus(slow), 408);
}

TEST_F(ServerTest, StaticFilesCarryAnEtagRevalidateAndCompress) {
  const auto home = client_.Get("/");
  const auto at = home.body.find("/static/app.css?v=");
  ASSERT_NE(at, std::string::npos);
  const auto url = home.body.substr(at, home.body.find('"', at) - at);
  const auto r = client_.Get(url);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/css; charset=utf-8");
  EXPECT_NE(r.Header("cache-control").find("immutable"), std::string::npos);
  const auto etag = r.Header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(client_.Get("/static/app.css", {"If-None-Match: " + etag}).status, 304);
  const auto gz = client_.Get("/static/app.css", {"Accept-Encoding: gzip"});
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  const auto br = client_.Get("/static/app.css", {"Accept-Encoding: gzip, br"});
  EXPECT_EQ(br.Header("content-encoding"), "br");
}

TEST_F(ServerTest, LargeTextResponsesAreCompressedWhenTheClientAcceptsIt) {
  const auto r = client_.Get("/", {"Accept-Encoding: gzip"});
  EXPECT_EQ(r.Header("content-encoding"), "gzip");
  EXPECT_NE(r.Header("vary").find("Accept-Encoding"), std::string::npos);
}

TEST_F(ServerTest, MetricsExposeRoutesCommitsAndQueues) {
  client_.Get("/healthz");
  const auto r = client_.Get("/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.Header("content-type").find("text/plain"), std::string::npos);
  for (const char* needle :
       {"hoithi_http_requests_total{route=\"GET /healthz\",code=\"2xx\"}",
        "hoithi_http_request_duration_seconds_bucket{route=\"GET /healthz\",le=\"0.001\"}",
        "hoithi_http_requests_total{route=\"unmatched\",code=\"4xx\"}",
        "hoithi_commit_batch_size_bucket", "hoithi_commit_seconds_bucket",
        "hoithi_queue_depth{queue=\"committer\",committer=\"0\"}", "hoithi_connections "}) {
    EXPECT_NE(r.body.find(needle), std::string::npos) << needle;
  }
}

TEST_F(ServerTest, TheAccessLogRecordsRequests) {
  client_.Get("/healthz", {"User-Agent: access-log-probe"});
  // The access log is written by a background thread.
  EXPECT_TRUE(Eventually(
      [&] { return server_->access_log().find("\"GET /healthz\" 200") != std::string::npos; }));
}

TEST(ServerLimits, OverTheConnectionLimitClientsGetAQuick503) {
  ServerProcess server(Env{{"HOITHI_SERVER_MAX_CONNECTIONS", "2"}});
  server.Start();
  // Two idle keep-alive connections hold the two slots.
  std::vector<std::thread> holders;
  for (int i = 0; i < 2; ++i) {
    holders.emplace_back([&] { RawExchange(server.port(), "", 1500ms); });
  }
  std::this_thread::sleep_for(300ms);
  const auto start = std::chrono::steady_clock::now();
  const auto raw = RawExchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 5s);
  EXPECT_EQ(RawStatus(raw), 503);
  EXPECT_NE(raw.find("Retry-After: 5"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  for (auto& t : holders)
    t.join();
  std::this_thread::sleep_for(200ms);
  HttpClient client(server.base_url());
  EXPECT_EQ(client.Get("/healthz").status, 200);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST(ServerStart, ServeMigratesAnEmptyDatabaseAndShowsThatNoContestExists) {
  ServerProcess server;
  server.Start();
  HttpClient client(server.base_url());
  const auto r = client.Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Chưa có hội thi nào"), std::string::npos);
  EXPECT_EQ(client.Get("/api/v1/contest").status, 404);
  EXPECT_EQ(server.Stop(SIGINT), 0);
}

TEST(ServerStart, ThePortComesFromTheEnvironment) {
  // HOITHI_SERVER_PORT=<n> hoithi serve: find a free port by asking the kernel for one first.
  ServerProcess probe;
  probe.Start();
  const int port = probe.port();
  probe.Stop();
  ServerProcess server(Env{{"HOITHI_SERVER_PORT", std::to_string(port)}});
  server.Start();
  EXPECT_EQ(server.port(), port);
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace hoithi::testing
