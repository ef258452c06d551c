// Item analysis of the question bank: how each question fared in the finished attempts, which
// helps the secretariat find wrong keys and ambiguous questions.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::quiz {

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
