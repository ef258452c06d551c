// The in-memory standings against the ranking rule in SQL (quiz::RankingOf, quiz::RankOf) on
// results full of ties, with and without the prediction tie-break and on a frozen board; this
// process's writes applied on top at once; another instance's writes after the counter moves.
#include "quiz/standings.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "contest/contest.hpp"
#include "quiz/ranking.hpp"
#include "store/data_versions.hpp"
#include "store/database.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace hoithi::quiz {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kT0 = 1636934400000;  // 2021-11-15 00:00 UTC
constexpr std::int64_t kAnswer = 500;

std::unique_ptr<store::Database> Open(const testing::TempDir& dir) {
  store::DatabaseOptions o;
  o.url = testing::DatabaseUrlFor(dir.str(), "s.db");
  o.read_connections = 2;
  o.write_connections = 1;
  auto db = store::Database::Open(o, nullptr);
  EXPECT_TRUE(db) << (db ? "" : db.error().detail);
  return std::move(*db);
}

contest::QuizRules Rules(bool prediction) {
  contest::QuizRules r;
  r.prediction.enabled = prediction;
  r.prediction.question = "Bao nhiêu?";
  if (prediction) r.prediction.answer = kAnswer;
  return r;
}

/// A contest with units and `n` participants, each with a finished attempt and a result whose
/// fields take few values, so that ties on every part of the rule are common.
class StandingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Open(dir_);
    ASSERT_TRUE(db_->Migrate());
    ASSERT_TRUE(db_->WriteAndWait([&](store::Connection& c) -> core::Status {
      contest::Contest ct;
      ct.slug = "xep-hang";
      ct.name = "Hội thi xếp hạng";
      ct.schedule.opens_at = core::FromEpochMs(kT0);
      ct.schedule.closes_at = core::FromEpochMs(kT0 + 86400000);
      auto id = contest::SaveContest(c, ct, core::FromEpochMs(kT0));
      if (!id) return std::move(id).error();
      contest_ = *id;
      for (int u = 0; u < 3; ++u) {
        auto unit = store::QueryInt(
            c,
            "INSERT INTO units (contest_id, code, name, unit_group, search_key, created_at,"
            " updated_at) VALUES ($1, $2, $2, 'so-nganh', $2, $3, $3) RETURNING id",
            {contest_, "don-vi-" + std::to_string(u), kT0});
        if (!unit) return std::move(unit).error();
        units_.push_back(unit->value_or(0));
      }
      return core::Ok();
    }));
  }

  /// A participant with a finished attempt; returns the user id.
  std::int64_t AddParticipant(store::Connection& c, std::int64_t unit) {
    const auto n = users_.size();
    auto user = store::QueryInt(
        c,
        "INSERT INTO users (contest_id, login, password_hash, role, unit_id, full_name,"
        " search_key, password_changed_at, created_at, updated_at) VALUES ($1, $2, '!',"
        " 'participant', $3, $2, $2, $4, $4, $4) RETURNING id",
        {contest_, "thi-sinh-" + std::to_string(n), unit, kT0});
    EXPECT_TRUE(user);
    const auto id = user->value_or(0);
    auto attempt = store::QueryInt(
        c,
        "INSERT INTO attempts (contest_id, round_key, user_id, unit_id, number, status, seed,"
        " started_at, deadline_at, cutoff_at, finished_at, correct, total, duration_ms)"
        " VALUES ($1, 0, $2, $3, 1, 'submitted', 1, $4, $4, $4, $4, 0, 10, 0) RETURNING id",
        {contest_, id, unit, kT0});
    EXPECT_TRUE(attempt);
    users_.push_back(id);
    attempt_of_[id] = attempt->value_or(0);
    return id;
  }

  /// Writes the participant's counted result (round 0) as a finalisation would.
  static core::Status PutResult(store::Connection& c, std::int64_t contest, std::int64_t attempt,
                                const Standing& s) {
    auto r = c.Exec(
        "INSERT INTO quiz_results (contest_id, round_key, user_id, unit_id, attempt_id, correct,"
        " duration_ms, finished_at, prediction, attempts) VALUES ($1, 0, $2, $3, $4, $5, $6, $7,"
        " $8, $9) ON CONFLICT (contest_id, round_key, user_id) DO UPDATE SET"
        " unit_id = excluded.unit_id, correct = excluded.correct,"
        " duration_ms = excluded.duration_ms, finished_at = excluded.finished_at,"
        " prediction = excluded.prediction, attempts = excluded.attempts",
        {contest, s.user_id, s.unit_id == 0 ? std::optional<std::int64_t>() : s.unit_id, attempt,
         s.correct, s.duration_ms, s.finished_ms,
         s.prediction == Standing::kNoPrediction ? std::optional<std::int64_t>() : s.prediction,
         s.attempts});
    if (!r) return std::move(r).error();
    return core::Ok();
  }

  void Populate(int n) {
    ASSERT_TRUE(db_->WriteAndWait([&](store::Connection& c) -> core::Status {
      for (int i = 0; i < n; ++i) {
        Standing s;
        s.unit_id = i % 7 == 6 ? 0 : units_[static_cast<std::size_t>(i % 3)];
        s.user_id = AddParticipant(c, units_[static_cast<std::size_t>(i % 3)]);
        s.correct = (i * 7) % 5;
        s.duration_ms = 1000 * (1 + (i * 11) % 3);
        s.finished_ms = kT0 + (i * 13) % 3;
        const int guess = (i * 17) % 6;
        s.prediction =
            guess == 0 ? Standing::kNoPrediction : kAnswer + (guess % 2 ? 1 : -1) * guess;
        s.attempts = 1 + i % 3;
        HOITHI_TRY(PutResult(c, contest_, attempt_of_[s.user_id], s));
      }
      return core::Ok();
    }));
  }

  /// Every answer of `standings` equals the rule in SQL.
  void ExpectSameAsSql(Standings& standings, const contest::QuizRules& rules) {
    auto lease = db_->Read();
    for (const auto user : users_) {
      auto sql = RankOf(*lease, contest_, 0, user, rules);
      auto mem = standings.RankOf(*lease, contest_, 0, user, rules);
      ASSERT_TRUE(sql && mem);
      EXPECT_EQ(*mem, *sql) << "user " << user;
    }
    for (const auto& as_of :
         {std::optional<core::TimePoint>(), std::optional(core::FromEpochMs(kT0 + 1))}) {
      for (const auto& [limit, prizes] :
           std::vector<std::pair<int, int>>{{50, 7}, {5, 20}, {3, 0}}) {
        auto sql = RankingOf(*lease, contest_, 0, rules, limit, prizes, as_of);
        auto mem = standings.Top(*lease, contest_, 0, rules, limit, prizes, as_of);
        ASSERT_TRUE(sql && mem);
        EXPECT_EQ(mem->total, sql->total);
        auto ids = [](const std::vector<RankedEntry>& v) {
          std::vector<std::pair<std::int64_t, std::int64_t>> out;
          for (const auto& e : v)
            out.emplace_back(e.user_id, e.rank);
          return out;
        };
        EXPECT_EQ(ids(mem->entries), ids(sql->entries)) << limit << " " << prizes;
        EXPECT_EQ(ids(mem->tied_beyond_prizes), ids(sql->tied_beyond_prizes))
            << limit << " " << prizes;
      }
    }
    std::map<std::int64_t, UnitActivity> sql;
    ASSERT_TRUE(
        lease->Query("SELECT unit_id, COUNT(*), SUM(attempts), SUM(correct) FROM quiz_results "
                     "WHERE contest_id = $1 AND"
                     " round_key = 0 AND unit_id IS NOT NULL GROUP BY unit_id",
                     {contest_}, [&](const store::Row& r) {
                       sql[r.Int(0)] = UnitActivity{r.Int(1), r.Int(2), r.Int(3)};
                     }));
    auto mem = standings.ActivityByUnit(*lease, contest_, rules);
    ASSERT_TRUE(mem);
    for (const auto& [unit, a] : sql) {
      EXPECT_EQ((*mem)[unit].participants, a.participants) << "unit " << unit;
      EXPECT_EQ((*mem)[unit].attempts, a.attempts) << "unit " << unit;
      EXPECT_EQ((*mem)[unit].correct, a.correct) << "unit " << unit;
    }
  }

  std::int64_t ResultsCounter() {
    auto lease = db_->Read();
    return store::QueryInt(*lease, "SELECT version FROM data_versions WHERE name = 'results'")
        ->value_or(-1);
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::int64_t contest_ = 0;
  std::vector<std::int64_t> units_;
  std::vector<std::int64_t> users_;
  std::map<std::int64_t, std::int64_t> attempt_of_;
};

