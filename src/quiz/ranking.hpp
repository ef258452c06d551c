// The published ranking rule, and the rankings computed by it in SQL from the counted results
// (never from the attempts): the reference that the in-memory standings (standings.hpp), which
// serve every request, are tested against. Also the item analysis that helps the secretariat
// find wrong keys and ambiguous questions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
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

/// The published ranking rule as a comparison: negative when `a` ranks before `b`, positive after,
/// zero for a tie (the same rank). Correct answers (more first), then the prediction's distance
/// from the true figure (nearer first; none last) when the contest uses one and the figure is set,
/// then the duration, then the submission time.
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
};

struct ItemStats {
  std::int64_t question_id = 0;
  std::int64_t shown = 0;
  std::int64_t answered = 0;
  std::int64_t correct = 0;
  double p_correct = 0;       // correct / shown
  double discrimination = 0;  // p(correct | top 27% of attempts) - p(correct | bottom 27%)
  std::map<int, std::int64_t> choices;  // option index -> times chosen
};

/// Per question of the contest's finished attempts: how often shown and answered correctly, which
/// options were chosen, and the discrimination index (a negative one suggests a wrong key).
core::Result<std::vector<ItemStats>> ItemAnalysis(store::Connection& conn, std::int64_t contest_id);

}  // namespace hoithi::quiz
