// The collective ranking of units: each unit's participation, mean quiz score and video score,
// each normalised to 0–100, weighted by the contest's results rules (contest::ResultsRules).
// A pure function of its inputs: the draft, the published snapshot and the tests compute the
// same numbers. Scores are integers in hundredths (87,25 is 8725), so a tie is an exact equality
// of what is shown, never a floating-point accident.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "contest/results_rules.hpp"

namespace hoithi::results {

/// Hundredths of a point on a scale of 100.
using Score = std::int64_t;

/// What is known of one unit when it is ranked.
struct UnitFacts {
  std::int64_t unit_id = 0;
  std::optional<int> headcount{};  // its staff; none: not entered yet
  std::int64_t participants = 0;   // distinct, with a counted result
  std::int64_t correct = 0;        // their counted results' correct answers, summed
  int videos = 0;                  // its videos with a judging score
  double video_score = 0;          // the unit's video score, on the rubric's scale
};

/// What the components are normalised by.
struct Scales {
  int questions_per_attempt = 10;  // the quiz's full mark
  double video_max = 100;          // the rubric's total
};

struct UnitStanding {
  UnitFacts facts;
  Score participation = 0;  // participants ÷ headcount × 100, at most 100
  Score quiz = 0;           // mean correct ÷ questions per attempt × 100
  Score video = 0;          // video score ÷ rubric total × 100
  Score total = 0;          // the weighted sum, rounded to hundredths
  std::int64_t rank = 0;    // 1 + the units with a strictly higher total
  /// The headcount is missing, zero or below the participants: the rate cannot be trusted
  /// (participation counts 0, or is capped at 100) and the results cannot be published.
  bool headcount_problem = false;
};

/// Every unit of `units` ranked, best first (equal totals share a rank; then by unit id).
/// Each component is rounded half up to hundredths before it is weighted, and the total is
/// Σ weight × component ÷ 100 rounded half up: the table shows every figure the total is made of.
std::vector<UnitStanding> RankUnits(const contest::ResultsRules& rules, const Scales& scales,
                                    const std::vector<UnitFacts>& units);

}  // namespace hoithi::results