TEST_F(StandingsTest, RanksTheFirstPlacesAndUnitsExactlyAsTheRuleInSqlWithTies) {
  Populate(240);
  store::DataVersions versions(*db_);
  Standings standings(*db_, versions);
  ExpectSameAsSql(standings, Rules(false));
  ExpectSameAsSql(standings, Rules(true));  // another answer: loaded again, in another order
  EXPECT_EQ(standings.loads(), 2);
}

TEST_F(StandingsTest, TheRuleInCppInSqlAndInMemoryAgreeOnRandomResults) {
  // The rule is written once (RankKey); CompareByRule, the ORDER BY of RankingOf and the
  // standings' board are made from it. Random results, with ties on every key at random too.
  std::mt19937_64 rng(20211015);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  std::vector<Standing> written;
  ASSERT_TRUE(db_->WriteAndWait([&](store::Connection& c) -> core::Status {
    for (int i = 0; i < 400; ++i) {
      Standing s;
      s.unit_id = units_[static_cast<std::size_t>(pick(3))];
      s.user_id = AddParticipant(c, s.unit_id);
      s.correct = pick(11);
      s.duration_ms = 1000 * (1 + pick(4)) + (pick(3) == 0 ? pick(1000) : 0);
      s.finished_ms = kT0 + pick(5);
      s.prediction = pick(4) == 0 ? Standing::kNoPrediction : kAnswer - 20 + pick(41);
      s.attempts = 1;
      HOITHI_TRY(PutResult(c, contest_, attempt_of_[s.user_id], s));
      written.push_back(s);
    }
    return core::Ok();
  }));
  for (const bool prediction : {false, true}) {
    const auto rules = Rules(prediction);
    // C++: the entries sorted by CompareByRule (user id among equals), ranks from it.
    std::vector<RankedEntry> cpp;
    for (const auto& s : written) {
      RankedEntry e;
      e.user_id = s.user_id;
      e.correct = s.correct;
      e.duration_ms = s.duration_ms;
      e.finished_at = core::FromEpochMs(s.finished_ms);
      if (s.prediction != Standing::kNoPrediction) e.prediction = s.prediction;
      cpp.push_back(e);
    }
    std::sort(cpp.begin(), cpp.end(), [&](const RankedEntry& a, const RankedEntry& b) {
      const int c = CompareByRule(a, b, rules);
      return c != 0 ? c < 0 : a.user_id < b.user_id;
    });
    for (std::size_t i = 0; i < cpp.size(); ++i) {
      cpp[i].rank = i > 0 && CompareByRule(cpp[i], cpp[i - 1], rules) == 0
                        ? cpp[i - 1].rank
                        : static_cast<std::int64_t>(i) + 1;
    }
    auto ids = [](const std::vector<RankedEntry>& v) {
      std::vector<std::pair<std::int64_t, std::int64_t>> out;
      for (const auto& e : v)
        out.emplace_back(e.user_id, e.rank);
      return out;
    };
    store::DataVersions versions(*db_);
    Standings standings(*db_, versions);
    auto lease = db_->Read();
    const int n = static_cast<int>(written.size());
    auto sql = RankingOf(*lease, contest_, 0, rules, n, 0, std::nullopt);
    auto mem = standings.Top(*lease, contest_, 0, rules, n, 0, std::nullopt);
    ASSERT_TRUE(sql && mem);
    EXPECT_EQ(ids(sql->entries), ids(cpp)) << "SQL against C++, prediction " << prediction;
    EXPECT_EQ(ids(mem->entries), ids(cpp)) << "standings against C++, prediction " << prediction;
    // The ties are real: the random results share ranks.
    std::set<std::int64_t> ranks;
    for (const auto& e : cpp)
      ranks.insert(e.rank);
    EXPECT_LT(ranks.size(), cpp.size());
  }
}

