// How units are ranked and prizes given, set by the organisers: the weights of the collective
// ranking's three components and how many best-video prizes one unit may take. The "results"
// section of the contest's settings (contest/settings.hpp), typed, with its JSON form and checks.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace hoithi::contest {

struct ResultsRules {
  // Percentages of the unit's total; they sum to 100. Each component is normalised to 0–100.
  int weight_participation = 30;  // participants ÷ the unit's headcount
  int weight_quiz = 30;           // the unit's mean counted quiz score
  int weight_video = 40;          // the unit's video score from judging
  int video_prizes_per_unit = 1;  // best-video prizes one unit may take; 0: no limit
  // What the announcement and the certificates say of who issues them (Decree 30/2020 heading).
  std::string authority = "";  // the superior body, upper case: "UBND TỈNH SÓC TRĂNG"
  std::string place = "";      // before the date: "Sóc Trăng, ngày 31 tháng 12 năm 2021"
  std::string signer_title = "TM. BAN TỔ CHỨC\nTRƯỞNG BAN";  // '\n' between lines
  std::string signer_name = "";                              // empty: a space to sign
};

/// The "results" section's text; missing keys take the defaults. kValidation
/// "invalid_results_rules" naming the field on a wrong type.
core::Result<ResultsRules> ParseResultsRules(std::string_view json);
/// Weights of 0–100 that sum to 100, 0–100 video prizes per unit, texts of at most 200
/// characters in valid UTF-8; kValidation
/// "invalid_results_rules" naming the field.
core::Status ValidateResultsRules(const ResultsRules& rules);
/// The rules as the "results" JSON section.
std::string ResultsRulesJson(const ResultsRules& rules);

/// The formula in words, for the rules and results pages: "Tổng điểm = 30% × tỉ lệ tham gia + …".
std::string ResultsFormulaText(const ResultsRules& rules);

}  // namespace hoithi::contest
