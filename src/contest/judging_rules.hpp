// How a contest's videos are judged, set by its organisers: the rubric (criteria, maxima, the
// score step) and the choices around it (aggregation, a unit's video score, blind judging,
// assignment). The "judging" section of the contest's settings (contest/settings.hpp), typed,
// with its JSON form and its checks. Points are integers in hundredths, so 7,5 is 750 and no
// sum or comparison of scores is ever a floating-point question.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace hoithi::contest {

/// Hundredths of a point.
using Points = std::int64_t;

struct Criterion {
  std::string key;          // [a-z0-9_], what a score sheet names it by
  std::string name;         // "Nội dung"
  std::string description;  // what the judges look for
  Points max = 0;
};

/// The mean of the judges' totals; the mean without the highest and lowest total (when at least
/// five judges scored, else the mean); or each judge's totals standardised (z-scores) and put back
/// on the rubric's scale before the mean, for juries whose judges scored different videos.
enum class Aggregation { kMean, kTrimmedMean, kStandardised };
/// A unit with several videos scores its best video's score, or the mean of its videos'.
enum class UnitVideoScore { kBest, kMean };
/// Every judge scores every video, or the organisers assign who scores which.
enum class Assignment { kAll, kExplicit };

struct JudgingRules {
  std::vector<Criterion> criteria;  // none until the organisers set the rubric
  Points step = 50;                 // 0,5 point
  Aggregation aggregation = Aggregation::kMean;
  UnitVideoScore unit_score = UnitVideoScore::kBest;
  bool blind = false;  // judges see neither the unit nor the credits
  Assignment assignment = Assignment::kAll;

  Points Total() const;
  const Criterion* Find(std::string_view key) const;
};

/// The "judging" section's text; missing keys take the defaults. kValidation "invalid_rubric"
/// naming the field (criteria[2].max, step, ...) on a wrong type or a broken rule.
core::Result<JudgingRules> ParseJudgingRules(std::string_view json);
/// 1–20 criteria with unique keys, names of 1–200 characters, maxima above 0, up to 1.000 and on
/// the step; a step of 0,01 to 10 points.
core::Status ValidateJudgingRules(const JudgingRules& rules);
/// The rules as the "judging" JSON section (points as numbers: 7.5).
std::string JudgingRulesJson(const JudgingRules& rules);

/// A number of points given as a JSON number (7.5): its hundredths, or nullopt for one that is
/// not a whole number of hundredths (7.505), not finite or out of range.
std::optional<Points> PointsFromNumber(double value);
double PointsToNumber(Points points);
/// "7,5", "20", "0,25": as a Vietnamese reader writes a score.
std::string FormatPoints(Points points);

std::string_view AggregationCode(Aggregation a);        // "mean", "trimmed_mean", "standardised"
std::string_view AggregationLabel(Aggregation a);       // how it is explained on the results page
std::string_view UnitVideoScoreCode(UnitVideoScore s);  // "best", "mean"
std::string_view AssignmentCode(Assignment a);          // "all", "explicit"

}  // namespace hoithi::contest
