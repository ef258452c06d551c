// The collective ranking's arithmetic (see unit_ranking.hpp).
#include "results/unit_ranking.hpp"

#include <algorithm>
#include <cmath>

namespace hoithi::results {
namespace {

/// num ÷ den × 100 in hundredths, rounded half up (num, den ≥ 0; 0 when den is 0).
Score Percent(std::int64_t num, std::int64_t den) {
  if (den <= 0 || num <= 0) return 0;
  return (num * 10000 * 2 + den) / (den * 2);
}

}  // namespace

std::vector<UnitStanding> RankUnits(const contest::ResultsRules& rules, const Scales& scales,
                                    const std::vector<UnitFacts>& units) {
  std::vector<UnitStanding> out;
  out.reserve(units.size());
  for (const auto& u : units) {
    UnitStanding s;
    s.facts = u;
    const int headcount = u.headcount.value_or(0);
    s.headcount_problem = headcount <= 0 || headcount < u.participants;
    s.participation = std::min<Score>(Percent(u.participants, headcount), 10000);
    s.quiz = Percent(u.correct, u.participants * std::max(scales.questions_per_attempt, 0));
    if (u.videos > 0 && scales.video_max > 0) {
      s.video = std::clamp<Score>(std::llround(u.video_score / scales.video_max * 10000), 0, 10000);
    }
    const Score weighted = rules.weight_participation * s.participation +
                           rules.weight_quiz * s.quiz + rules.weight_video * s.video;
    s.total = (weighted + 50) / 100;
    out.push_back(s);
  }
  std::sort(out.begin(), out.end(), [](const UnitStanding& a, const UnitStanding& b) {
    if (a.total != b.total) return a.total > b.total;
    return a.facts.unit_id < b.facts.unit_id;
  });
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].rank = i > 0 && out[i].total == out[i - 1].total ? out[i - 1].rank
                                                            : static_cast<std::int64_t>(i) + 1;
  }
  return out;
}

}  // namespace hoithi::results
