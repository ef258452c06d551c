// The draw of an attempt's questions (quiz::Draw): deterministic for a seed, distinct questions,
// exactly the count asked for, quotas taken from their topics, options permuted, and fair: over
// many seeded draws every question (and every question of a quota's topic) is equally likely, by
// a chi-square test at p = 0.001.
#include "quiz/draw.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <vector>

namespace hoithi::quiz {
namespace {

constexpr int kTopics = 6;
constexpr int kPerTopic = 10;
constexpr int kBankSize = kTopics * kPerTopic;  // 60

// Upper 0.1% points of the chi-square distribution (computed from the regularised incomplete
// gamma function; cf. any table: df 60 -> 99.607). Note: 95.75 is the point for p ~ 0.0018 at
// df 59, slightly stricter than p = 0.001.
constexpr double kChi2Df9 = 27.877;
constexpr double kChi2Df23 = 49.728;
constexpr double kChi2Df49 = 85.351;
constexpr double kChi2Df59 = 98.324;

std::string TopicOf(int i) {
  return "topic-" + std::to_string(i / kPerTopic);
}

/// 60 questions in 6 topics of 10, 4 options each. Ids are not bank indexes (1001, 1004, ...)
/// and versions vary, so that a mix-up between index, id and version shows.
ActiveBank MakeBank() {
  ActiveBank bank;
  for (int i = 0; i < kBankSize; ++i) {
    auto q = std::make_shared<QuestionVersion>();
    q->question_id = 1001 + 3 * i;
    q->version = 1 + i % 3;
    q->topic = TopicOf(i);
    q->text = "Câu hỏi số " + std::to_string(i + 1) + "?";
    q->options = {"Phương án A", "Phương án B", "Phương án C", "Phương án D"};
    q->correct = i % 4;
    q->source = "Nguồn";
    bank.questions.push_back(std::move(q));
  }
  return bank;
}

/// Bank index of a question id (MakeBank's numbering).
int IndexOf(std::int64_t question_id) {
  return static_cast<int>((question_id - 1001) / 3);
}

std::vector<DrawnItem> MustDraw(const ActiveBank& bank, const DrawRules& rules,
                                std::uint64_t seed) {
  auto r = Draw(bank, rules, seed);
  if (!r.ok()) {
    ADD_FAILURE() << "seed " << seed << ": " << r.error().code << " " << r.error().message;
    return {};
  }
  return std::move(r).value();
}

/// Pearson's statistic of `observed` counts against equal expectations (their mean).
double Pearson(const std::vector<long>& observed) {
  const double total = std::accumulate(observed.begin(), observed.end(), 0.0);
  const double expected = total / static_cast<double>(observed.size());
  double chi2 = 0;
  for (const auto o : observed)
    chi2 += (static_cast<double>(o) - expected) * (static_cast<double>(o) - expected) / expected;
  return chi2;
}

bool IsPermutation(const std::vector<int>& order, int n) {
  std::vector<int> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> identity(static_cast<std::size_t>(n));
  std::iota(identity.begin(), identity.end(), 0);
  return sorted == identity;
}

// ---------------------------------------------------------------------------------------------

TEST(Draw, TheSameSeedGivesTheSameDraw) {
  const auto bank = MakeBank();
  const DrawRules rules;
  for (std::uint64_t seed : {0ULL, 1ULL, 42ULL, 0x7fffffffffffffffULL}) {
    const auto a = MustDraw(bank, rules, seed);
    const auto b = MustDraw(bank, rules, seed);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].question_id, b[i].question_id) << "seed " << seed << " position " << i;
      EXPECT_EQ(a[i].version, b[i].version);
      EXPECT_EQ(a[i].option_order, b[i].option_order);
    }
  }
}

TEST(Draw, DifferentSeedsGiveDifferentDraws) {
  const auto bank = MakeBank();
  std::set<std::vector<std::int64_t>> seen;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    std::vector<std::int64_t> ids;
    for (const auto& item : MustDraw(bank, DrawRules{}, seed))
      ids.push_back(item.question_id);
    seen.insert(ids);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(Draw, ADrawHasExactlyTheCountOfDistinctQuestionsOfTheBankAtTheirVersions) {
  const auto bank = MakeBank();
  for (int count : {1, 10, 37, kBankSize}) {
    DrawRules rules;
    rules.count = count;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
      const auto items = MustDraw(bank, rules, seed);
      ASSERT_EQ(items.size(), static_cast<std::size_t>(count)) << "seed " << seed;
      std::set<std::int64_t> ids;
      for (const auto& item : items) {
        const int index = IndexOf(item.question_id);
        ASSERT_TRUE(index >= 0 && index < kBankSize) << item.question_id;
        EXPECT_EQ(bank.questions[static_cast<std::size_t>(index)]->question_id, item.question_id);
        EXPECT_EQ(item.version, bank.questions[static_cast<std::size_t>(index)]->version);
        ids.insert(item.question_id);
      }
      EXPECT_EQ(ids.size(), items.size()) << "a question repeated, seed " << seed;
    }
  }
}

