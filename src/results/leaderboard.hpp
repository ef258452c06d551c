// What the public sees of the knowledge test: the ranking of individuals with names, masked phones
// and units (as the contest's leaderboard mode allows), and participation per unit. Reads what
// quiz/ and accounts/ publish; writes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts/participant_counts.hpp"
#include "contest/contest.hpp"
#include "contest/quiz_rules.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "quiz/standings.hpp"
#include "store/connection.hpp"

namespace hoithi::results {

struct BoardEntry {
  std::int64_t rank = 0;
  std::string full_name;
  /// Only for staff viewers, who contact the winners: the full number. Never a digit of it for
  /// anyone else, since a phone number is a login (docs/security.md).
  std::string phone;
  std::string unit_name;
  int correct = 0;
  std::int64_t duration_ms = 0;
  core::TimePoint finished_at;
  std::optional<std::int64_t> prediction;
};

struct Board {
  bool hidden = false;                       // not yet published (leaderboard mode "hidden")
  std::optional<core::TimePoint> frozen_at;  // shown as it stood then (mode "frozen")
  std::string ranking_rule;
  std::vector<BoardEntry> entries;
  std::vector<BoardEntry> tied_beyond_prizes;
  std::int64_t total = 0;
  int prize_places = 0;  // the contest's individual prizes
  std::optional<std::int64_t> my_rank;
  bool show_prediction = false;
  bool ranked = false;  // shown from the round's standings: a participant's own rank applies
};

struct Viewer {
  std::optional<std::int64_t> participant_id;  // a signed-in participant sees their own rank
  bool staff = false;                          // organisers see the live board in every mode
};

/// The round's board as `viewer` may see it, from the standings (never from the attempts):
/// O(limit) plus O(log n) for the viewer's own rank. `conn` reads names and prizes.
core::Result<Board> Leaderboard(store::Connection& conn, quiz::Standings& standings,
                                const contest::Contest& contest, const contest::QuizRules& rules,
                                std::int64_t round_key, int limit, const Viewer& viewer,
                                core::TimePoint now);

struct UnitRow {
  std::string code;
  std::string name;
  std::string group;
  std::optional<int> headcount;
  std::int64_t registered = 0;    // participant accounts
  std::int64_t participants = 0;  // with a finished attempt
  std::int64_t attempts = 0;      // finished, counted in the unit of the participant's result
  std::optional<double> participation_rate;  // participants / headcount
};

/// Every unit of the contest with its participation: from the standings (never from the attempts)
/// and the cached accounts per unit.
core::Result<std::vector<UnitRow>> UnitParticipation(
    store::Connection& conn, quiz::Standings& standings,
    accounts::ParticipantCounts& participant_counts, const contest::Contest& contest);

}  // namespace hoithi::results
