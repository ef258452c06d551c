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

core::Result<contest::Contest> ContestFor(const ApiDeps& deps, const std::string& slug) {
  if (slug.empty()) {
    if (auto c = deps.current.Get()) return *c;
  } else {
    auto lease = deps.db.Read();
    auto found = contest::FindContestBySlug(*lease, slug);
    if (!found) return std::move(found).error();
    if (*found) return **found;
  }
  return core::MakeError(core::ErrorKind::kNotFound, "no_contest",
                         slug.empty() ? "Chưa có hội thi nào." : "Không có hội thi với mã này.",
                         "contest");
}

core::Result<contest::Contest> WorkingContest(const ApiDeps& deps, const http::Request& request) {
  const auto& who = http::ViewerOf(request).user;
  if (who && who->contest_id) {
    if (auto c = deps.current.For(who->contest_id)) return *c;
    return core::MakeError(core::ErrorKind::kNotFound, "no_contest", "Không tìm thấy hội thi.");
  }
  return ContestFor(deps, request.QueryParam("contest").value_or(""));
}

std::pair<int, int> Paging(const http::Request& request) {
  auto number = [&](const char* key, int fallback, int max) {
    const auto v = request.QueryParam(key);
    if (!v || v->empty() || v->size() > 6 ||
        v->find_first_not_of("0123456789") != std::string::npos) {
      return fallback;
    }
    return std::clamp(std::stoi(*v), 1, max);
  };
  return {number("page", 1, 1000000), number("per_page", 50, 500)};
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
