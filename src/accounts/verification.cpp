// Roster entries, the match of a registration against them, and the focal point's decisions.
#include "accounts/verification.hpp"

#include <nlohmann/json.hpp>

#include "accounts/audit_actions.hpp"
#include "accounts/sessions.hpp"
#include "core/text.hpp"

namespace hoithi::accounts {

std::string_view RegistrationStatusCode(RegistrationStatus s) {
  switch (s) {
    case RegistrationStatus::kActive:
      return "active";
    case RegistrationStatus::kPending:
      return "pending";
    case RegistrationStatus::kRejected:
      return "rejected";
  }
  return "active";
}

core::Result<bool> MatchesRoster(store::Connection& conn, std::int64_t unit_id,
                                 std::string_view phone, std::string_view full_name,
                                 std::string_view birth_date) {
  if (!phone.empty()) {
    auto n = store::QueryInt(
        conn, "SELECT COUNT(*) FROM roster_entries WHERE unit_id = $1 AND phone = $2",
        {unit_id, phone});
    if (!n) return std::move(n).error();
    if (n->value_or(0) > 0) return true;
  }
  if (!full_name.empty() && !birth_date.empty()) {
    auto n = store::QueryInt(conn,
                             "SELECT COUNT(*) FROM roster_entries WHERE unit_id = $1 AND"
                             " name_key = $2 AND birth_date = $3",
                             {unit_id, core::FoldForSearch(full_name), birth_date});
    if (!n) return std::move(n).error();
    if (n->value_or(0) > 0) return true;
  }
  return false;
}

core::Status ReplaceRosterEntries(store::Connection& conn, std::int64_t contest_id,
                                  std::int64_t unit_id, const std::vector<RosterEntry>& entries,
                                  core::TimePoint now) {
  HOITHI_TRY(conn.Exec("DELETE FROM roster_entries WHERE unit_id = $1", {unit_id}));
  for (const auto& e : entries) {
    HOITHI_TRY(conn.Exec(
        "INSERT INTO roster_entries (contest_id, unit_id, full_name, name_key, phone, birth_date,"
        " position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {contest_id, unit_id, e.full_name, core::FoldForSearch(e.full_name), e.phone, e.birth_date,
         e.position, core::ToEpochMs(now)}));
  }
  return core::Ok();
}

core::Result<std::vector<PendingRegistration>> ListPending(store::Connection& conn,
                                                           std::int64_t unit_id) {
  std::vector<PendingRegistration> out;
  HOITHI_TRY(conn.Query(
      "SELECT id, full_name, phone, position, created_at FROM users WHERE unit_id = $1 AND"
      " role = 'participant' AND registration_status = 'pending' ORDER BY created_at, id",
      {unit_id}, [&](const store::Row& r) {
        out.push_back({r.Int(0), r.Str(1), r.Str(2), r.Str(3), core::FromEpochMs(r.Int(4))});
      }));
  return out;
}

core::Result<std::map<std::int64_t, std::int64_t>> CountPendingByUnit(store::Connection& conn,
                                                                      std::int64_t contest_id) {
  std::map<std::int64_t, std::int64_t> out;
  HOITHI_TRY(conn.Query(
      "SELECT unit_id, COUNT(*) FROM users WHERE contest_id = $1 AND role = 'participant' AND"
      " registration_status = 'pending' AND unit_id IS NOT NULL GROUP BY unit_id",
      {contest_id}, [&](const store::Row& r) { out[r.Int(0)] = r.Int(1); }));
  return out;
}

VerificationService::VerificationService(store::Database& db, const core::Clock& clock)
    : db_(db), clock_(clock) {}

void VerificationService::Decide(const audit::Actor& actor, std::int64_t unit_id,
                                 std::int64_t user_id, bool approve,
                                 core::Callback<RegistrationStatus> done) {
  const auto now = clock_.Now();
  const auto status = approve ? RegistrationStatus::kActive : RegistrationStatus::kRejected;
  db_.Write(
      [=](store::Connection& c) -> core::Status {
        std::optional<std::int64_t> contest_id;
        std::string name;
        HOITHI_TRY(
            c.Query("SELECT contest_id, full_name FROM users WHERE id = $1 AND unit_id = $2 AND"
                    " role = 'participant' AND registration_status = 'pending'",
                    {user_id, unit_id}, [&](const store::Row& r) {
                      contest_id = r.OptInt(0);
                      name = r.Str(1);
                    }));
        if (!contest_id) {
          return core::MakeError(core::ErrorKind::kNotFound, "not_found",
                                 "Không tìm thấy đăng ký đang chờ xác nhận của đơn vị.");
        }
        auto r = c.Exec(
            approve
                ? "UPDATE users SET registration_status = 'active', updated_at = $2 WHERE id = $1"
                : "UPDATE users SET registration_status = 'rejected', status = 'disabled',"
                  " updated_at = $2 WHERE id = $1",
            {user_id, core::ToEpochMs(now)});
        if (!r) return std::move(r).error();
        if (!approve) {
          auto revoked = RevokeUserSessions(c, user_id, now);
          if (!revoked) return std::move(revoked).error();
        }
        return audit::Record(
            c, actor,
            audit::Entry{contest_id,
                         approve ? actions::kRegistrationApprove : actions::kRegistrationReject,
                         "user", std::to_string(user_id),
                         nlohmann::json{{"full_name", name}, {"status", "pending"}}.dump(),
                         nlohmann::json{{"full_name", name},
                                        {"status", std::string(RegistrationStatusCode(status))}}
                             .dump()},
            now);
      },
      [status, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(status);
      });
}

}  // namespace hoithi::accounts
