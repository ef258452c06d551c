// Prize allocation: the contest's prize table given out down a ranking (units for the collective
// prizes, videos for the best-video prizes, participants for the individual ones). Candidates
// tied at a prize boundary are never separated silently: the tie is reported and its prizes wait
// until the committee records an order with a reason (TieDecision). Pure, like the ranking.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contest/contest.hpp"

namespace hoithi::results {

/// The category named by its code (contest::PrizeCategoryName's), or nullopt.
std::optional<contest::PrizeCategory> PrizeCategoryOf(std::string_view code);

/// One candidate in ranking order. Consecutive candidates with the same `rank` are tied.
struct Candidate {
  std::int64_t id = 0;       // the unit, the video entry or the participant
  std::int64_t unit_id = 0;  // whose prize it counts as (per-unit limits); 0: none
  std::int64_t rank = 0;
};

/// The committee's order for a tied group: `order` lists exactly the group's ids.
struct TieDecision {
  contest::PrizeCategory category = contest::PrizeCategory::kCollective;
  std::vector<std::int64_t> order{};
  std::string reason{};
};

struct Award {
  std::int64_t id = 0;  // the candidate
  std::int64_t unit_id = 0;
  std::int64_t rank = 0;
  int prize = 0;             // index into the prizes given to AllocatePrizes
  bool by_decision = false;  // placed by a committee's decision
};

/// Candidates tied across a prize boundary (or beyond the last prize): who gets which of the
/// prizes at stake is for the committee.
struct Tie {
  std::vector<std::int64_t> ids{};  // the tied group, in ranking order (then by id)
  std::int64_t rank = 0;
  std::vector<int> prizes{};  // the prizes at stake, one per place the group covers (may repeat)
  bool decided = false;       // a decision names exactly this group: its order was applied
};

struct Allocation {
  std::vector<Award> awards{};  // in ranking order; undecided ties' prizes are left out
  std::vector<Tie> ties{};

  bool Undecided() const;
};

/// The `prizes` of one category (their position order, each `quantity` times) given down
/// `candidates`. `per_unit`: at most that many prizes per unit (0: no limit); a candidate whose
/// unit has them is passed over (and a unit's own candidates tied with each other count once).
/// A tied group that the remaining places hold under one prize title all get it; one that
/// straddles two titles, or the last place, is a Tie: its `decisions` entry (the same category
/// and the same set of ids) orders it, else its places stay empty and the next candidates start
/// after them.
Allocation AllocatePrizes(contest::PrizeCategory category,
                          const std::vector<contest::Prize>& prizes,
                          const std::vector<Candidate>& candidates, int per_unit,
                          const std::vector<TieDecision>& decisions);

}  // namespace hoithi::results
