// The rounds (đợt thi) of a contest's knowledge test: each with its own window and attempt
// allowance, ranked on its own and in the overall ranking. The `rounds` table is this file's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "contest/contest.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::contest {

/// A round (đợt): its own window and attempt allowance, ranked on its own and in the overall
/// ranking. A contest without rounds has one implicit round (key 0) spanning its whole window.
struct Round {
  std::int64_t key = 0;  // the round's id; 0 for the implicit one
  int number = 1;
  std::string name;
  core::TimePoint opens_at;
  core::TimePoint closes_at;
  std::optional<int> attempts_allowed;  // empty: the contest's rule
};

core::Result<std::vector<Round>> ListRounds(store::Connection& conn, const Contest& contest);

/// The round open at `now`; empty when none is.
std::optional<Round> RoundAt(const std::vector<Round>& rounds, core::TimePoint now);

/// The rounds as stored (none for a contest with the one implicit round), inside a write.
core::Result<std::vector<Round>> StoredRounds(store::Connection& conn, std::int64_t contest_id);

/// Showing the key after each submit is safe only when nobody draws from the bank again: with
/// `reveal = after_submit`, one attempt (QuizRules::attempts_allowed, ValidateQuizRules) in one
/// round. kValidation "invalid_rules" naming the reason otherwise.
core::Status CheckRevealAfterSubmit(const QuizRules& rules, const std::vector<Round>& rounds);

/// Replaces the contest's rounds (an empty list returns to one implicit round), audited; checked
/// against the contest's stored rules (CheckRevealAfterSubmit).
core::Status SaveRounds(store::Connection& conn, const Contest& contest,
                        const std::vector<Round>& rounds, const audit::Actor& actor,
                        core::TimePoint now);

}  // namespace hoithi::contest
