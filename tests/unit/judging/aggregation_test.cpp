// The aggregation of the jury's totals against numbers worked by hand (the tables in each test),
// and the rubric's rules: points in hundredths, the checks naming the criterion at fault.
#include "judging/aggregation.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "contest/judging_rules.hpp"

namespace hoithi::judging {
namespace {

using contest::Aggregation;
using contest::UnitVideoScore;

constexpr std::int64_t kA = 1, kB = 2, kC = 3, kD = 4, kE = 5;  // judges
constexpr std::int64_t kV1 = 11, kV2 = 12, kV3 = 13;            // videos
constexpr std::int64_t kUnit1 = 101, kUnit2 = 102;

const VideoScore& Of(const std::vector<VideoScore>& scores, std::int64_t entry) {
  for (const auto& s : scores) {
    if (s.entry_id == entry) return s;
  }
  static const VideoScore none;
  ADD_FAILURE() << "no score for video " << entry;
  return none;
}

TEST(Aggregation, TheMeanOfTheJudgesTotals) {
  //        A      B     C     mean
  // V1    80     70    90     80
  // V2    60,5   70     –     65,25
  const std::vector<JudgeTotal> totals = {
      {kA, kV1, 80}, {kB, kV1, 70}, {kC, kV1, 90}, {kA, kV2, 60.5}, {kB, kV2, 70}};
  const auto scores = ScoreVideos(Aggregation::kMean, totals, {{kV1, kUnit1}, {kV2, kUnit2}}, 100);
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_EQ(scores[0].entry_id, kV1) << "best first";
  EXPECT_DOUBLE_EQ(Of(scores, kV1).score, 80);
  EXPECT_EQ(Of(scores, kV1).judges, 3);
  EXPECT_DOUBLE_EQ(Of(scores, kV2).score, 65.25);
  EXPECT_FALSE(Of(scores, kV1).trimmed);
}

TEST(Aggregation, TheTrimmedMeanDropsTheHighestAndLowestFromFiveJudgesOnly) {
  //        A    B    C    D    E     mean   trimmed mean
  // V1    50   70   80   90  100     78     (70+80+90)/3 = 80
  // V2    60   70   80  100    –     77,5   four judges: the mean, 77,5 (not 75)
  const std::vector<JudgeTotal> totals = {{kA, kV1, 50}, {kB, kV1, 70},  {kC, kV1, 80},
                                          {kD, kV1, 90}, {kE, kV1, 100}, {kA, kV2, 60},
                                          {kB, kV2, 70}, {kC, kV2, 80},  {kD, kV2, 100}};
  const std::map<std::int64_t, std::int64_t> units = {{kV1, kUnit1}, {kV2, kUnit2}};
  const auto trimmed = ScoreVideos(Aggregation::kTrimmedMean, totals, units, 100);
  EXPECT_DOUBLE_EQ(Of(trimmed, kV1).score, 80);
  EXPECT_TRUE(Of(trimmed, kV1).trimmed);
  EXPECT_EQ(Of(trimmed, kV1).judges, 5);
  EXPECT_DOUBLE_EQ(Of(trimmed, kV2).score, 77.5);
  EXPECT_FALSE(Of(trimmed, kV2).trimmed);
  const auto mean = ScoreVideos(Aggregation::kMean, totals, units, 100);
  EXPECT_DOUBLE_EQ(Of(mean, kV1).score, 78);
}

TEST(Aggregation, StandardisedScoresPutAStrictAndALenientJudgeOnOneScale) {
  // A (strict) scored V1 and V2, B (lenient) V2 and V3:
  //        A     B      z(A)  z(B)
  // V1    80      –     +1
  // V2    60     90     -1    +1
  // V3     –     70           -1
  // A: mean 70, sd 10; B: mean 80, sd 10. All four totals: M = 75, S = sqrt(125) = 11,1803...
  // Rescaled M + z S: V1 = 75 + S = 86,1803; V2 = ((75 - S) + (75 + S)) / 2 = 75; V3 = 75 - S.
  // (The plain mean would give V1 80 and V3 70: B's leniency would count.)
  const std::vector<JudgeTotal> totals = {
      {kA, kV1, 80}, {kA, kV2, 60}, {kB, kV2, 90}, {kB, kV3, 70}};
  const std::map<std::int64_t, std::int64_t> units = {{kV1, kUnit1}, {kV2, kUnit1}, {kV3, kUnit2}};
  const auto scores = ScoreVideos(Aggregation::kStandardised, totals, units, 100);
  const double s = std::sqrt(125.0);
  EXPECT_NEAR(Of(scores, kV1).score, 75 + s, 1e-9);
  EXPECT_NEAR(Of(scores, kV2).score, 75, 1e-9);
  EXPECT_NEAR(Of(scores, kV3).score, 75 - s, 1e-9);
  EXPECT_NEAR(Of(scores, kV1).score, 86.18, 0.005);

  // A unit's video score: unit 1 has V1 and V2, unit 2 has V3.
  //            best            mean
  // unit 1    86,1803 (V1)    (86,1803 + 75) / 2 = 80,5902
  // unit 2    63,8197 (V3)    63,8197
  const auto best = ScoreUnits(UnitVideoScore::kBest, scores);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_EQ(best[0].unit_id, kUnit1);
  EXPECT_NEAR(best[0].score, 75 + s, 1e-9);
  EXPECT_EQ(best[0].best_entry_id, kV1);
  EXPECT_EQ(best[0].videos, 2);
  EXPECT_NEAR(best[1].score, 75 - s, 1e-9);
  const auto mean = ScoreUnits(UnitVideoScore::kMean, scores);
  EXPECT_NEAR(mean[0].score, 75 + s / 2, 1e-9);
  EXPECT_NEAR(mean[0].score, 80.59, 0.005);
}

TEST(Aggregation, AJudgeWhoGaveEveryVideoTheSameTotalStandsAtTheMean) {
  // C gave 70 to both videos (sd 0: z = 0), so both stand at M = (70 + 70 + 90 + 50) / 4 = 70
  // for C; A's 90 and 50 are +1 and -1, S = sqrt(((20² + 20²) / 4)) = sqrt(200).
  const std::vector<JudgeTotal> totals = {
      {kC, kV1, 70}, {kC, kV2, 70}, {kA, kV1, 90}, {kA, kV2, 50}};
  const auto scores =
      ScoreVideos(Aggregation::kStandardised, totals, {{kV1, kUnit1}, {kV2, kUnit2}}, 100);
  EXPECT_NEAR(Of(scores, kV1).score, (70 + (70 + std::sqrt(200.0))) / 2, 1e-9);
  EXPECT_NEAR(Of(scores, kV2).score, (70 + (70 - std::sqrt(200.0))) / 2, 1e-9);
}

TEST(Aggregation, VideosNotBeingJudgedAreLeftOut) {
  const auto scores =
      ScoreVideos(Aggregation::kMean, {{kA, kV1, 80}, {kA, kV3, 90}}, {{kV1, kUnit1}}, 100);
  ASSERT_EQ(scores.size(), 1u);
  EXPECT_EQ(scores[0].entry_id, kV1);
}

// --- the rubric

TEST(JudgingRules, PointsAreHundredthsWrittenTheVietnameseWay) {
  EXPECT_EQ(contest::PointsFromNumber(7.5), 750);
  EXPECT_EQ(contest::PointsFromNumber(0.25), 25);
  EXPECT_EQ(contest::PointsFromNumber(20), 2000);
  EXPECT_EQ(contest::PointsFromNumber(7.505), std::nullopt);
  EXPECT_EQ(contest::PointsFromNumber(std::nan("")), std::nullopt);
  EXPECT_EQ(contest::FormatPoints(750), "7,5");
  EXPECT_EQ(contest::FormatPoints(2000), "20");
  EXPECT_EQ(contest::FormatPoints(25), "0,25");
  EXPECT_EQ(contest::FormatPoints(10005), "100,05");
}

TEST(JudgingRules, ARubricRoundTripsThroughItsJsonAndSums) {
  auto rules = contest::ParseJudgingRules(
      R"({"criteria":[{"key":"noi_dung","name":" Nội dung ","max":60},)"
      R"({"key":"sang_tao","name":"Sáng tạo","description":"Ý tưởng mới","max":40}],)"
      R"("step":0.5,"aggregation":"trimmed_mean","unit_score":"mean","blind":true,)"
      R"("assignment":"explicit"})");
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_TRUE(contest::ValidateJudgingRules(*rules));
  EXPECT_EQ(rules->criteria[0].name, "Nội dung") << "trimmed";
  EXPECT_EQ(rules->Total(), 10000);
  EXPECT_EQ(rules->aggregation, Aggregation::kTrimmedMean);
  EXPECT_EQ(rules->unit_score, UnitVideoScore::kMean);
  EXPECT_TRUE(rules->blind);
  auto again = contest::ParseJudgingRules(contest::JudgingRulesJson(*rules));
  ASSERT_TRUE(again);
  EXPECT_EQ(contest::JudgingRulesJson(*again), contest::JudgingRulesJson(*rules));
}

TEST(JudgingRules, EachBrokenRuleNamesTheCriterionAtFault) {
  const auto fault = [](const char* json) {
    auto rules = contest::ParseJudgingRules(json);
    if (!rules) return rules.error().field;
    auto st = contest::ValidateJudgingRules(*rules);
    return st ? std::string("ok") : st.error().field;
  };
  EXPECT_EQ(
      fault(R"({"criteria":[{"key":"a","name":"A","max":10},{"key":"b","name":"B","max":7.25}]})"),
      "criteria[1].max")
      << "off the 0,5 step";
  EXPECT_EQ(
      fault(R"({"criteria":[{"key":"a","name":"A","max":10},{"key":"a","name":"B","max":5}]})"),
      "criteria[1].key");
  EXPECT_EQ(fault(R"({"criteria":[{"key":"A B","name":"A","max":10}]})"), "criteria[0].key");
  EXPECT_EQ(fault(R"({"criteria":[{"key":"a","name":"","max":10}]})"), "criteria[0].name");
  EXPECT_EQ(fault(R"({"criteria":[{"key":"a","name":"A","max":0}]})"), "criteria[0].max");
  EXPECT_EQ(fault(R"({"criteria":[{"key":"a","name":"A","max":"mười"}]})"), "criteria[0].max");
  EXPECT_EQ(fault(R"({"criteria":[]})"), "criteria");
  EXPECT_EQ(fault(R"({"criteria":[{"key":"a","name":"A","max":10}],"aggregation":"median"})"),
            "aggregation");
  EXPECT_EQ(fault(R"({"criteria":[{"key":"a","name":"A","max":10}]})"), "ok");
}

}  // namespace
}  // namespace hoithi::judging
