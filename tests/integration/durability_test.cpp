// Crash durability through the real server: quiz load from several clients (registrations,
// logins, starts, autosaves, submits), SIGKILL at a random moment, restart on the same database;
// every write the server acknowledged before the kill is there, with what it answered. Runs on
// SQLite (synchronous=FULL) and, as pg.Durability.*, on PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;

/// What one client was told the server had stored.
struct Acked {
  std::string phone;           // registration answered 201
  std::string token;           // login answered 200 (the session is a write)
  json attempt;                // start answered 201
  json saved = json::array();  // the last autosave answered 204
  std::optional<json> result;  // submit answered 200
};

/// Answers for the first `n` questions: always the first option shown, so a later save (even
/// one never acknowledged) only adds to an earlier one and never changes it.
json FirstOptions(const json& attempt, std::size_t n) {
  json answers = json::array();
  for (std::size_t i = 0; i < n && i < attempt["questions"].size(); ++i) {
    const auto& q = attempt["questions"][i];
    answers.push_back({{"question_id", q["id"]}, {"option_id", q["options"][0]["id"]}});
  }
  return answers;
}

/// Plays participants one after another until the server stops answering.
void PlayUntilKilled(const std::string& base, std::vector<Acked>& out, std::mutex& mutex) {
  for (;;) {
    Acked a;
    HttpClient c(base);
    c.set_timeout(5s);
    a.phone = NewPhone();
    const auto reg = RegisterParticipant(c, a.phone, "Nguyễn Thị Ánh");
    auto keep = [&] {
      std::lock_guard lock(mutex);
      out.push_back(a);
    };
    if (reg.status != 201) return;  // killed (a new phone never conflicts)
    const auto login = c.Post("/api/v1/auth/login",
                              json{{"login", a.phone}, {"password", kStrongPassword}}.dump());
    if (login.status != 200) return keep();
    a.token = login.Json().value("token", "");
    c.set_bearer(a.token);
    const auto start = c.Post("/api/v1/attempts", "");
    if (start.status != 201) return keep();
    a.attempt = start.Json();
    for (std::size_t n : {3u, 6u}) {
      const auto answers = FirstOptions(a.attempt, n);
      if (SaveAnswers(c, a.attempt, answers).status != 204) return keep();
      a.saved = answers;
    }
    const auto submit = Submit(c, a.attempt, FirstOptions(a.attempt, 8));
    if (submit.status != 200) return keep();
    a.result = submit.Json();
    keep();
  }
}

void CheckAcknowledged(const ServerProcess& server, const Acked& a) {
  SCOPED_TRACE("participant " + a.phone);
  if (a.token.empty()) {
    // Only the registration was acknowledged: the account must exist and take its password.
    HttpClient c(server.base_url());
    EXPECT_TRUE(IsAnswer(c.Post("/api/v1/auth/login",
                                json{{"login", a.phone}, {"password", kStrongPassword}}.dump()),
                         200));
    return;
  }
  HttpClient c(server.base_url());
  c.set_bearer(a.token);
  EXPECT_TRUE(IsAnswer(c.Get("/api/v1/auth/session"), 200)) << "the session was lost";
  if (a.attempt.is_null()) return;
  const auto r = c.Get(AttemptPath(a.attempt));
  ASSERT_TRUE(IsAnswer(r, 200)) << "the attempt was lost";
  const auto now = r.Json();
  EXPECT_EQ(QuestionIds(now), QuestionIds(a.attempt)) << "the questions shown changed";
  const auto saved = SavedAnswers(now);
  for (const auto& answer : a.saved) {
    EXPECT_EQ(saved.at(answer["question_id"].get<std::int64_t>()), answer["option_id"])
        << "an acknowledged autosave was lost";
  }
  if (a.result) {
    EXPECT_EQ(now["status"], (*a.result)["status"]);
    EXPECT_EQ(now["correct"], (*a.result)["correct"]);
    EXPECT_EQ(now["duration_ms"], (*a.result)["duration_ms"]);
  }
}

TEST(Durability, EveryAcknowledgedWriteSurvivesAKillAtARandomMoment) {
  std::mt19937 random(std::random_device{}());
  TempDir dir;
  std::vector<Acked> acked;
  std::mutex mutex;
  {
    ServerProcess server({}, dir.str());
    server.SeedDemo();
    server.Start();
    std::vector<std::thread> clients;
    for (int i = 0; i < 8; ++i)
      clients.emplace_back([&] { PlayUntilKilled(server.base_url(), acked, mutex); });
    const auto kill_after =
        std::chrono::milliseconds(std::uniform_int_distribution<int>(1500, 3500)(random));
    std::this_thread::sleep_for(kill_after);
    server.Kill();
    for (auto& t : clients)
      t.join();
    std::cout << "killed after " << kill_after.count() << " ms, " << acked.size()
              << " participants with acknowledged writes\n";
  }
  int submitted = 0;
  for (const auto& a : acked)
    submitted += a.result ? 1 : 0;
  ASSERT_GT(submitted, 0) << "the load never got as far as a submit before the kill";

  ServerProcess again({}, dir.str());
  again.LogAs("after-kill");
  again.Start();
  for (const auto& a : acked)
    CheckAcknowledged(again, a);
  // The counted results include every acknowledged submit (and perhaps some answered too late).
  HttpClient anonymous(again.base_url());
  const auto board = Leaderboard(anonymous);
  ASSERT_FALSE(board.value("hidden", true)) << board.dump();
  EXPECT_GE(board.value("total", 0), submitted);
  ExpectCleanStop(again);
}

}  // namespace
}  // namespace hoithi::testing
