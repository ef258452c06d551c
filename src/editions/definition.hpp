// A contest edition as a file (contest.toml): everything the organisers set up — identity and
// contact, schedule, prize table, quiz rules, registration fields, rounds and the participating
// units — so that an edition can be reviewed, versioned, reproduced and carried to next year.
// WriteDefinition is deterministic (the same edition gives the same bytes), and ReadDefinition is
// strict (an unknown key or a wrong type is refused, naming it), so a file round-trips exactly.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "contest/contest.hpp"
#include "contest/rounds.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"
#include "units/units.hpp"

namespace hoithi::editions {

struct Definition {
  contest::Contest contest;  // id unused; settings carry the quiz rules and registration fields
  std::vector<contest::Prize> prizes;
  std::vector<contest::Round> rounds;  // explicit rounds only (key unused)
  std::vector<units::Unit> units;      // in display order (ids unused)
};

/// The edition as TOML text, with Vietnamese comments for the person who edits it.
std::string WriteDefinition(const Definition& definition);

/// Reads a contest file. kValidation "invalid_definition" naming the key ("schedule.opens_at")
/// for a syntax error, an unknown key, a wrong type or a value the contest's own checks refuse.
core::Result<Definition> ReadDefinition(std::string_view toml);

/// The edition of contest `contest_id` as stored.
core::Result<Definition> LoadDefinition(store::Connection& conn, std::int64_t contest_id);

}  // namespace hoithi::editions
