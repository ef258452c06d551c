// The results as computed at one moment: the ranked units with their components, the prizes
// given, the ties waiting for the committee and what stands in the way of publishing. Plain data
// (every member has a default initialiser, for designated initialisers): the draft the
// organisers review, and, frozen, what a publication shows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "contest/contest.hpp"
#include "contest/results_rules.hpp"
#include "results/unit_ranking.hpp"

namespace hoithi::results {

struct UnitLine {
  UnitStanding standing{};
  std::string code{};
  std::string name{};
};

/// A prize given, with what a page or a document needs to name it.
struct PrizeLine {
  contest::PrizeCategory category = contest::PrizeCategory::kCollective;
  std::string prize{};  // "Giải Nhất"
  std::int64_t amount_vnd = 0;
  std::int64_t rank = 0;
  std::int64_t id = 0;       // the unit, the video entry or the participant
  std::int64_t unit_id = 0;  // the unit it counts for; 0: none
  std::string recipient{};   // the unit's name, the video's title or the person's name
  std::string unit_name{};   // the unit it counts for (the video's or the person's)
  std::string detail{};      // "9/10 câu đúng trong 4 phút 05 giây", "82,5 điểm"
  bool by_decision = false;
};

struct TieLine {
  contest::PrizeCategory category = contest::PrizeCategory::kCollective;
  std::int64_t rank = 0;
  std::vector<std::int64_t> ids{};
  std::vector<std::string> names{};   // of the tied candidates, as PrizeLine::recipient
  std::vector<std::string> prizes{};  // the titles at stake, one per place
  bool decided = false;
  std::string reason{};  // the committee's, when decided
};

struct Draft {
  contest::ResultsRules rules{};
  Scales scales{};
  std::vector<UnitLine> units{};    // ranked
  std::vector<PrizeLine> prizes{};  // collective, then video, then individual; each in rank order
  std::vector<TieLine> ties{};
  std::int64_t total_vnd = 0;  // of the prizes given
  bool judging_locked = false;
  /// Why these results could not be published as they stand, in Vietnamese (empty: nothing).
  std::vector<std::string> blockers{};
};

}  // namespace hoithi::results
