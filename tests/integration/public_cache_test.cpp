// The shared answers of public pages (server.public_cache_ms, http/public_cache.hpp) through the
// real server: anonymous visitors share one answer per target for the configured time; a
// signed-in participant reads the same shared board with their own rank added live; the staff read
// the board live; nothing that belongs to one visitor (a session, the anonymous CSRF cookie) is
// ever shared.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"
#include "support/wait.hpp"

namespace hoithi::testing {
namespace {

TEST(PublicCache, AnonymousReadsShareOneAnswerOwnRanksAndStaffReadsStayLive) {
  // Long enough that nothing expires during the test.
  ServerProcess server(Env{{"HOITHI_SERVER_PUBLIC_CACHE_MS", "60000"}});
  server.SeedDemo();
  server.Start();
  HttpClient anonymous(server.base_url());
  const auto before = anonymous.Get("/api/v1/leaderboard?limit=20");
  ASSERT_TRUE(IsAnswer(before, 200));
  EXPECT_EQ(before.Json().value("total", -1), 0);
  const auto stats_before = anonymous.Get("/api/v1/stats/units");
  ASSERT_TRUE(IsAnswer(stats_before, 200));

  auto p = NewParticipant(server, "Phạm Thị Dung");
  const auto attempt = Start(*p.http);
  ASSERT_TRUE(IsAnswer(Submit(*p.http, attempt), 200));

  // Anonymous: the answer shared before the submit, byte for byte, on every target it was made for.
  const auto again = anonymous.Get("/api/v1/leaderboard?limit=20");
  ASSERT_TRUE(IsAnswer(again, 200));
  EXPECT_EQ(again.body, before.body);
  EXPECT_EQ(anonymous.Get("/api/v1/stats/units").body, stats_before.body);
  // Another target is its own entry: read now, it shows the result.
  EXPECT_EQ(Leaderboard(anonymous, 21).value("total", -1), 1);
  // Signed in: the board everyone shares (made before the submit), and the participant's own
  // rank read now.
  const auto mine = Leaderboard(*p.http, 20);
  EXPECT_EQ(mine.value("total", -1), 0) << mine.dump();
  ASSERT_TRUE(mine.contains("me")) << mine.dump();
  EXPECT_EQ(mine["me"].value("rank", 0), 1) << mine.dump();
  auto other = NewParticipant(server, "Lê Văn Em");
  EXPECT_FALSE(Leaderboard(*other.http, 20).contains("me")) << "no result, no rank";
  // The organisers see the board live.
  auto btc = SignIn(server, "btc");
  const auto live = Leaderboard(*btc.http, 20);
  EXPECT_EQ(live.value("total", -1), 1) << live.dump();
  EXPECT_FALSE(live.contains("me"));

  // Pages: each anonymous visitor still gets their own CSRF cookie, never a shared one.
  HttpClient first(server.base_url()), second(server.base_url());
  const auto a = first.Get("/xep-hang");
  const auto b = second.Get("/xep-hang");
  ASSERT_TRUE(IsAnswer(a, 200));
  ASSERT_TRUE(IsAnswer(b, 200));
  EXPECT_EQ(a.body, b.body);
  EXPECT_FALSE(a.Header("set-cookie").empty());
  EXPECT_NE(a.Header("set-cookie"), b.Header("set-cookie"));
  // The login answer (a session) is never shared: two logins, two tokens.
  EXPECT_NE(SignIn(server, p.phone, kStrongPassword).token,
            SignIn(server, p.phone, kStrongPassword).token);
  ExpectCleanStop(server);
}

TEST(PublicCache, AnAnswerExpiresAfterItsMaxAge) {
  ServerProcess server(Env{{"HOITHI_SERVER_PUBLIC_CACHE_MS", "300"}});
  server.SeedDemo();
  server.Start();
  HttpClient anonymous(server.base_url());
  EXPECT_EQ(Leaderboard(anonymous, 20).value("total", -1), 0);
  auto p = NewParticipant(server);
  ASSERT_TRUE(IsAnswer(Submit(*p.http, Start(*p.http)), 200));
  // Once the shared answer is older than public_cache_ms, the next read makes it again.
  EXPECT_TRUE(Eventually([&] { return Leaderboard(anonymous, 20).value("total", -1) == 1; }));
  ExpectCleanStop(server);
}

}  // namespace
}  // namespace hoithi::testing