TEST(Draw, EachQuotaIsTakenFromItsTopic) {
  const auto bank = MakeBank();
  DrawRules rules;
  rules.count = 10;
  rules.quotas = {{"topic-2", 3}, {"topic-4", 2}, {"topic-5", 0}};
  for (std::uint64_t seed = 1; seed <= 500; ++seed) {
    const auto items = MustDraw(bank, rules, seed);
    ASSERT_EQ(items.size(), 10u);
    std::map<std::string, int> per_topic;
    std::set<std::int64_t> ids;
    for (const auto& item : items) {
      ++per_topic[TopicOf(IndexOf(item.question_id))];
      ids.insert(item.question_id);
    }
    EXPECT_EQ(ids.size(), 10u) << "seed " << seed;
    EXPECT_GE(per_topic["topic-2"], 3) << "seed " << seed;
    EXPECT_GE(per_topic["topic-4"], 2) << "seed " << seed;
  }
}

TEST(Draw, QuotasFillingTheWholeCountDrawOnlyFromTheirTopics) {
  const auto bank = MakeBank();
  DrawRules rules;
  rules.count = 10;
  rules.quotas = {{"topic-0", 4}, {"topic-3", 6}};
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    std::map<std::string, int> per_topic;
    for (const auto& item : MustDraw(bank, rules, seed))
      ++per_topic[TopicOf(IndexOf(item.question_id))];
    EXPECT_EQ(per_topic["topic-0"], 4) << "seed " << seed;
    EXPECT_EQ(per_topic["topic-3"], 6) << "seed " << seed;
    EXPECT_EQ(per_topic.size(), 2u) << "seed " << seed;
  }
}

TEST(Draw, AQuotaLargerThanItsTopicIsBankTooSmall) {
  const auto bank = MakeBank();
  DrawRules rules;
  rules.quotas = {{"topic-1", kPerTopic + 1}};
  rules.count = kPerTopic + 1;
  const auto r = Draw(bank, rules, 7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "bank_too_small");
  EXPECT_EQ(r.error().kind, core::ErrorKind::kConflict);
  EXPECT_FALSE(r.error().message.empty());
}

TEST(Draw, AQuotaOnATopicTheBankDoesNotHaveIsBankTooSmall) {
  const auto bank = MakeBank();
  DrawRules rules;
  rules.quotas = {{"khong-co-chu-de-nay", 1}};
  const auto r = Draw(bank, rules, 7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "bank_too_small");
}

TEST(Draw, ACountLargerThanTheBankIsBankTooSmall) {
  const auto bank = MakeBank();
  DrawRules rules;
  rules.count = kBankSize + 1;
  const auto r = Draw(bank, rules, 7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "bank_too_small");

  const auto empty = Draw(ActiveBank{}, DrawRules{}, 7);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "bank_too_small");
}

TEST(Draw, OptionOrdersArePermutationsOfTheOptions) {
  auto bank = MakeBank();
  // One question with two options and one with five: the order follows each question's size.
  auto two = std::make_shared<QuestionVersion>(*bank.questions[0]);
  two->options = {"Đúng", "Sai"};
  auto five = std::make_shared<QuestionVersion>(*bank.questions[1]);
  five->options = {"A", "B", "C", "D", "E"};
  bank.questions[0] = two;
  bank.questions[1] = five;
  DrawRules rules;
  rules.count = kBankSize;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    for (const auto& item : MustDraw(bank, rules, seed)) {
      const auto n = static_cast<int>(
          bank.questions[static_cast<std::size_t>(IndexOf(item.question_id))]->options.size());
      EXPECT_TRUE(IsPermutation(item.option_order, n))
          << "question " << item.question_id << " seed " << seed;
    }
  }
}

TEST(Draw, UnshuffledOptionsKeepTheirAuthoringOrder) {
  const auto bank = MakeBank();
  DrawRules rules;
  rules.shuffle_options = false;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    for (const auto& item : MustDraw(bank, rules, seed))
      EXPECT_EQ(item.option_order, (std::vector<int>{0, 1, 2, 3})) << "seed " << seed;
  }
}

TEST(Draw, UnshuffledQuestionsKeepBankOrderEvenWithQuotas) {
  const auto bank = MakeBank();
  for (bool with_quota : {false, true}) {
    DrawRules rules;
    rules.shuffle_questions = false;
    if (with_quota) rules.quotas = {{"topic-5", 3}};
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
      std::vector<int> indexes;
      for (const auto& item : MustDraw(bank, rules, seed))
        indexes.push_back(IndexOf(item.question_id));
      EXPECT_TRUE(std::is_sorted(indexes.begin(), indexes.end()))
          << "seed " << seed << (with_quota ? " with a quota" : "");
    }
  }
}

