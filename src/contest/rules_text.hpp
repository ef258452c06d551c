// The rules text (thể lệ) of the knowledge test, generated from the contest's schedule, rounds and
// quiz rules, so that what participants read is what the server enforces.
#pragma once

#include <string>
#include <vector>

#include "contest/contest.hpp"
#include "contest/quiz_rules.hpp"
#include "contest/rounds.hpp"

namespace hoithi::contest {

/// The ranking rule, word for word as the rules page and every result page state it.
std::string RankingRuleText(bool with_prediction);

/// The rules text (thể lệ) of the knowledge test, paragraph by paragraph, generated from the
/// contest's schedule, rounds and rules.
std::vector<std::string> RulesText(const Contest& contest, const QuizRules& rules,
                                   const std::vector<Round>& rounds);

}  // namespace hoithi::contest
