// The collective ranking and the prize allocation against hand-worked tables: the rounding of
// each component, capped and missing headcounts, equal totals sharing a rank, and ties at every
// kind of prize boundary (inside one title, across two titles, past the last place, with a
// per-unit limit) with and without the committee's decision.
#include <gtest/gtest.h>

#include "contest/results_rules.hpp"
#include "results/prizes.hpp"
#include "results/unit_ranking.hpp"

namespace hoithi::results {
namespace {

using contest::Prize;
using contest::PrizeCategory;

TEST(UnitRanking, HandWorkedTable) {
  const contest::ResultsRules rules;  // 30 / 30 / 40
  const Scales scales{.questions_per_attempt = 10, .video_max = 100};
  const std::vector<UnitFacts> units = {
      // participation 15/20 = 75; quiz 120/150 = 80; video 82,5 → 0,3×75 + 0,3×80 + 0,4×82,5
      {.unit_id = 1,
       .headcount = 20,
       .participants = 15,
       .correct = 120,
       .videos = 1,
       .video_score = 82.5},
      // 100; 70; 90 → 30 + 21 + 36 = 87
      {.unit_id = 2,
       .headcount = 10,
       .participants = 10,
       .correct = 70,
       .videos = 2,
       .video_score = 90},
      // 2/3 = 66,67 (rounded half up); 13/20 = 65; no video → 20,001 + 19,5 = 39,501 → 39,50
      {.unit_id = 3, .headcount = 3, .participants = 2, .correct = 13},
      // no headcount: participation counts 0 and is flagged; quiz 100 → 30
      {.unit_id = 4, .participants = 5, .correct = 50},
      // headcount below the participants: capped at 100 and flagged → 30, tied with unit 4
      {.unit_id = 5, .headcount = 4, .participants = 6, .correct = 0},
  };
  const auto ranked = RankUnits(rules, scales, units);
  ASSERT_EQ(ranked.size(), 5u);
  struct Row {
    std::int64_t unit, rank;
    Score participation, quiz, video, total;
    bool problem;
  };
  const std::vector<Row> expected = {{2, 1, 10000, 7000, 9000, 8700, false},
                                     {1, 2, 7500, 8000, 8250, 7950, false},
                                     {3, 3, 6667, 6500, 0, 3950, false},
                                     {4, 4, 0, 10000, 0, 3000, true},
                                     {5, 4, 10000, 0, 0, 3000, true}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& e = expected[i];
    const auto& s = ranked[i];
    EXPECT_EQ(s.facts.unit_id, e.unit) << i;
    EXPECT_EQ(s.rank, e.rank) << i;
    EXPECT_EQ(s.participation, e.participation) << i;
    EXPECT_EQ(s.quiz, e.quiz) << i;
    EXPECT_EQ(s.video, e.video) << i;
    EXPECT_EQ(s.total, e.total) << i;
    EXPECT_EQ(s.headcount_problem, e.problem) << i;
  }
}

TEST(UnitRanking, WeightsChangeTheOrder) {
  const Scales scales{.questions_per_attempt = 10, .video_max = 100};
  const std::vector<UnitFacts> units = {
      {.unit_id = 1, .headcount = 10, .participants = 10, .correct = 50},  // 100, 50, 0
      {.unit_id = 2,
       .headcount = 10,
       .participants = 2,
       .correct = 20,
       .videos = 1,
       .video_score = 100},  // 20, 100, 100
  };
  auto ranked =
      RankUnits({.weight_participation = 100, .weight_quiz = 0, .weight_video = 0}, scales, units);
  EXPECT_EQ(ranked[0].facts.unit_id, 1);
  EXPECT_EQ(ranked[0].total, 10000);
  EXPECT_EQ(ranked[1].total, 2000);
  ranked =
      RankUnits({.weight_participation = 0, .weight_quiz = 50, .weight_video = 50}, scales, units);
  EXPECT_EQ(ranked[0].facts.unit_id, 2);
  EXPECT_EQ(ranked[0].total, 10000);
  EXPECT_EQ(ranked[1].total, 2500);
}

TEST(ResultsRules, WeightsMustSumToAHundred) {
  EXPECT_TRUE(contest::ValidateResultsRules({}));
  auto st = contest::ValidateResultsRules(
      {.weight_participation = 30, .weight_quiz = 30, .weight_video = 30});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "invalid_results_rules");
  EXPECT_NE(st.error().message.find("phải bằng 100 (hiện là 90)"), std::string::npos);
  st = contest::ValidateResultsRules(
      {.weight_participation = -10, .weight_quiz = 60, .weight_video = 50});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().field, "weight_participation");
  EXPECT_FALSE(contest::ParseResultsRules(R"({"weight_quiz": "30"})"));
  EXPECT_FALSE(contest::ParseResultsRules(R"({"weight_quiz": 30.5})"));
  const auto parsed =
      contest::ParseResultsRules(contest::ResultsRulesJson({.weight_participation = 20,
                                                            .weight_quiz = 20,
                                                            .weight_video = 60,
                                                            .video_prizes_per_unit = 2}));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->weight_video, 60);
  EXPECT_EQ(parsed->video_prizes_per_unit, 2);
}

const std::vector<Prize> kCollective = {
    {PrizeCategory::kCollective, 1, "Giải Nhất", 1, 10000000},
    {PrizeCategory::kCollective, 2, "Giải Nhì", 2, 7000000},
    {PrizeCategory::kCollective, 3, "Giải Ba", 3, 5000000},
    {PrizeCategory::kVideo, 1, "Giải video", 2, 500000},
};

