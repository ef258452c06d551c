// Changes to a contest's unit list made by its organisers: create, update, delete, and import a
// whole list (all or nothing unless the person chooses to skip bad rows). Each change is one
// committed write with its audit entry; the API and the pages both come through here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "store/database.hpp"
#include "units/units.hpp"

namespace hoithi::units {

/// How another module uses a unit, asked inside the transaction that would delete it: a
/// Vietnamese sentence saying why it cannot be deleted ("Đơn vị đã có 3 tài khoản ..."), or empty
/// when that module does not use it. Modules above units (accounts, videos) provide these.
using UsageCheck = std::function<core::Result<std::optional<std::string>>(store::Connection& conn,
                                                                          std::int64_t unit_id)>;

class UnitService {
 public:
  UnitService(store::Database& db, const core::Clock& clock);

  /// Adds a check that Delete runs before deleting (at start-up, before the first request).
  void AddUsageCheck(UsageCheck check) { usage_checks_.push_back(std::move(check)); }

  /// kConflict "duplicate_unit" when the code exists.
  void Create(const audit::Actor& actor, std::int64_t contest_id, Unit unit,
              core::Callback<Unit> done);
  /// Updates the unit with `unit.code` (the code itself never changes); kNotFound otherwise.
  void Update(const audit::Actor& actor, std::int64_t contest_id, Unit unit,
              core::Callback<Unit> done);
  /// kConflict "unit_in_use" when a usage check finds the unit used (accounts belong to it).
  void Delete(const audit::Actor& actor, std::int64_t contest_id, const std::string& code,
              std::function<void(core::Status)> done);

  /// Reads the file (.xlsx or CSV) and saves its units (creating or updating by code). With bad
  /// rows and without `skip_invalid`: kValidation "invalid_rows" and nothing saved; the outcome
  /// (with every rejected row) is in `done` either way. `dry_run` saves nothing.
  void Import(const audit::Actor& actor, std::int64_t contest_id, std::string_view file,
              bool dry_run, bool skip_invalid,
              std::function<void(core::Status, spreadsheet::ImportReport)> done);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  std::vector<UsageCheck> usage_checks_;
};

/// The unit as JSON text, for audit entries.
std::string UnitAuditJson(const Unit& unit);

}  // namespace hoithi::units
