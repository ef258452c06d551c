// Composing the public leaderboard and unit participation.
#include "results/leaderboard.hpp"

#include <algorithm>
#include <map>

#include "accounts/users.hpp"
#include "contest/rules_text.hpp"
#include "quiz/attempts.hpp"
#include "quiz/ranking.hpp"
#include "quiz/standings.hpp"
#include "units/units.hpp"

namespace hoithi::results {

core::Result<Board> Leaderboard(store::Connection& conn, quiz::Standings& standings,
                                const contest::Contest& contest, const contest::QuizRules& rules,
                                std::int64_t round_key, int limit, const Viewer& viewer,
                                core::TimePoint now) {
  Board board;
  board.ranking_rule = contest::RankingRuleText(rules.prediction.enabled);
  board.show_prediction = rules.prediction.enabled && rules.prediction.answer.has_value();
  const bool live = viewer.staff || contest::LiveRanksShown(rules, now);
  if (!live && rules.leaderboard == contest::LeaderboardMode::kHidden) {
    board.hidden = true;
    return board;
  }
  std::optional<core::TimePoint> as_of;
  if (!live) {  // frozen: the board as it stood at the freeze
    as_of = rules.frozen_at;
    board.frozen_at = rules.frozen_at;
  }
  auto prizes = contest::ListPrizes(conn, contest.id);
  if (!prizes) return std::move(prizes).error();
  for (const auto& p : *prizes) {
    if (p.category == contest::PrizeCategory::kIndividual) board.prize_places += p.quantity;
  }
  if (round_key != 0) {
    // Only the contest's own rounds have standings (the key comes from the query string).
    auto rounds = contest::ListRounds(conn, contest);
    if (!rounds) return std::move(rounds).error();
    if (std::none_of(rounds->begin(), rounds->end(),
                     [&](const contest::Round& r) { return r.key == round_key; })) {
      return board;
    }
  }
  auto ranking =
      standings.Top(conn, contest.id, round_key, rules, limit, board.prize_places, as_of);
  if (!ranking) return std::move(ranking).error();
  board.ranked = true;
  board.total = ranking->total;
  std::vector<std::int64_t> ids;
  for (const auto& e : ranking->entries)
    ids.push_back(e.user_id);
  for (const auto& e : ranking->tied_beyond_prizes)
    ids.push_back(e.user_id);
  auto names = accounts::PublicNames(conn, ids);
  if (!names) return std::move(names).error();
  auto units = units::ListUnits(conn, contest.id);
  if (!units) return std::move(units).error();
  std::map<std::int64_t, std::string> unit_names;
  for (const auto& u : *units)
    unit_names[u.id] = u.name;
  auto convert = [&](const quiz::RankedEntry& e) {
    const auto& n = (*names)[e.user_id];
    return BoardEntry{e.rank,
                      n.full_name,
                      viewer.staff ? n.phone : std::string(),
                      e.unit_id ? unit_names[*e.unit_id] : std::string(),
                      e.correct,
                      e.duration_ms,
                      e.finished_at,
                      e.prediction};
  };
  for (const auto& e : ranking->entries)
    board.entries.push_back(convert(e));
  for (const auto& e : ranking->tied_beyond_prizes)
    board.tied_beyond_prizes.push_back(convert(e));
  if (viewer.participant_id && live) {
    auto rank = standings.RankOf(conn, contest.id, round_key, *viewer.participant_id, rules);
    if (!rank) return std::move(rank).error();
    if (*rank > 0) board.my_rank = *rank;
  }
  return board;
}

core::Result<std::vector<UnitRow>> UnitParticipation(
    store::Connection& conn, quiz::Standings& standings,
    accounts::ParticipantCounts& participant_counts, const contest::Contest& contest) {
  const auto contest_id = contest.id;
  const auto* rules = &contest.quiz_rules();
  auto units = units::ListUnits(conn, contest_id);
  if (!units) return std::move(units).error();
  auto registered = participant_counts.Of(conn, contest_id);
  if (!registered) return std::move(registered).error();
  auto activity = standings.ActivityByUnit(conn, contest_id, *rules);
  if (!activity) return std::move(activity).error();
  std::vector<UnitRow> out;
  for (const auto& u : *units) {
    UnitRow row;
    row.code = u.code;
    row.name = u.name;
    row.group = u.group;
    row.headcount = u.headcount;
    row.registered = registered->count(u.id) ? registered->at(u.id) : 0;
    if (const auto it = activity->find(u.id); it != activity->end()) {
      row.participants = it->second.participants;
      row.attempts = it->second.attempts;
    }
    if (u.headcount && *u.headcount > 0) {
      row.participation_rate = static_cast<double>(row.participants) / *u.headcount;
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace hoithi::results