TEST_F(StandingsTest, APreloadedBoardIsNotLoadedAgainByTheFirstReadsOrASecondPreload) {
  Populate(30);
  store::DataVersions versions(*db_);
  Standings standings(*db_, versions);
  auto lease = db_->Read();
  const auto contest = contest::FindContestById(*lease, contest_);
  ASSERT_TRUE(contest && *contest);
  const auto* rules = &(*contest)->quiz_rules();
  ASSERT_TRUE(standings.Preload(*lease, **contest));
  EXPECT_EQ(standings.loads(), 1) << "a contest without rounds: its one board";
  const auto rank = standings.RankOf(*lease, contest_, 0, users_[0], *rules);
  ASSERT_TRUE(rank);
  EXPECT_EQ(*rank, *RankOf(*lease, contest_, 0, users_[0], *rules));
  ASSERT_TRUE(standings.Top(*lease, contest_, 0, *rules, 10, 0, std::nullopt));
  ASSERT_TRUE(standings.Preload(*lease, **contest));
  EXPECT_EQ(standings.loads(), 1);
}

TEST_F(StandingsTest, ThisProcessWritesShowAtOnceAndTheNextLoadTakesThemOver) {
  Populate(60);
  store::DataVersions versions(*db_);
  Standings standings(*db_, versions);
  const auto rules = Rules(false);
  auto lease = db_->Read();
  const auto before = standings.Top(*lease, contest_, 0, rules, 10, 0, std::nullopt);
  ASSERT_TRUE(before);
  const auto units_before = *standings.ActivityByUnit(*lease, contest_, rules);

  // A participant of unit 0 improves to the best result, and moves to unit 2 meanwhile.
  const auto improver = users_[30];
  Standing best;
  best.user_id = improver;
  best.unit_id = units_[2];
  best.correct = 10;
  best.duration_ms = 500;
  best.finished_ms = kT0 + 5;
  best.attempts = 7;
  standings.Record(contest_, 0, best);
  EXPECT_EQ(*standings.RankOf(*lease, contest_, 0, improver, rules), 1);
  auto top = standings.Top(*lease, contest_, 0, rules, 10, 0, std::nullopt);
  ASSERT_TRUE(top);
  EXPECT_EQ(top->entries.front().user_id, improver);
  EXPECT_EQ(top->total, before->total);
  auto units = *standings.ActivityByUnit(*lease, contest_, rules);
  EXPECT_EQ(units[units_[2]].participants, units_before.at(units_[2]).participants + 1);
  EXPECT_EQ(units[units_[2]].attempts, units_before.at(units_[2]).attempts + 7);
  EXPECT_EQ(units[units_[0]].participants, units_before.at(units_[0]).participants - 1);

  // An older write of the same participant arriving late changes nothing.
  Standing older = best;
  older.correct = 0;
  older.attempts = 6;
  standings.Record(contest_, 0, older);
  EXPECT_EQ(*standings.RankOf(*lease, contest_, 0, improver, rules), 1);

  // A participant without a result yet gets one: the total grows.
  std::int64_t newcomer = 0;
  ASSERT_TRUE(db_->WriteAndWait([&](store::Connection& c) -> core::Status {
    newcomer = AddParticipant(c, units_[1]);
    return core::Ok();
  }));
  Standing first;
  first.user_id = newcomer;
  first.unit_id = units_[1];
  first.correct = 10;
  first.duration_ms = 400;
  first.finished_ms = kT0 + 6;
  first.attempts = 1;
  standings.Record(contest_, 0, first);
  EXPECT_EQ(*standings.RankOf(*lease, contest_, 0, newcomer, rules), 1);
  EXPECT_EQ(*standings.RankOf(*lease, contest_, 0, improver, rules), 2);
  EXPECT_EQ(standings.Top(*lease, contest_, 0, rules, 10, 0, std::nullopt)->total,
            before->total + 1);

  // The same results committed: once the counter moves, the next read loads them, and every
  // answer stays the same, now from the board alone.
  const auto loads = standings.loads();
  const auto counter = ResultsCounter();
  ASSERT_TRUE(db_->WriteAndWait([&](store::Connection& c) -> core::Status {
    HOITHI_TRY(PutResult(c, contest_, attempt_of_[improver], best));
    return PutResult(c, contest_, attempt_of_[newcomer], first);
  }));
  EXPECT_GT(ResultsCounter(), counter);
  versions.Refresh();
  EXPECT_EQ(*standings.RankOf(*lease, contest_, 0, improver, rules), 2);
  EXPECT_EQ(standings.loads(), loads + 1);
  ExpectSameAsSql(standings, rules);
}