TEST(Draw, ShuffledQuestionsComeInAnyOrderAndEachQuestionIsEquallyLikelyFirst) {
  const auto bank = MakeBank();
  DrawRules rules;
  rules.quotas = {{"topic-0", 3}};  // quota questions must not cluster at the front
  constexpr int kDraws = 30000;
  std::vector<long> first(kBankSize, 0);
  int sorted = 0, quota_topic_first = 0;
  for (std::uint64_t seed = 1; seed <= kDraws; ++seed) {
    const auto items = MustDraw(bank, rules, seed);
    ASSERT_EQ(items.size(), 10u);
    std::vector<int> indexes;
    for (const auto& item : items)
      indexes.push_back(IndexOf(item.question_id));
    if (std::is_sorted(indexes.begin(), indexes.end())) ++sorted;
    ++first[static_cast<std::size_t>(indexes[0])];
    if (TopicOf(indexes[0]) == "topic-0") ++quota_topic_first;
  }
  // 10 items in bank order by chance: 1 in 10! per draw.
  EXPECT_LE(sorted, 2);
  // The first position is a uniform pick among the drawn 10, so a topic-0 question comes first
  // with probability E[#topic-0 drawn] / 10 (> 0.3), not 1 (quota items first).
  EXPECT_LT(quota_topic_first, kDraws * 6 / 10);
  // Without the quota every question is equally likely first: one count per draw, df 59.
  std::vector<long> plain_first(kBankSize, 0);
  for (std::uint64_t seed = 1; seed <= kDraws; ++seed) {
    const auto items = MustDraw(bank, DrawRules{}, seed);
    ++plain_first[static_cast<std::size_t>(IndexOf(items[0].question_id))];
  }
  EXPECT_LT(Pearson(plain_first), kChi2Df59);
}

TEST(Draw, EveryOrderOfTheOptionsIsEquallyLikely) {
  const auto bank = MakeBank();
  constexpr int kDraws = 20000;  // 200,000 orders over 24 permutations
  std::map<std::vector<int>, long> seen;
  for (std::uint64_t seed = 1; seed <= kDraws; ++seed) {
    for (const auto& item : MustDraw(bank, DrawRules{}, seed))
      ++seen[item.option_order];
  }
  ASSERT_EQ(seen.size(), 24u);
  std::vector<long> counts;
  for (const auto& [order, n] : seen)
    counts.push_back(n);
  const double chi2 = Pearson(counts);
  EXPECT_LT(chi2, kChi2Df23) << "chi-square " << chi2 << " over the 24 option orders";
}

// Each draw picks exactly k = 10 of n = 60 without replacement, so the counts are negatively
// correlated and Pearson's statistic has mean n(1 - k/n) = 50 rather than 59 under uniformity.
// Scaled by (n - 1) / (n (1 - k/n)) it follows chi-square with n - 1 = 59 degrees of freedom.
TEST(Draw, EveryQuestionIsEquallyLikelyOverThirtyThousandDraws) {
  const auto bank = MakeBank();
  constexpr int kDraws = 30000;
  constexpr double kK = 10, kN = kBankSize;
  std::vector<long> counts(kBankSize, 0);
  for (std::uint64_t seed = 1; seed <= kDraws; ++seed) {
    for (const auto& item : MustDraw(bank, DrawRules{}, seed))
      ++counts[static_cast<std::size_t>(IndexOf(item.question_id))];
  }
  EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), 0L), kDraws * 10L);
  const double pearson = Pearson(counts);
  const double chi2 = pearson * (kN - 1) / (kN * (1 - kK / kN));
  const auto [lo, hi] = std::minmax_element(counts.begin(), counts.end());
  EXPECT_LT(chi2, kChi2Df59) << "chi-square " << chi2 << " (df 59); counts from " << *lo << " to "
                             << *hi << ", expected " << kDraws * kK / kN << " each";
}

// With a quota, each stratum is uniform among itself: the quota's topic, and the questions of the
// other topics. The number drawn from a stratum varies per draw (the rest may also take questions
// of the quota's topic), which makes plain Pearson against the stratum's mean conservative; a
// biased pick inside a stratum still shows at once with this many draws.
TEST(Draw, WithAQuotaTheQuestionsOfEachStratumAreEquallyLikely) {
  const auto bank = MakeBank();
  DrawRules rules;
  rules.quotas = {{"topic-3", 4}};
  constexpr int kDraws = 30000;
  std::vector<long> counts(kBankSize, 0);
  for (std::uint64_t seed = 1; seed <= kDraws; ++seed) {
    for (const auto& item : MustDraw(bank, rules, seed))
      ++counts[static_cast<std::size_t>(IndexOf(item.question_id))];
  }
  std::vector<long> quota_topic, others;
  for (int i = 0; i < kBankSize; ++i)
    (TopicOf(i) == "topic-3" ? quota_topic : others).push_back(counts[static_cast<std::size_t>(i)]);
  ASSERT_EQ(quota_topic.size(), 10u);
  // At least 4 of every draw come from topic-3: 12,000 at least over its 10 questions.
  EXPECT_GE(std::accumulate(quota_topic.begin(), quota_topic.end(), 0L), 4L * kDraws);
  const double inside = Pearson(quota_topic), outside = Pearson(others);
  EXPECT_LT(inside, kChi2Df9) << "chi-square " << inside << " inside the quota's topic (df 9)";
  EXPECT_LT(outside, kChi2Df49) << "chi-square " << outside << " over the other topics (df 49)";
}

}  // namespace
}  // namespace hoithi::quiz
