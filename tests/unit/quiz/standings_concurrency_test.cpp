// The standings read by several threads while results are written and recorded and the board is
// reloaded (concurrency_test; tsan.concurrency runs it under ThreadSanitizer): every read is whole
// (the total stays, ranks never go down the board), and once the writes stop and the board is
// reloaded, every rank is the rule's in SQL.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "quiz/ranking.hpp"
#include "quiz/standings.hpp"
#include "store/data_versions.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace hoithi::quiz {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kT0 = 1636934400000;
constexpr int kParticipants = 120;

core::Status PutResult(store::Connection& c, std::int64_t contest, const Standing& s) {
  auto r = c.Exec(
      "INSERT INTO quiz_results (contest_id, round_key, user_id, unit_id, attempt_id, correct,"
      " duration_ms, finished_at, attempts) VALUES ($1, 0, $2, NULL, $3, $4, $5, $6, $7)"
      " ON CONFLICT (contest_id, round_key, user_id) DO UPDATE SET correct = excluded.correct,"
      " duration_ms = excluded.duration_ms, finished_at = excluded.finished_at,"
      " attempts = excluded.attempts",
      {contest, s.user_id, s.user_id, s.correct, s.duration_ms, s.finished_ms, s.attempts});
  if (!r) return std::move(r).error();
  return core::Ok();
}

TEST(Concurrency, TheStandingsServeWholeBoardsWhileResultsChange) {
  testing::TempDir dir;
  store::DatabaseOptions o;
  o.url = testing::DatabaseUrlFor(dir.str(), "st.db");
  o.read_connections = 5;
  auto opened = store::Database::Open(o, nullptr);
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  auto& db = **opened;
  ASSERT_TRUE(db.Migrate().ok());
  std::int64_t contest = 0;
  std::vector<Standing> current;
  ASSERT_TRUE(db.WriteAndWait([&](store::Connection& c) -> core::Status {
    auto id = store::QueryInt(
        c,
        "INSERT INTO contests (slug, name, opens_at, closes_at, created_at, updated_at)"
        " VALUES ('dong-thoi', 'Hội thi', $1, $2, $1, $1) RETURNING id",
        {kT0, kT0 + 86400000});
    if (!id) return std::move(id).error();
    contest = id->value_or(0);
    for (int i = 0; i < kParticipants; ++i) {
      auto user = store::QueryInt(
          c,
          "INSERT INTO users (contest_id, login, password_hash, role, full_name, search_key,"
          " password_changed_at, created_at, updated_at) VALUES ($1, $2, '!', 'participant', $2,"
          " $2, $3, $3, $3) RETURNING id",
          {contest, "u" + std::to_string(i), kT0});
      if (!user) return std::move(user).error();
      // The attempt's id is the user's, so that results can name it without a lookup.
      auto attempt = c.Exec(
          "INSERT INTO attempts (id, contest_id, round_key, user_id, number, status, seed,"
          " started_at, deadline_at, cutoff_at, total) VALUES ($1, $2, 0, $1, 1, 'submitted', 1,"
          " $3, $3, $3, 10)",
          {user->value_or(0), contest, kT0});
      if (!attempt) return std::move(attempt).error();
      Standing s;
      s.user_id = user->value_or(0);
      s.correct = i % 6;
      s.duration_ms = 1000 * (i % 4);
      s.finished_ms = kT0 + i % 3;
      s.attempts = 1;
      HOITHI_TRY(PutResult(c, contest, s));
      current.push_back(s);
    }
    return core::Ok();
  }));

  store::DataVersions versions(db, 20ms);
  versions.Start();
  Standings standings(db, versions, Standings::Options{0ms});
  standings.Start();
  const contest::QuizRules rules;
  std::atomic<bool> stop{false};
  std::atomic<int> broken{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      while (!stop) {
        auto lease = db.Read();
        auto top = standings.Top(*lease, contest, 0, rules, 50, 5, std::nullopt);
        if (!top || top->total != kParticipants) ++broken;
        for (std::size_t i = 1; top && i < top->entries.size(); ++i) {
          if (top->entries[i].rank < top->entries[i - 1].rank) ++broken;
        }
        const auto& who = current[rng() % current.size()];
        auto rank = standings.RankOf(*lease, contest, 0, who.user_id, rules);
        if (!rank || *rank < 1 || *rank > kParticipants) ++broken;
        if (!standings.ActivityByUnit(*lease, contest, rules)) ++broken;
      }
    });
  }
  // One writer: each participant's result changes, committed, then recorded, as AttemptService
  // does; the counter moves with every commit and the board is reloaded meanwhile.
  std::mt19937 rng(7);
  std::vector<Standing> latest = current;
  const auto until = std::chrono::steady_clock::now() + 1500ms;
  while (std::chrono::steady_clock::now() < until) {
    auto& s = latest[rng() % latest.size()];
    Standing next = s;
    next.correct = static_cast<std::int32_t>(rng() % 11);
    next.duration_ms = static_cast<std::int64_t>(rng() % 5000);
    next.attempts = s.attempts + 1;
    const auto st = db.WriteAndWait(
        [&](store::Connection& c) -> core::Status { return PutResult(c, contest, next); });
    EXPECT_TRUE(st);
    if (!st) break;
    standings.Record(contest, 0, next);
    s = next;
  }
  stop = true;
  for (auto& r : readers)
    r.join();
  EXPECT_EQ(broken.load(), 0);
  standings.Stop();
  versions.Stop();
  versions.Refresh();
  auto lease = db.Read();
  for (const auto& s : latest) {
    EXPECT_EQ(*standings.RankOf(*lease, contest, 0, s.user_id, rules),
              *RankOf(*lease, contest, 0, s.user_id, rules))
        << "user " << s.user_id;
  }
  EXPECT_GT(standings.loads(), 1);
}

}  // namespace
}  // namespace hoithi::quiz
