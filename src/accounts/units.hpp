// The units of a contest (sở, ban, ngành, UBND huyện ...): code, name, group, the staff
// headcount that participation rates divide by, and the unit's contact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::accounts {

struct Unit {
  std::int64_t id = 0;
  std::int64_t contest_id = 0;
  std::string code;   // [a-z0-9-], unique in the contest: "so-noi-vu"
  std::string name;   // "Sở Nội vụ"
  std::string group;  // "co-quan-chuyen-mon"
  std::optional<int> headcount;
  std::string contact_name;
  std::string contact_phone;
  std::string contact_email;
  int position = 0;  // display order
};

/// The Vietnamese label of a unit group code ("ubnd-cap-huyen" -> "UBND cấp huyện"); the code
/// itself when unknown.
std::string_view UnitGroupLabel(std::string_view group);

/// Checks code, name and group of a unit typed or imported by a person.
core::Status ValidateUnit(const Unit& unit);

/// Inserts the unit, or updates the one with the same code in the contest; returns its id.
core::Result<std::int64_t> SaveUnit(store::Connection& conn, const Unit& unit, core::TimePoint now);

core::Result<std::vector<Unit>> ListUnits(store::Connection& conn, std::int64_t contest_id);
core::Result<std::optional<Unit>> FindUnitByCode(store::Connection& conn, std::int64_t contest_id,
                                                 std::string_view code);

}  // namespace hoithi::accounts
