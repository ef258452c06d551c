// The units of a contest (sở, ban, ngành, UBND huyện ...): code, name, group, the staff
// headcount that participation rates divide by, and the unit's contact. The `units` table is this
// module's; accounts, videos, jury conflicts and prizes refer to a unit by its id.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "store/connection.hpp"

namespace hoithi::units {

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

/// Sets the unit's staff headcount (a roster import counts its staff).
core::Status SetHeadcount(store::Connection& conn, std::int64_t unit_id, int headcount,
                          core::TimePoint now);

/// Deletes the unit's row. A row still referred to (a foreign key) is kConflict "unit_in_use";
/// UnitService::Delete asks the modules that use units first, to say how it is used.
core::Status DeleteUnit(store::Connection& conn, std::int64_t unit_id);

/// The columns of a unit list file, in the order exports write them.
const std::vector<std::string>& UnitColumns();

/// The unit list as a sheet with UnitColumns(), as exports write it and imports read it back.
spreadsheet::Sheet UnitSheet(const std::vector<Unit>& units);

struct UnitImportRow {
  int row = 0;
  Unit unit;
  std::vector<std::string> errors;  // Vietnamese, empty when the row is fine
};

/// Reads a unit list (header: code, name, group, headcount, contact_name, contact_phone,
/// contact_email; Vietnamese names accepted) and checks each row, including codes repeated in the
/// file. kValidation "bad_header" when code, name or group is missing.
core::Result<std::vector<UnitImportRow>> ReadUnitTable(const std::vector<spreadsheet::Row>& rows);

core::Result<std::vector<Unit>> ListUnits(store::Connection& conn, std::int64_t contest_id);
/// The contest's units by id (to name the unit of many rows at once).
core::Result<std::map<std::int64_t, Unit>> UnitsById(store::Connection& conn,
                                                     std::int64_t contest_id);
core::Result<std::optional<Unit>> FindUnitById(store::Connection& conn, std::int64_t id);
core::Result<std::optional<Unit>> FindUnitByCode(store::Connection& conn, std::int64_t contest_id,
                                                 std::string_view code);

}  // namespace hoithi::units
