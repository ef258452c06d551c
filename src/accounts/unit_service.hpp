// Changes to a contest's unit list made by its organisers: create, update, delete, and import a
// whole list (all or nothing unless the person chooses to skip bad rows). Each change is one
// committed write with its audit entry; the API and the pages both come through here. Also the
// participant accounts per unit that the public statistics show, cached (ParticipantCounts).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
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

  /// Participant accounts per unit of the contest (CountAccountsByUnit), recounted only when the
  /// `accounts` change counter moved (read on each call: one row), and then at most once per four
  /// times the last count's duration (over a million accounts a recount takes a fraction of a
  /// second; meanwhile the previous count is served). `conn`: the caller's read connection.
  core::Result<std::map<std::int64_t, std::int64_t>> ParticipantCounts(store::Connection& conn,
                                                                       std::int64_t contest_id);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  struct Counts {
    std::int64_t version = -1;  // the accounts counter read before counting
    std::map<std::int64_t, std::int64_t> by_unit;
    std::chrono::steady_clock::time_point counted_at{};
    std::chrono::steady_clock::duration took{};
    bool counting = false;
  };
  std::mutex counts_mu_;
  std::map<std::int64_t, Counts> counts_;  // by contest
};

/// The audit actor for a signed-in person on a client.
audit::Actor ActorOf(const SignedIn& who, const ClientInfo& client);

/// The unit as JSON text, for audit entries.
std::string UnitAuditJson(const Unit& unit);

}  // namespace hoithi::accounts
