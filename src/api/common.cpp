// Shared JSON helpers of the API.
#include "api/common.hpp"

#include "accounts/roles.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"

namespace hoithi::api {

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

http::Response JsonResponse(int status, const nlohmann::json& body) {
  return http::Response::Json(status, Dump(body));
}

nlohmann::json UserJson(const accounts::SignedIn& who) {
  nlohmann::json j = {{"id", who.user_id},
                      {"login", who.login},
                      {"role", std::string(accounts::RoleCode(who.role))},
                      {"full_name", who.full_name},
                      {"must_change_password", who.must_change_password}};
  j["unit_code"] = who.unit_code.empty() ? nlohmann::json(nullptr) : nlohmann::json(who.unit_code);
  j["contest_id"] = who.contest_id ? nlohmann::json(*who.contest_id) : nlohmann::json(nullptr);
  return j;
}

core::Result<contest::Contest> WorkingContest(contest::CurrentContestCache& current,
                                              const http::Request& request) {
  const auto& who = http::ViewerOf(request).user;
  return current.Working(who ? who->contest_id : std::nullopt,
                         request.QueryParam("contest").value_or(""));
}

core::Result<units::Unit> UnitOf(store::Database& db, contest::CurrentContestCache& current,
                                 const http::Request& request) {
  auto contest = WorkingContest(current, request);
  if (!contest) return std::move(contest).error();
  auto lease = db.Read();
  auto unit = units::FindUnitByCode(*lease, contest->id, request.Param("unit"));
  if (!unit) return std::move(unit).error();
  if (!*unit) {
    return core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy đơn vị.");
  }
  return **unit;
}

nlohmann::json PageJson(nlohmann::json items, std::int64_t total, int page, int per_page) {
  return {{"items", std::move(items)}, {"total", total}, {"page", page}, {"per_page", per_page}};
}

http::Response ImportResponse(const core::Status& status, const spreadsheet::ImportReport& report) {
  nlohmann::json rejected = nlohmann::json::array();
  for (const auto& [row, reason] : report.rejected)
    rejected.push_back({{"row", row}, {"reason", reason}});
  nlohmann::json body = {{"rows", report.rows},
                         {"valid", report.valid},
                         {"saved", report.saved},
                         {"rejected", rejected}};
  if (!status) return http::ErrorResponseJsonWith(status.error(), {{"report", body}});
  return JsonResponse(200, body);
}

ImportOptions ImportOptionsOf(const http::Request& request) {
  return {request.QueryParam("dry_run").value_or("") == "true",
          request.QueryParam("skip_invalid").value_or("") == "true"};
}

}  // namespace hoithi::api
