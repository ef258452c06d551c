// Ranking queries on the quiz_results table (the reference for the in-memory standings).
#include "quiz/ranking.hpp"

#include <algorithm>

namespace hoithi::quiz {
namespace {

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

RankKey KeyOfEntry(const RankedEntry& e, std::optional<std::int64_t> answer) {
  return KeyOf(e.correct, e.prediction, e.duration_ms, core::ToEpochMs(e.finished_at), answer);
}

}  // namespace

std::optional<std::int64_t> TieBreakingAnswer(const contest::QuizRules& rules) {
  if (rules.prediction.enabled && rules.prediction.answer) return *rules.prediction.answer;
  return std::nullopt;
}

std::string RankingOrderSql(const std::optional<std::string>& answer_placeholder) {
  // The keys of RankKey, in its order.
  std::string order = " ORDER BY correct DESC";
  if (answer_placeholder) {
    order += ", CASE WHEN prediction IS NULL THEN 1 ELSE 0 END, ABS(prediction - " +
             *answer_placeholder + ")";
  }
  return order + ", duration_ms, finished_at, user_id";
}

int CompareByRule(const RankedEntry& a, const RankedEntry& b, const contest::QuizRules& rules) {
  const auto answer = TieBreakingAnswer(rules);
  return CompareKeys(KeyOfEntry(a, answer), KeyOfEntry(b, answer));
}

core::Result<std::int64_t> RankOf(store::Connection& conn, std::int64_t contest_id,
                                  std::int64_t round_key, std::int64_t user_id,
                                  const contest::QuizRules& rules) {
  std::optional<RankedEntry> mine;
  HOITHI_TRY(conn.Query(std::string("SELECT ") + kResultColumns +
                            " FROM quiz_results WHERE contest_id = $1 AND round_key = $2 AND"
                            " user_id = $3",
                        {contest_id, round_key, user_id},
                        [&](const store::Row& r) { mine = EntryFromRow(r); }));
  if (!mine) return std::int64_t{0};
  auto better_score = store::QueryInt(
      conn,
      "SELECT COUNT(*) FROM quiz_results WHERE contest_id = $1 AND round_key = $2 AND correct > $3",
      {contest_id, round_key, mine->correct});
  if (!better_score) return std::move(better_score).error();
  // Among equal scores the rest of the rule decides (it may involve the prediction).
  std::int64_t ahead = 0;
  HOITHI_TRY(conn.Query(std::string("SELECT ") + kResultColumns +
                            " FROM quiz_results WHERE contest_id = $1 AND round_key = $2 AND"
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
  auto total = store::QueryInt(conn, "SELECT COUNT(*) FROM quiz_results" + where, params);
  if (!total) return std::move(total).error();
  out.total = total->value_or(0);
  std::optional<std::string> answer;
  if (const auto figure = TieBreakingAnswer(rules)) {
    params.emplace_back(*figure);
    answer = store::Placeholder(params.size());
  }
  const std::string order = RankingOrderSql(answer);
  // Read a little past the limit and the prize places, to detect ties across the edge.
  const int fetch = std::max(limit, prize_places) + 50;
  std::vector<RankedEntry> rows;
  // The SQL order is the rule's, so that LIMIT keeps the first; CompareByRule finds the ties.
  HOITHI_TRY(conn.Query(std::string("SELECT ") + kResultColumns + " FROM quiz_results" + where +
                            order + " LIMIT " + std::to_string(fetch),
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

}  // namespace hoithi::quiz
