// Graceful shutdown: SIGTERM and SIGINT stop the server with exit code 0, also with clients
// connected and requests in flight.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/http_client.hpp"
#include "support/server_harness.hpp"

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
  std::this_thread::sleep_for(500ms);
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
