// Drawing the questions of an attempt: pure (no I/O, no clock), deterministic for a seed, so that
// every draw can be replayed and explained. Each question of a stratum (a topic with a quota, or
// the rest of the bank) is equally likely; no question appears twice.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "quiz/question_cache.hpp"

namespace hoithi::quiz {

struct DrawnItem {
  std::int64_t question_id = 0;
  int version = 0;
  std::vector<int> option_order;  // display position -> option index in the version
};

struct DrawRules {
  int count = 10;
  std::map<std::string, int> quotas;  // topic -> questions from it
  bool shuffle_questions = true;
  bool shuffle_options = true;
};

/// Draws `rules.count` distinct questions from `bank`: each topic's quota from that topic, then
/// the rest uniformly from every question not yet drawn. Unshuffled questions keep bank order and
/// unshuffled options their authoring order. kConflict "bank_too_small" when the bank cannot
/// satisfy a quota or the count.
core::Result<std::vector<DrawnItem>> Draw(const ActiveBank& bank, const DrawRules& rules,
                                          std::uint64_t seed);

}  // namespace hoithi::quiz
