// Graceful shutdown: SIGTERM and SIGINT stop the server with exit code 0, also with clients
// connected and requests in flight.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "support/http_client.hpp"
#include "support/server_harness.hpp"
#include "support/wait.hpp"

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;

TEST(Shutdown, SigtermUnderReadLoadExitsZero) {
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      HttpClient c(server.base_url());
      c.set_timeout(5s);
      while (!stop) {
        const auto r = c.Get("/");
        (r.status == 200 ? ok : failed)++;
      }
    });
  }
  // Stop while the clients are busy: once each has had answers.
  EXPECT_TRUE(Eventually([&] { return ok.load() >= 20; }));
  EXPECT_EQ(server.Stop(SIGTERM), 0) << server.log();
  stop = true;
  for (auto& t : clients)
    t.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_NE(server.log().find("stopped cleanly"), std::string::npos);
}

TEST(Shutdown, IdleKeepAliveConnectionsDoNotHoldTheShutdown) {
  ServerProcess server(Env{{"HOITHI_SERVER_IDLE_TIMEOUT_S", "600"}});
  server.Start();
  std::thread idle(
      [&] { RawExchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 20s); });
  std::this_thread::sleep_for(300ms);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.Stop(SIGTERM), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  idle.join();
}

}  // namespace
}  // namespace hoithi::testing

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;

TEST(Shutdown, SigtermUnderWriteLoadKeepsEveryAcknowledgedWrite) {
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::atomic<int> attempts{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      HttpClient c(server.base_url());
      c.set_timeout(10s);
      for (int i = 0; !stop; ++i) {
        const std::string phone = "09" + std::to_string(10000000 + t * 1000000 + i);
        ++attempts;
        const auto r = c.Post("/api/v1/participants",
                              R"({"full_name":"Người Tải Thử","phone":")" + phone +
                                  R"(","unit_code":"so-noi-vu","password":"mat-khau-tai-thu"})");
        if (r.status == 201) {
          std::lock_guard lock(mu);
          acknowledged.push_back(phone);
        } else if (r.status == 0) {
          break;  // the server is gone
        }
      }
    });
  }
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(server.Stop(SIGTERM), 0) << server.log();
  stop = true;
  for (auto& t : clients)
    t.join();
  ASSERT_GT(acknowledged.size(), 10u);

  server.Start();
  HttpClient admin(server.base_url());
  const auto login =
      admin.Post("/api/v1/auth/login", R"({"login":"btc","password":"hoithi-demo-2021"})");
  ASSERT_EQ(login.status, 200);
  admin.set_bearer(login.Json()["token"]);
  const auto all = admin.Get("/api/v1/users?role=participant&per_page=1");
  const long stored = all.Json()["total"].get<long>() - 1;  // the demo participant
  EXPECT_GE(stored, static_cast<long>(acknowledged.size()));
  EXPECT_LE(stored, attempts.load());
  for (const auto& phone : acknowledged) {
    const auto r = admin.Get("/api/v1/users?q=" + phone);
    EXPECT_EQ(r.Json()["total"], 1) << phone << " was acknowledged but is not stored";
  }
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace hoithi::testing
