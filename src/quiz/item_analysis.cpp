// ItemAnalysis: per-question statistics from the attempt items of finished attempts.
#include "quiz/item_analysis.hpp"

#include <algorithm>
#include <cmath>

namespace hoithi::quiz {

core::Result<std::vector<ItemStats>> ItemAnalysis(store::Connection& conn,
                                                  std::int64_t contest_id) {
  // The score thresholds of the top and bottom 27% of finished attempts.
  std::vector<int> scores;
  HOITHI_TRY(conn.Query(
      "SELECT correct FROM attempts WHERE contest_id = $1 AND status <> 'active' ORDER BY correct",
      {contest_id}, [&](const store::Row& r) { scores.push_back(static_cast<int>(r.Int(0))); }));
  std::map<std::int64_t, ItemStats> stats;
  if (scores.empty()) return std::vector<ItemStats>();
  const auto cut = static_cast<std::size_t>(std::ceil(scores.size() * 0.27));
  const int low_cut = scores[std::max<std::size_t>(cut, 1) - 1];
  const int high_cut = scores[scores.size() - std::max<std::size_t>(cut, 1)];
  struct Group {
    std::int64_t n = 0, correct = 0;
  };
  std::map<std::int64_t, std::pair<Group, Group>> groups;  // question -> (upper, lower)
  HOITHI_TRY(conn.Query(
      "SELECT i.question_id, a.correct, i.correct, i.answer FROM attempt_items i"
      " JOIN attempts a ON a.id = i.attempt_id WHERE a.contest_id = $1 AND a.status <> 'active'",
      {contest_id}, [&](const store::Row& r) {
        const auto q = r.Int(0);
        const int score = static_cast<int>(r.Int(1));
        const bool right = !r.IsNull(2) && r.Int(2) != 0;
        auto& s = stats[q];
        s.question_id = q;
        ++s.shown;
        if (!r.IsNull(3)) {
          ++s.answered;
          ++s.choices[static_cast<int>(r.Int(3))];
        }
        if (right) ++s.correct;
        auto& g = groups[q];
        if (score >= high_cut) {
          ++g.first.n;
          if (right) ++g.first.correct;
        }
        if (score <= low_cut) {
          ++g.second.n;
          if (right) ++g.second.correct;
        }
      }));
  std::vector<ItemStats> out;
  for (auto& [q, s] : stats) {
    s.p_correct = s.shown ? static_cast<double>(s.correct) / static_cast<double>(s.shown) : 0;
    const auto& [upper, lower] = groups[q];
    const double pu =
        upper.n ? static_cast<double>(upper.correct) / static_cast<double>(upper.n) : 0;
    const double pl =
        lower.n ? static_cast<double>(lower.correct) / static_cast<double>(lower.n) : 0;
    s.discrimination = pu - pl;
    out.push_back(s);
  }
  return out;
}

}  // namespace hoithi::quiz
