// Writing audit entries.
#include "audit/audit_log.hpp"

namespace hoithi::audit {
namespace {
constexpr std::string_view kInsert =
    "INSERT INTO audit_log (contest_id, at, actor_id, actor, ip, action, target_type, target_id,"
    " before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
}

core::Status Record(store::Connection& conn, const Actor& actor, const Entry& entry,
                    core::TimePoint at) {
  auto r = conn.Exec(kInsert, {entry.contest_id, core::ToEpochMs(at), actor.user_id, actor.label,
                               actor.ip, entry.action, entry.target_type, entry.target_id,
                               entry.before_json, entry.after_json});
  if (!r) return std::move(r).error();
  return core::Ok();
}

}  // namespace hoithi::audit
