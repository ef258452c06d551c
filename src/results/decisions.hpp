// The committee's decisions on ties at a prize boundary (table results_tie_decisions, migration
// 0018): which tied group, the order chosen, why, by whom and when. Storage only: the results
// service checks a decision against the draft before it is saved.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "results/prizes.hpp"
#include "store/connection.hpp"

namespace hoithi::results {

struct StoredDecision {
  TieDecision decision;
  core::TimePoint decided_at;
  std::int64_t decided_by = 0;
};

core::Result<std::vector<StoredDecision>> ListDecisions(store::Connection& conn,
                                                        std::int64_t contest_id);

/// Saves the decision of its group (replacing an earlier one of the same group).
core::Status SaveDecision(store::Connection& conn, std::int64_t contest_id,
                          const TieDecision& decision, std::int64_t by, core::TimePoint now);

}  // namespace hoithi::results
