// Admission control through the real server (limits.start_waiting_room_ms): while the database's
// writes are held up, participants pressing Start get the waiting room at once (429
// `waiting_room`, Retry-After, a Vietnamese message) instead of joining a queue that has already
// waited too long; nobody gets a 5xx or waits for a timeout, and once the writes flow again each
// of them starts with their next press (on the web, a waiting-room page that presses it again).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "support/direct_database.hpp"
#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;

/// Each participant of `people` presses Start on their own thread; the answers, in order.
std::vector<HttpResponse> PressStart(std::vector<Signed>& people) {
  std::vector<HttpResponse> answers(people.size());
  std::vector<std::thread> pressing;
  for (std::size_t i = 0; i < people.size(); ++i)
    pressing.emplace_back([&, i] { answers[i] = people[i].http->Post("/api/v1/attempts", ""); });
  for (auto& t : pressing)
    t.join();
  return answers;
}

TEST(WaitingRoom, WhileWritesAreHeldUpStartsGetTheWaitingRoomAtOnceAndStartLater) {
  ServerProcess server(Env{{"HOITHI_LIMITS_START_WAITING_ROOM_MS", "200"}});
  server.SeedDemo();
  server.Start();
  std::vector<Signed> early, late;
  for (int i = 0; i < 8; ++i) {
    early.push_back(NewParticipant(server));
    late.push_back(NewParticipant(server));
  }

  // Someone else holds the database's write lock (SQLite) or the attempts table (PostgreSQL).
  auto db = OpenDirect(server.data_dir());
  std::promise<void> locked, release;
  auto released = release.get_future().share();
  std::thread holder([&] {
    auto st = db->WriteAndWait([&](store::Connection& c) -> core::Status {
      if (c.backend() == store::Backend::kPostgres) {
        auto r = c.Exec("LOCK TABLE attempts IN SHARE ROW EXCLUSIVE MODE", {});
        if (!r) return std::move(r).error();
      }
      locked.set_value();
      released.wait();
      return core::Ok();
    });
    EXPECT_TRUE(st) << st.error().detail;
  });
  locked.get_future().wait();

  // The early ones find no backlog yet: their starts queue behind the held-up writes.
  std::thread early_pressing([&] {
    for (const auto& r : PressStart(early))
      EXPECT_TRUE(IsAnswer(r, 201));
  });
  // Once the queue has waited longer than the waiting room allows, the late ones are answered at
  // once, while the writes are still held up (within SQLite's 5-s busy timeout).
  std::this_thread::sleep_for(600ms);
  const auto t0 = std::chrono::steady_clock::now();
  const auto answers = PressStart(late);
  const auto took = std::chrono::steady_clock::now() - t0;
  // On the web, the waiting room is a page that presses Start again by itself.
  const auto page = late[0].http->Post("/thi", "", "application/x-www-form-urlencoded");
  release.set_value();
  early_pressing.join();
  holder.join();

  EXPECT_LT(took, 2s) << "the waiting room answers without waiting for the writes";
  EXPECT_EQ(page.status, 429);
  EXPECT_FALSE(page.Header("retry-after").empty());
  EXPECT_NE(page.body.find("Phòng chờ"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("data-waiting-room="), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("waiting_room.js"), std::string::npos) << page.body;
  for (std::size_t i = 0; i < late.size(); ++i) {
    const auto& r = answers[i];
    ASSERT_TRUE(IsAnswer(r, 429, "waiting_room")) << i;
    const auto retry = r.Header("retry-after");
    ASSERT_FALSE(retry.empty());
    EXPECT_GE(std::stoi(retry), 1);
    EXPECT_LE(std::stoi(retry), 30);
    EXPECT_NE(ErrorOf(r).value("message", "").find("phòng chờ"), std::string::npos) << r.body;
    // Their attempt had not started: with the backlog gone, the next press starts it.
    EXPECT_TRUE(IsAnswer(late[i].http->Post("/api/v1/attempts", ""), 201)) << i;
  }
  ExpectCleanStop(server);
}

}  // namespace
}  // namespace hoithi::testing
