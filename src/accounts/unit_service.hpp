// Changes to a contest's unit list made by its organisers: create, update, delete, and import a
// whole list (all or nothing unless the person chooses to skip bad rows). Each change is one
// committed write with its audit entry; the API and the pages both come through here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "accounts/auth_service.hpp"
#include "accounts/units.hpp"
#include "audit/audit_log.hpp"
#include "spreadsheet/spreadsheet.hpp"

namespace hoithi::accounts {

class UnitService {
 public:
  UnitService(store::Database& db, const core::Clock& clock);

  /// kConflict "duplicate_unit" when the code exists.
  void Create(const SignedIn& actor, ClientInfo client, std::int64_t contest_id, Unit unit,
              Callback<Unit> done);
  /// Updates the unit with `unit.code` (the code itself never changes); kNotFound otherwise.
  void Update(const SignedIn& actor, ClientInfo client, std::int64_t contest_id, Unit unit,
              Callback<Unit> done);
  /// kConflict "unit_in_use" when accounts belong to it.
  void Delete(const SignedIn& actor, ClientInfo client, std::int64_t contest_id,
              const std::string& code, std::function<void(core::Status)> done);

  /// Reads the file (.xlsx or CSV) and saves its units (creating or updating by code). With bad
  /// rows and without `skip_invalid`: kValidation "invalid_rows" and nothing saved; the outcome
  /// (with every rejected row) is in `done` either way. `dry_run` saves nothing.
  void Import(const SignedIn& actor, ClientInfo client, std::int64_t contest_id,
              std::string_view file, bool dry_run, bool skip_invalid,
              std::function<void(core::Status, spreadsheet::ImportReport)> done);

 private:
  store::Database& db_;
  const core::Clock& clock_;
};

/// The audit actor for a signed-in person on a client.
audit::Actor ActorOf(const SignedIn& who, const ClientInfo& client);

/// The unit as JSON text, for audit entries.
std::string UnitAuditJson(const Unit& unit);

}  // namespace hoithi::accounts
