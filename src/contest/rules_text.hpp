// The rules text (thể lệ) of the knowledge test, generated from the contest's schedule, rounds and
// quiz rules, so that what participants read is what the server enforces.
#pragma once

#include <string>
#include <vector>

#include "contest/contest.hpp"
#include "contest/quiz_rules.hpp"
#include "contest/rounds.hpp"

namespace hoithi::contest {

/// The contest's dates, one line each: the quiz window, the video deadline, the results date.
std::vector<std::string> ScheduleText(const Contest& contest);

/// The rules of the video part: who uploads, what, until when, how it is judged.
std::vector<std::string> VideoRulesText(const Contest& contest);

/// How units are ranked, as the rules page states it (the formula once the organisers set it).
std::string UnitRankingText(const Contest& contest);

/// The ranking rule, word for word as the rules page and every result page state it.
std::string RankingRuleText(bool with_prediction);

/// The rules text (thể lệ) of the knowledge test, paragraph by paragraph, generated from the
/// contest's schedule, rounds and rules.
std::vector<std::string> RulesText(const Contest& contest, const QuizRules& rules,
                                   const std::vector<Round>& rounds);

}  // namespace hoithi::contest
