// Ranking queries on the results table, and the item analysis.
#include "quiz/ranking.hpp"

#include <algorithm>
#include <cmath>

namespace hoithi::quiz {
namespace {

bool ByPrediction(const contest::QuizRules& rules) {
  return rules.prediction.enabled && rules.prediction.answer.has_value();
}

constexpr const char* kResultColumns =
    "user_id, unit_id, correct, duration_ms, finished_at, prediction";

RankedEntry EntryFromRow(const store::Row& r) {
  RankedEntry e;
  e.user_id = r.Int(0);
  e.unit_id = r.OptInt(1);
  e.correct = static_cast<int>(r.Int(2));
  e.duration_ms = r.Int(3);
  e.finished_at = core::FromEpochMs(r.Int(4));
  e.prediction = r.OptInt(5);
  return e;
}

template <class T>
int Order(const T& a, const T& b) {
  return a < b ? -1 : b < a ? 1 : 0;
}

}  // namespace

int CompareByRule(const RankedEntry& a, const RankedEntry& b, const contest::QuizRules& rules) {
  if (a.correct != b.correct) return a.correct > b.correct ? -1 : 1;
  if (ByPrediction(rules)) {
    auto distance = [&](const RankedEntry& e) {
      return e.prediction ? std::llabs(*e.prediction - *rules.prediction.answer)
                          : std::numeric_limits<std::int64_t>::max();
    };
    if (const int c = Order(distance(a), distance(b))) return c;
  }
  if (const int c = Order(a.duration_ms, b.duration_ms)) return c;
  return Order(a.finished_at, b.finished_at);
}

core::Result<std::int64_t> RankOf(store::Connection& conn, std::int64_t contest_id,
                                  std::int64_t round_key, std::int64_t user_id,
                                  const contest::QuizRules& rules) {
  std::optional<RankedEntry> mine;
  HOITHI_TRY(conn.Query(std::string("SELECT ") + kResultColumns +
                            " FROM results WHERE contest_id = $1 AND round_key = $2 AND"
                            " user_id = $3",
                        {contest_id, round_key, user_id},
                        [&](const store::Row& r) { mine = EntryFromRow(r); }));
  if (!mine) return std::int64_t{0};
  auto better_score = store::QueryInt(
      conn,
      "SELECT COUNT(*) FROM results WHERE contest_id = $1 AND round_key = $2 AND correct > $3",
      {contest_id, round_key, mine->correct});
  if (!better_score) return std::move(better_score).error();
  // Among equal scores the rest of the rule decides (it may involve the prediction).
  std::int64_t ahead = 0;
  HOITHI_TRY(conn.Query(std::string("SELECT ") + kResultColumns +
                            " FROM results WHERE contest_id = $1 AND round_key = $2 AND"
                            " correct = $3",
                        {contest_id, round_key, mine->correct}, [&](const store::Row& r) {
                          if (CompareByRule(EntryFromRow(r), *mine, rules) < 0) ++ahead;
                        }));
  return better_score->value_or(0) + ahead + 1;
}

core::Result<Ranking> RankingOf(store::Connection& conn, std::int64_t contest_id,
                                std::int64_t round_key, const contest::QuizRules& rules, int limit,
                                int prize_places, std::optional<core::TimePoint> as_of) {
  // $1 contest, $2 round, $3 as_of (when frozen), $4 the true figure (when it breaks ties).
  std::vector<store::Param> params = {contest_id, round_key};
  std::string where = " WHERE contest_id = $1 AND round_key = $2";
  if (as_of) {
    where += " AND finished_at <= $3";
    params.emplace_back(core::ToEpochMs(*as_of));
  }
  Ranking out;
  auto total = store::QueryInt(conn, "SELECT COUNT(*) FROM results" + where, params);
  if (!total) return std::move(total).error();
  out.total = total->value_or(0);
  std::string order = " ORDER BY correct DESC, duration_ms, finished_at, user_id";
  if (ByPrediction(rules)) {
    params.emplace_back(*rules.prediction.answer);
    const auto p = store::Placeholder(params.size());
    order =
        " ORDER BY correct DESC, CASE WHEN prediction IS NULL THEN 1 ELSE 0 END,"
        " ABS(prediction - " +
        p + "), duration_ms, finished_at, user_id";
  }
  // Read a little past the limit and the prize places, to detect ties across the edge.
  const int fetch = std::max(limit, prize_places) + 50;
  std::vector<RankedEntry> rows;
  // The SQL order is the rule's, so that LIMIT keeps the first; CompareByRule finds the ties.
  HOITHI_TRY(conn.Query(std::string("SELECT ") + kResultColumns + " FROM results" + where + order +
                            " LIMIT " + std::to_string(fetch),
                        params, [&](const store::Row& r) { rows.push_back(EntryFromRow(r)); }));
  auto same = [&](const RankedEntry& a, const RankedEntry& b) {
    return CompareByRule(a, b, rules) == 0;
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].rank =
        i > 0 && same(rows[i], rows[i - 1]) ? rows[i - 1].rank : static_cast<std::int64_t>(i) + 1;
  }
  if (prize_places > 0 && rows.size() > static_cast<std::size_t>(prize_places)) {
    const auto& last_prize = rows[static_cast<std::size_t>(prize_places) - 1];
    for (std::size_t i = static_cast<std::size_t>(prize_places); i < rows.size(); ++i) {
      if (!same(rows[i], last_prize)) break;
      out.tied_beyond_prizes.push_back(rows[i]);
    }
  }
  if (rows.size() > static_cast<std::size_t>(limit)) rows.resize(static_cast<std::size_t>(limit));
  out.entries = std::move(rows);
  return out;
}

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
