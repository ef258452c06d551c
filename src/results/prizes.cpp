// Prize allocation down a ranking (see prizes.hpp).
#include "results/prizes.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace hoithi::results {

std::optional<contest::PrizeCategory> PrizeCategoryOf(std::string_view code) {
  for (auto c : {contest::PrizeCategory::kCollective, contest::PrizeCategory::kVideo,
                 contest::PrizeCategory::kIndividual}) {
    if (contest::PrizeCategoryName(c) == code) return c;
  }
  return std::nullopt;
}

bool Allocation::Undecided() const {
  return std::any_of(ties.begin(), ties.end(), [](const Tie& t) { return !t.decided; });
}

Allocation AllocatePrizes(contest::PrizeCategory category,
                          const std::vector<contest::Prize>& prizes,
                          const std::vector<Candidate>& candidates, int per_unit,
                          const std::vector<TieDecision>& decisions) {
  // One slot per prize to give, best first.
  std::vector<int> slots;
  for (std::size_t p = 0; p < prizes.size(); ++p) {
    if (prizes[p].category != category) continue;
    for (int q = 0; q < prizes[p].quantity; ++q)
      slots.push_back(static_cast<int>(p));
  }
  Allocation out;
  std::map<std::int64_t, int> held;  // prizes per unit so far
  std::size_t next = 0;              // the next slot to give
  for (std::size_t i = 0; i < candidates.size() && next < slots.size();) {
    // The tied group starting at i, without those whose unit is already at its limit (nor a
    // unit's second candidate within the group when one more would pass the limit).
    std::size_t end = i;
    while (end < candidates.size() && candidates[end].rank == candidates[i].rank)
      ++end;
    std::vector<Candidate> group;
    std::map<std::int64_t, int> in_group;
    for (std::size_t k = i; k < end; ++k) {
      const auto& c = candidates[k];
      if (per_unit > 0 && c.unit_id != 0 && held[c.unit_id] + in_group[c.unit_id] >= per_unit) {
        continue;
      }
      ++in_group[c.unit_id];
      group.push_back(c);
    }
    i = end;
    if (group.empty()) continue;
    const std::size_t places = std::min(group.size(), slots.size() - next);
    const bool one_title =
        group.size() <= slots.size() - next &&
        std::all_of(slots.begin() + next, slots.begin() + next + places, [&](int p) {
          return prizes[p].title == prizes[slots[next]].title &&
                 prizes[p].amount_vnd == prizes[slots[next]].amount_vnd;
        });
    if (one_title) {
      for (const auto& c : group) {
        out.awards.push_back({c.id, c.unit_id, c.rank, slots[next++], false});
        ++held[c.unit_id];
      }
      continue;
    }
    Tie tie;
    tie.rank = group.front().rank;
    for (const auto& c : group)
      tie.ids.push_back(c.id);
    tie.prizes.assign(slots.begin() + next, slots.begin() + next + places);
    const std::set<std::int64_t> ids(tie.ids.begin(), tie.ids.end());
    for (const auto& d : decisions) {
      if (d.category != category || d.order.size() != ids.size() ||
          std::set<std::int64_t>(d.order.begin(), d.order.end()) != ids) {
        continue;
      }
      tie.decided = true;
      for (std::size_t k = 0; k < places; ++k) {
        const auto it = std::find_if(group.begin(), group.end(),
                                     [&](const Candidate& c) { return c.id == d.order[k]; });
        out.awards.push_back({it->id, it->unit_id, it->rank, slots[next + k], true});
        ++held[it->unit_id];
      }
      break;
    }
    next += places;
    out.ties.push_back(std::move(tie));
  }
  return out;
}

}  // namespace hoithi::results
