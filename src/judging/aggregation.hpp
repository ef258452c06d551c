// From the judges' totals to each video's score and each unit's video score, by the method the
// organisers chose (contest::Aggregation, contest::UnitVideoScore). Pure functions of their
// inputs: the results page, the exports and the tests all compute the same numbers.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "contest/judging_rules.hpp"

namespace hoithi::judging {

/// One judge's submitted total for one video, in points.
struct JudgeTotal {
  std::int64_t judge_id = 0;
  std::int64_t entry_id = 0;
  double total = 0;
};

struct VideoScore {
  std::int64_t entry_id = 0;
  std::int64_t unit_id = 0;
  int judges = 0;        // submitted totals that went in
  bool trimmed = false;  // the highest and lowest were left out
  double score = 0;      // in points, on the rubric's scale
};

struct UnitScore {
  std::int64_t unit_id = 0;
  int videos = 0;
  double score = 0;
  std::int64_t best_entry_id = 0;  // the video with the highest score
};

/// Each video's score from the totals (videos absent from `unit_of` are left out), best first
/// (ties by entry id). `max_total` is the rubric's total, the scale the standardised method puts
/// scores back on:
/// - kMean: the mean of the video's totals;
/// - kTrimmedMean: with 5 or more totals, the mean without one highest and one lowest; else the
///   mean;
/// - kStandardised: judge j's total t becomes z = (t − mean_j) / sd_j over the videos j scored
///   (population standard deviation; z = 0 when j scored one video or gave every video the same
///   total), then M + z × S, where M and S are the mean and population standard deviation of all
///   the totals, clamped to [0, max_total]; the video's score is the mean of these.
std::vector<VideoScore> ScoreVideos(contest::Aggregation method,
                                    const std::vector<JudgeTotal>& totals,
                                    const std::map<std::int64_t, std::int64_t>& unit_of,
                                    double max_total);

/// Each unit's video score from its videos' scores: the best one, or their mean. Best first
/// (ties by unit id).
std::vector<UnitScore> ScoreUnits(contest::UnitVideoScore rule,
                                  const std::vector<VideoScore>& videos);

}  // namespace hoithi::judging
