// Registrations checked against the units' staff lists, so that the participation a unit gets
// credit for (the PAR index) is its own staff's. With the contest's registration mode "roster",
// a self-registration that matches an entry of its unit's roster (the same phone; or the same
// name and date of birth when the roster has them) is active at once; one that does not waits:
//
//   pending  -- registered outside the roster: may sign in, may not take the quiz, not counted
//               for the unit                                    RegistrationService::Register
//   active   -- approved by the unit's focal point (or matched)  VerificationService::Decide
//   rejected -- refused by the focal point: cannot sign in       VerificationService::Decide
//
// The roster entries (roster_entries) are written by roster imports (accounts/roster.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "accounts/roster.hpp"
#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace hoithi::accounts {

enum class RegistrationStatus { kActive, kPending, kRejected };
std::string_view RegistrationStatusCode(RegistrationStatus s);  // "active", "pending", "rejected"

/// Whether a registration matches an entry of the unit's roster: the same phone, or the same
/// name (case, spacing and diacritics ignored) and date of birth ("dd/mm/yyyy") when given.
core::Result<bool> MatchesRoster(store::Connection& conn, std::int64_t unit_id,
                                 std::string_view phone, std::string_view full_name,
                                 std::string_view birth_date);

/// Records a unit's staff list (replacing the entries an earlier import of the unit made).
core::Status ReplaceRosterEntries(store::Connection& conn, std::int64_t contest_id,
                                  std::int64_t unit_id, const std::vector<RosterEntry>& entries,
                                  core::TimePoint now);

struct PendingRegistration {
  std::int64_t user_id = 0;
  std::string full_name;
  std::string phone;
  std::string position;
  core::TimePoint registered_at;
};

/// The unit's registrations waiting for its focal point, oldest first.
core::Result<std::vector<PendingRegistration>> ListPending(store::Connection& conn,
                                                           std::int64_t unit_id);

/// Registrations waiting per unit of the contest (unit id -> count), for the organisers.
core::Result<std::map<std::int64_t, std::int64_t>> CountPendingByUnit(store::Connection& conn,
                                                                      std::int64_t contest_id);

class VerificationService {
 public:
  VerificationService(store::Database& db, const core::Clock& clock);

  /// Approves (active) or rejects (rejected, signed out, cannot sign in) a pending registration
  /// of `unit_id`. kNotFound when the person is not a pending registration of that unit.
  void Decide(const audit::Actor& actor, std::int64_t unit_id, std::int64_t user_id, bool approve,
              core::Callback<RegistrationStatus> done);

 private:
  store::Database& db_;
  const core::Clock& clock_;
};

}  // namespace hoithi::accounts