/// (candidate, prize index) of each award.
std::vector<std::pair<std::int64_t, int>> Given(const Allocation& a) {
  std::vector<std::pair<std::int64_t, int>> out;
  for (const auto& w : a.awards)
    out.emplace_back(w.id, w.prize);
  return out;
}

TEST(Prizes, TiesInsideOneTitleShareItAndATiePastTheLastPlaceWaits) {
  // Ranks 1, 2, 2, 4, 5, 5, 5 for one first, two second and three third prizes.
  const std::vector<Candidate> c = {{10, 10, 1}, {11, 11, 2}, {12, 12, 2}, {13, 13, 4},
                                    {14, 14, 5}, {15, 15, 5}, {16, 16, 5}};
  auto a = AllocatePrizes(PrizeCategory::kCollective, kCollective, c, 0, {});
  EXPECT_EQ(Given(a),
            (std::vector<std::pair<std::int64_t, int>>{{10, 0}, {11, 1}, {12, 1}, {13, 2}}));
  ASSERT_EQ(a.ties.size(), 1u);
  EXPECT_EQ(a.ties[0].ids, (std::vector<std::int64_t>{14, 15, 16}));
  EXPECT_EQ(a.ties[0].prizes, (std::vector<int>{2, 2}));  // two third prizes for three units
  EXPECT_EQ(a.ties[0].rank, 5);
  EXPECT_TRUE(a.Undecided());

  // A decision about another group changes nothing.
  a = AllocatePrizes(PrizeCategory::kCollective, kCollective, c, 0,
                     {{PrizeCategory::kCollective, {14, 15}, "không khớp"},
                      {PrizeCategory::kVideo, {16, 14, 15}, "hạng mục khác"}});
  EXPECT_EQ(a.awards.size(), 4u);
  EXPECT_TRUE(a.Undecided());

  // The committee's order gives the two places.
  a = AllocatePrizes(PrizeCategory::kCollective, kCollective, c, 0,
                     {{PrizeCategory::kCollective, {16, 14, 15}, "Điểm video cao hơn"}});
  EXPECT_EQ(Given(a), (std::vector<std::pair<std::int64_t, int>>{
                          {10, 0}, {11, 1}, {12, 1}, {13, 2}, {16, 2}, {14, 2}}));
  EXPECT_TRUE(a.awards[4].by_decision);
  EXPECT_FALSE(a.awards[3].by_decision);
  EXPECT_FALSE(a.Undecided());
}

TEST(Prizes, ATieAcrossTwoTitlesWaitsAndTheNextStartsAfterIt) {
  // Two units tied first: one first prize and one second prize are at stake; the third unit
  // takes the second second prize whatever the committee decides.
  const std::vector<Candidate> c = {{1, 1, 1}, {2, 2, 1}, {3, 3, 3}};
  auto a = AllocatePrizes(PrizeCategory::kCollective, kCollective, c, 0, {});
  EXPECT_EQ(Given(a), (std::vector<std::pair<std::int64_t, int>>{{3, 1}}));
  ASSERT_EQ(a.ties.size(), 1u);
  EXPECT_EQ(a.ties[0].prizes, (std::vector<int>{0, 1}));
  a = AllocatePrizes(PrizeCategory::kCollective, kCollective, c, 0,
                     {{PrizeCategory::kCollective, {2, 1}, "Tỉ lệ tham gia cao hơn"}});
  EXPECT_EQ(Given(a), (std::vector<std::pair<std::int64_t, int>>{{2, 0}, {1, 1}, {3, 1}}));
  EXPECT_TRUE(a.ties[0].decided);
}

TEST(Prizes, NoTieWhenThePlacesEndBetweenTwoRanks) {
  const std::vector<Candidate> c = {{1, 1, 1}, {2, 2, 2}, {3, 3, 3}, {4, 4, 3}};
  const auto a = AllocatePrizes(PrizeCategory::kVideo, kCollective, c, 0, {});
  EXPECT_EQ(Given(a), (std::vector<std::pair<std::int64_t, int>>{{1, 3}, {2, 3}}));
  EXPECT_TRUE(a.ties.empty());
}

TEST(Prizes, OneVideoPrizePerUnitPassesOverAUnitsSecondVideo) {
  // Videos 100 and 101 are unit 1's; 102 and 103 (units 2 and 3) tie for the last place.
  const std::vector<Candidate> c = {{100, 1, 1}, {101, 1, 2}, {102, 2, 3}, {103, 3, 3}};
  auto a = AllocatePrizes(PrizeCategory::kVideo, kCollective, c, 1, {});
  EXPECT_EQ(Given(a), (std::vector<std::pair<std::int64_t, int>>{{100, 3}}));
  ASSERT_EQ(a.ties.size(), 1u);
  EXPECT_EQ(a.ties[0].ids, (std::vector<std::int64_t>{102, 103}));
  // Without the limit the unit's second video takes the second prize.
  a = AllocatePrizes(PrizeCategory::kVideo, kCollective, c, 0, {});
  EXPECT_EQ(Given(a), (std::vector<std::pair<std::int64_t, int>>{{100, 3}, {101, 3}}));
  EXPECT_TRUE(a.ties.empty());
  // Two tied videos of one unit count once: the other unit's video is not a tie with them.
  const std::vector<Candidate> same = {{200, 5, 1}, {201, 5, 1}, {202, 6, 3}};
  a = AllocatePrizes(PrizeCategory::kVideo, kCollective, same, 1, {});
  EXPECT_EQ(Given(a), (std::vector<std::pair<std::int64_t, int>>{{200, 3}, {202, 3}}));
  EXPECT_TRUE(a.ties.empty());
}

}  // namespace
}  // namespace hoithi::results
