// The published ranking rule, and the rankings computed by it in SQL from the counted results
// (never from the attempts): the reference that the in-memory standings (standings.hpp), which
// serve every request, are tested against.
#pragma once

#include <compare>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "contest/quiz_rules.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::quiz {

struct RankedEntry {
  std::int64_t rank = 0;  // equal on every tie-break shares a rank (1, 2, 2, 4)
  std::int64_t user_id = 0;
  std::optional<std::int64_t> unit_id;
  int correct = 0;
  std::int64_t duration_ms = 0;
  core::TimePoint finished_at;
  std::optional<std::int64_t> prediction;
};

/// The published ranking rule (contest::RankingRuleText says it in words), defined once: the keys
/// that order two results, most significant first, smaller first. Correct answers (more first),
/// then the prediction's distance from the true figure (nearer first; none last) when the contest
/// uses one and the figure is set (`answer`), then the duration, then the submission time. Equal
/// keys share a rank. CompareByRule, CompareStandings (standings.hpp) and the SQL ORDER BY of
/// RankingOrderSql are all made from it; tests/unit/quiz/standings_test.cpp checks that the three
/// agree on random results.
struct RankKey {
  std::int64_t fewer_correct = 0;        // -correct
  std::int64_t prediction_distance = 0;  // 0 for everyone when the prediction breaks no tie
  std::int64_t duration_ms = 0;
  std::int64_t finished_ms = 0;
  auto operator<=>(const RankKey&) const = default;
};

inline RankKey KeyOf(int correct, std::optional<std::int64_t> prediction, std::int64_t duration_ms,
                     std::int64_t finished_ms, std::optional<std::int64_t> answer) {
  RankKey k;
  k.fewer_correct = -static_cast<std::int64_t>(correct);
  if (answer) {
    k.prediction_distance =
        prediction ? std::llabs(*prediction - *answer) : std::numeric_limits<std::int64_t>::max();
  }
  k.duration_ms = duration_ms;
  k.finished_ms = finished_ms;
  return k;
}

/// The order of the keys as `<0`, `0` or `>0`.
inline int CompareKeys(const RankKey& a, const RankKey& b) {
  const auto c = a <=> b;
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/// The rule as the ORDER BY of a query over quiz_results (columns correct, prediction,
/// duration_ms, finished_at), followed by user_id so that the order is total; with the true
/// figure as the parameter `answer_placeholder` ("$4") when the prediction breaks ties.
std::string RankingOrderSql(const std::optional<std::string>& answer_placeholder);

/// The true figure when it breaks ties under `rules` (the prediction is used and its answer set).
std::optional<std::int64_t> TieBreakingAnswer(const contest::QuizRules& rules);

/// The published ranking rule as a comparison of two entries: negative when `a` ranks before
/// `b`, positive after, zero for a tie (the same rank).
int CompareByRule(const RankedEntry& a, const RankedEntry& b, const contest::QuizRules& rules);

struct Ranking {
  std::vector<RankedEntry> entries;
  std::int64_t total = 0;  // participants ranked
  /// Entries tied with the last prize-winning place that fall beyond it (reported, never hidden).
  std::vector<RankedEntry> tied_beyond_prizes;
};

/// The first `limit` of the round's ranking. With `prize_places` > 0, also every entry beyond the
/// last prize place that ties with it (among the next 50). `as_of`: only results finished by then
/// (frozen board). O(n) for the total; requests use Standings::Top.
core::Result<Ranking> RankingOf(store::Connection& conn, std::int64_t contest_id,
                                std::int64_t round_key, const contest::QuizRules& rules, int limit,
                                int prize_places, std::optional<core::TimePoint> as_of);

/// The participant's rank in a round by the same rule (1 = first; 0 without a result). O(n):
/// requests use Standings::RankOf.
core::Result<std::int64_t> RankOf(store::Connection& conn, std::int64_t contest_id,
                                  std::int64_t round_key, std::int64_t user_id,
                                  const contest::QuizRules& rules);

struct UnitActivity {
  std::int64_t participants = 0;  // with a result (at least one finished attempt)
  std::int64_t attempts = 0;      // their finished attempts (results.attempts)
  std::int64_t correct = 0;       // their counted results' correct answers, summed
};

}  // namespace hoithi::quiz