TEST_F(StandingsTest, AResultWrittenByAnotherInstanceAppearsOnceTheCounterMoves) {
  Populate(40);
  const auto rules = Rules(true);
  // This instance has its board; the other writes through its own connections.
  store::DataVersions versions(*db_);
  versions.Start();
  Standings standings(*db_, versions, Standings::Options{0ms});
  standings.Start();
  const auto target = users_[5];
  {
    auto lease = db_->Read();
    ASSERT_GT(*standings.RankOf(*lease, contest_, 0, target, rules), 1);
  }
  auto other = Open(dir_);
  const auto counter = ResultsCounter();
  ASSERT_TRUE(other->WriteAndWait([&](store::Connection& c) -> core::Status {
    Standing s;
    s.user_id = target;
    s.unit_id = units_[0];
    s.correct = 10;
    s.duration_ms = 1;
    s.finished_ms = kT0;
    s.prediction = kAnswer;
    s.attempts = 9;
    return PutResult(c, contest_, attempt_of_[target], s);
  }));
  // One change counted once per transaction on PostgreSQL, once per row on SQLite.
  EXPECT_GT(ResultsCounter(), counter);
  // The background thread loads it again; readers meanwhile get the board they had.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  std::int64_t rank = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    auto lease = db_->Read();
    rank = *standings.RankOf(*lease, contest_, 0, target, rules);
    if (rank == 1) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(rank, 1);
  standings.Stop();
  versions.Stop();
  ExpectSameAsSql(standings, rules);
}

TEST_F(StandingsTest, AFailedWriteLeavesTheCounterAndTheBoardAsTheyWere) {
  Populate(10);
  const auto counter = ResultsCounter();
  const auto st = db_->WriteAndWait([&](store::Connection& c) -> core::Status {
    Standing s;
    s.user_id = users_[0];
    s.correct = 10;
    s.attempts = 5;
    HOITHI_TRY(PutResult(c, contest_, attempt_of_[users_[0]], s));
    return core::MakeError(core::ErrorKind::kConflict, "test", "Thử lỗi.");
  });
  EXPECT_FALSE(st);
  EXPECT_EQ(ResultsCounter(), counter);
}

}  // namespace
}  // namespace hoithi::quiz
