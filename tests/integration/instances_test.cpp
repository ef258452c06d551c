// Two `hoithi serve` instances on one database, as behind a load balancer (the same SQLite file,
// or the same PostgreSQL database): what one instance changes (a session ended, a pause, a
// question withdrawn) the other honours within a poll of the change counters, not after its
// caches expire; a result submitted on one reaches the other's leaderboard and statistics; failed
// logins count once for both; deadline finalisation run by both at once counts each attempt
// exactly once.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"
#include "support/temp_dir.hpp"

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;

// Far below the 30 s a session stays cached and the 5 s of the old bank cache; far above the
// 250 ms poll of the change counters, so a loaded machine does not make the test flaky.
constexpr auto kWithinAPoll = 3s;

/// Calls `probe` until it returns true or `limit` passes; whether it did.
template <class F>
bool Eventually(F probe, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (probe()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

class Instances : public ::testing::Test {
 protected:
  void SetUp() override {
    a_.LogAs("a");
    b_.LogAs("b");
    a_.SeedDemo();
    a_.Start();
    b_.Start();
  }
  void TearDown() override {
    ExpectCleanStop(a_);
    ExpectCleanStop(b_);
  }

  TempDir dir_;
  ServerProcess a_{ClockControl(), dir_.str()};
  ServerProcess b_{ClockControl(), dir_.str()};
};

TEST_F(Instances, ASessionEndedOnOneInstanceStopsWorkingOnTheOther) {
  auto judge = SignIn(a_, "giamkhao");
  HttpClient on_b(b_.base_url());
  on_b.set_bearer(judge.token);
  // Served from B's cache from now on.
  ASSERT_TRUE(IsAnswer(on_b.Get("/api/v1/auth/session"), 200));
  ASSERT_TRUE(IsAnswer(on_b.Get("/api/v1/auth/session"), 200));
  ASSERT_TRUE(IsAnswer(judge.http->Post("/api/v1/auth/logout", "{}"), 204));
  EXPECT_TRUE(
      Eventually([&] { return on_b.Get("/api/v1/auth/session").status == 401; }, kWithinAPoll));
}

TEST_F(Instances, FailedLoginsOnBothInstancesCountTogether) {
  auto p = NewParticipant(a_);
  auto attempt = [&](ServerProcess& server, const std::string& password) {
    HttpClient c(server.base_url());
    return c.Post("/api/v1/auth/login", json{{"login", p.phone}, {"password", password}}.dump());
  };
  // Five failures lock the login (the default policy), here alternating between the instances:
  // three on A and two on B, so that neither alone saw five.
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(IsAnswer(attempt(i % 2 ? b_ : a_, "sai-mat-khau-" + std::to_string(i)), 401,
                         "invalid_credentials"));
  }
  EXPECT_TRUE(IsAnswer(attempt(a_, kStrongPassword), 429, "too_many_attempts"));
  EXPECT_TRUE(IsAnswer(attempt(b_, kStrongPassword), 429, "too_many_attempts"));
}

TEST_F(Instances, APauseSetOnOneInstanceStopsStartsOnTheOther) {
  auto p = NewParticipant(b_);
  // B has read the contest (and its rules) before the pause.
  ASSERT_TRUE(IsAnswer(p.http->Get("/api/v1/contest/rounds"), 200));
  SetRules(a_, {{"paused", true}});
  EXPECT_TRUE(Eventually(
      [&] { return ErrorOf(p.http->Post("/api/v1/attempts", "")).value("code", "") == "paused"; },
      kWithinAPoll));
  SetRules(a_, {{"paused", false}});
  EXPECT_TRUE(
      Eventually([&] { return p.http->Post("/api/v1/attempts", "").status == 201; }, kWithinAPoll));
}

TEST_F(Instances, AQuestionWithdrawnOnOneInstanceIsNeverDrawnOnTheOther) {
  SetRules(a_, {{"attempts_allowed", 0}});
  auto secretary = SignIn(a_, "thuky");
  const auto bank = Bank(a_);
  ASSERT_EQ(bank.size(), 60u);
  // B draws from the whole bank first, so it holds the bank in its cache.
  auto warm = NewParticipant(b_);
  const auto first = Start(*warm.http);
  ASSERT_TRUE(IsAnswer(Submit(*warm.http, first), 200));
  std::set<std::int64_t> withdrawn;
  for (const auto& [id, q] : bank) {
    if (withdrawn.size() == 50) break;
    ASSERT_TRUE(IsAnswer(
        Patch(*secretary.http, "/api/v1/questions/" + std::to_string(id), {{"active", false}}),
        204));
    withdrawn.insert(id);
  }
  std::this_thread::sleep_for(kWithinAPoll);
  for (int n = 0; n < 5; ++n) {
    auto p = NewParticipant(n % 2 ? a_ : b_);
    HttpClient on_b(b_.base_url());
    on_b.set_bearer(p.token);
    const auto attempt = Start(on_b);
    for (const auto id : QuestionIds(attempt)) {
      EXPECT_EQ(withdrawn.count(id), 0u)
          << "question " << id << " was withdrawn on the other instance";
    }
    ASSERT_TRUE(IsAnswer(Submit(on_b, attempt), 200));
  }
}

TEST_F(Instances, AResultSubmittedOnOneInstanceReachesTheOthersBoardRanksAndStatistics) {
  HttpClient on_b(b_.base_url());
  auto unit_on_b = [&] {
    const auto r = on_b.Get("/api/v1/stats/units");
    EXPECT_TRUE(IsAnswer(r, 200));
    const auto j = r.Json();
    for (const auto& u : j["units"]) {
      if (u.value("code", "") == "so-noi-vu") return u;
    }
    return json::object();
  };
  // B holds its standings before the submission.
  const auto before = unit_on_b();
  Leaderboard(on_b);
  auto p = NewParticipant(a_, "Đặng Văn Hai Nơi");
  const auto keys = Keys(a_);
  const auto attempt = Start(*p.http);
  const auto r = Submit(*p.http, attempt, AnswersFor(attempt, keys, 10, 0));
  ASSERT_TRUE(IsAnswer(r, 200));
  EXPECT_TRUE(Eventually([&] { return !EntryOf(Leaderboard(on_b), p).is_null(); }, kWithinAPoll));
  EXPECT_TRUE(Eventually(
      [&] {
        const auto now = unit_on_b();
        return now["participants"].get<int>() == before["participants"].get<int>() + 1 &&
               now["attempts"].get<int>() == before["attempts"].get<int>() + 1;
      },
      kWithinAPoll));
  HttpClient mine_on_b(b_.base_url());
  mine_on_b.set_bearer(p.token);
  EXPECT_EQ(Leaderboard(mine_on_b)["me"]["rank"], r.Json()["rank"]);
  EXPECT_EQ(Leaderboard(*p.http)["me"]["rank"], r.Json()["rank"]);
}

TEST_F(Instances, BothSweepDeadlinesAndEachAttemptIsFinalisedOnce) {
  constexpr int kParticipants = 16;
  std::vector<Signed> people;
  std::vector<json> attempts;
  for (int i = 0; i < kParticipants; ++i) {
    people.push_back(NewParticipant(i % 2 ? a_ : b_));
    attempts.push_back(Start(*people.back().http));
    ASSERT_TRUE(IsAnswer(SaveAnswers(*people.back().http, attempts.back(),
                                     json::array({{{"question_id", QuestionIds(attempts.back())[0]},
                                                   {"option_id", 0}}})),
                         204));
  }
  // Past every deadline and grace period on both instances: both sweepers race for the attempts.
  SetClock(a_, 3600);
  SetClock(b_, 3600);
  for (int i = 0; i < kParticipants; ++i) {
    EXPECT_TRUE(Eventually(
        [&] { return GetAttempt(*people[i].http, attempts[i]).value("status", "") == "expired"; },
        10s))
        << "attempt " << attempts[i]["attempt_id"];
  }
  // Each instance's board takes the other's results over with its next load (decision 0005).
  HttpClient anonymous(a_.base_url());
  json board;
  EXPECT_TRUE(Eventually(
      [&] {
        board = Leaderboard(anonymous);
        return board["entries"].size() == static_cast<std::size_t>(kParticipants);
      },
      kWithinAPoll))
      << board.dump();
  std::set<std::string> names;  // every participant once (each has a name of their own)
  for (const auto& e : board["entries"])
    names.insert(e.value("full_name", ""));
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kParticipants)) << board.dump();
  for (auto* server : {&a_, &b_}) {
    EXPECT_EQ(server->log().find("[error]"), std::string::npos) << server->log();
  }
}

}  // namespace
}  // namespace hoithi::testing
