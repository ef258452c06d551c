// Rosters: a unit's staff list (.xlsx or .csv with họ tên, số điện thoại, email, chức vụ, ngày
// sinh) kept as the unit's roster entries (what registrations are checked against, and the
// headcount) and, unless the focal point chooses to keep only the list, turned into participant
// accounts. CheckRoster reads and checks every row (a preview, nothing written); ImportRoster, run
// as a background job, gives each person an initial password, creates every account in one
// transaction (all or nothing), records the entries, sets the unit's headcount, and returns the
// initial passwords sealed, to be shown once and exported as .xlsx for the unit.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "accounts/password.hpp"
#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "store/database.hpp"

namespace hoithi::accounts {

inline constexpr std::string_view kRosterJobKind = "roster_import";

struct RosterEntry {
  int row = 0;
  std::string full_name;
  std::string phone;
  std::string email;
  std::string position;
  std::string birth_date;  // "dd/mm/yyyy", or empty when the file has none
};

struct RosterRejection {
  int row = 0;
  std::string reason;  // Vietnamese
};

struct RosterCheck {
  int data_rows = 0;
  std::vector<RosterEntry> accepted;
  std::vector<RosterRejection> rejected;
  int already_registered = 0;  // rejected because the phone has an account: still staff
};

/// Reads the header (columns in any order; Vietnamese or English names, with or without
/// diacritics) and checks every row: name, phone, e-mail, position, phones repeated in the file
/// and phones that already have an account in the contest. kValidation "bad_header" when the
/// name or phone column is missing.
/// With `create_accounts` false (only the list is kept), a phone that already has an account is
/// no problem: that person is on the staff all the same.
core::Result<RosterCheck> CheckRoster(store::Connection& conn, std::int64_t contest_id,
                                      const std::vector<spreadsheet::Row>& rows,
                                      bool create_accounts = true);

/// What the person is shown of the check: {"rows", "valid", "already_registered", "rejected":
/// [{"row", "reason"}]}. Stored with the draft and kept in the finished job's result, so that
/// the job's page tells what the file held before and after the import.
nlohmann::json RosterPreview(const RosterCheck& check);

/// The job payload for importing `check.accepted` into `unit_id` (its preview included).
std::string RosterPayload(std::int64_t contest_id, std::int64_t unit_id, const RosterCheck& check,
                          const audit::Actor& actor, bool create_accounts = true);

/// Runs the import described by `payload` (see the file comment). `progress(done, total)` is
/// called as passwords are hashed. `still_held`, when given, runs first in the transaction that
/// creates the accounts (jobs::CheckClaim), so that a run whose job was taken over creates
/// nothing. On any failure nothing is created.
core::Result<std::string> ImportRoster(
    store::Database& db, const core::Clock& clock, const PasswordCost& cost,
    std::string_view seal_key, const std::string& payload,
    const std::function<void(int, int)>& progress,
    const std::function<core::Status(store::Connection&)>& still_held = {});

struct InitialPassword {
  int row = 0;
  std::string full_name;
  std::string login;
  std::string password;
};

/// The initial passwords in a finished import's result; kNotFound "passwords_forgotten" once
/// they were dropped.
core::Result<std::vector<InitialPassword>> UnsealPasswords(std::string_view result_json,
                                                           std::string_view seal_key);

/// The initial passwords as an .xlsx workbook for the unit.
core::Result<std::string> InitialPasswordsXlsx(const std::vector<InitialPassword>& passwords);

/// The result without its sealed passwords.
std::string ForgetPasswords(std::string_view result_json);

/// A readable random password of 12 characters in 3 groups ("k7pm-x3qa-9fhe"), without look-alike
/// characters.
std::string GeneratePassword();

}  // namespace hoithi::accounts
