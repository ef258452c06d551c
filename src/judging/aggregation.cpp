// The aggregation of the jury's totals (judging/aggregation.hpp states the formulas).
#include "judging/aggregation.hpp"

#include <algorithm>
#include <cmath>

namespace hoithi::judging {
namespace {

struct MeanSd {
  double mean = 0;
  double sd = 0;
};

MeanSd MeanAndSd(const std::vector<double>& xs) {
  MeanSd out;
  if (xs.empty()) return out;
  for (double x : xs)
    out.mean += x;
  out.mean /= static_cast<double>(xs.size());
  double var = 0;
  for (double x : xs)
    var += (x - out.mean) * (x - out.mean);
  out.sd = std::sqrt(var / static_cast<double>(xs.size()));
  return out;
}

double Mean(const std::vector<double>& xs) {
  return MeanAndSd(xs).mean;
}

}  // namespace

std::vector<VideoScore> ScoreVideos(contest::Aggregation method,
                                    const std::vector<JudgeTotal>& totals,
                                    const std::map<std::int64_t, std::int64_t>& unit_of,
                                    double max_total) {
  std::vector<JudgeTotal> counted;
  for (const auto& t : totals) {
    if (unit_of.contains(t.entry_id)) counted.push_back(t);
  }
  // The value each total stands for: itself, or its standardised and rescaled form.
  std::vector<double> value(counted.size());
  for (std::size_t i = 0; i < counted.size(); ++i)
    value[i] = counted[i].total;
  if (method == contest::Aggregation::kStandardised && !counted.empty()) {
    std::map<std::int64_t, std::vector<double>> by_judge;
    std::vector<double> all;
    for (const auto& t : counted) {
      by_judge[t.judge_id].push_back(t.total);
      all.push_back(t.total);
    }
    std::map<std::int64_t, MeanSd> judge_stats;
    for (const auto& [judge, xs] : by_judge)
      judge_stats[judge] = MeanAndSd(xs);
    const auto pooled = MeanAndSd(all);
    for (std::size_t i = 0; i < counted.size(); ++i) {
      const auto& s = judge_stats[counted[i].judge_id];
      const double z = s.sd > 1e-9 ? (counted[i].total - s.mean) / s.sd : 0.0;
      value[i] = std::clamp(pooled.mean + z * pooled.sd, 0.0, max_total);
    }
  }
  std::map<std::int64_t, std::vector<double>> by_entry;
  for (std::size_t i = 0; i < counted.size(); ++i)
    by_entry[counted[i].entry_id].push_back(value[i]);
  std::vector<VideoScore> out;
  for (auto& [entry, xs] : by_entry) {
    VideoScore v;
    v.entry_id = entry;
    v.unit_id = unit_of.at(entry);
    v.judges = static_cast<int>(xs.size());
    if (method == contest::Aggregation::kTrimmedMean && xs.size() >= 5) {
      std::sort(xs.begin(), xs.end());
      xs = std::vector<double>(xs.begin() + 1, xs.end() - 1);
      v.trimmed = true;
    }
    v.score = Mean(xs);
    out.push_back(v);
  }
  std::sort(out.begin(), out.end(), [](const VideoScore& a, const VideoScore& b) {
    return a.score != b.score ? a.score > b.score : a.entry_id < b.entry_id;
  });
  return out;
}

std::vector<UnitScore> ScoreUnits(contest::UnitVideoScore rule,
                                  const std::vector<VideoScore>& videos) {
  std::map<std::int64_t, std::vector<const VideoScore*>> by_unit;
  for (const auto& v : videos)
    by_unit[v.unit_id].push_back(&v);
  std::vector<UnitScore> out;
  for (const auto& [unit, list] : by_unit) {
    UnitScore u;
    u.unit_id = unit;
    u.videos = static_cast<int>(list.size());
    const VideoScore* best = list.front();
    double sum = 0;
    for (const auto* v : list) {
      sum += v->score;
      if (v->score > best->score || (v->score == best->score && v->entry_id < best->entry_id)) {
        best = v;
      }
    }
    u.best_entry_id = best->entry_id;
    u.score = rule == contest::UnitVideoScore::kBest ? best->score
                                                     : sum / static_cast<double>(list.size());
    out.push_back(u);
  }
  std::sort(out.begin(), out.end(), [](const UnitScore& a, const UnitScore& b) {
    return a.score != b.score ? a.score > b.score : a.unit_id < b.unit_id;
  });
  return out;
}

}  // namespace hoithi::judging
