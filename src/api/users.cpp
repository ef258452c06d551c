// The account endpoints; every change goes through accounts::StaffService, which audits it.
#include "api/users.hpp"

#include "api/common.hpp"
#include "http/auth_gate.hpp"
#include "http/forms.hpp"
#include "units/units.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using nlohmann::json;

json UserItemJson(const accounts::User& u, const std::string& unit_code) {
  return {{"id", u.id},
          {"login", u.login},
          {"full_name", u.full_name},
          {"role", std::string(accounts::RoleCode(u.role))},
          {"role_label", std::string(accounts::RoleLabel(u.role))},
          {"unit_code", unit_code.empty() ? json(nullptr) : json(unit_code)},
          {"phone", u.phone},
          {"email", u.email},
          {"position", u.position},
          {"active", u.active},
          {"must_change_password", u.must_change_password}};
}

core::Result<accounts::UserPage> Search(const UserApiDeps& deps, const http::Request& req,
                                        std::optional<std::int64_t> unit_id) {
  const auto& who = *http::ViewerOf(req).user;
  accounts::UserQuery q;
  if (who.contest_id) {
    q.contest_id = who.contest_id;
  } else if (const auto slug = req.QueryParam("contest"); slug && !slug->empty()) {
    auto contest = deps.current.Named(*slug);
    if (!contest) return std::move(contest).error();
    q.contest_id = contest->id;
    q.include_global = true;
  }
  q.q = req.QueryParam("q").value_or("");
  if (const auto role = req.QueryParam("role"); role && !role->empty()) {
    q.role = accounts::ParseRole(*role);
    if (!q.role) {
      return core::MakeError(core::ErrorKind::kValidation, "invalid_role", "Vai trò không hợp lệ.",
                             "role");
    }
  }
  q.unit_id = unit_id;
  const auto paging = http::PageOf(req);
  q.page = paging.page;
  q.per_page = paging.per_page;
  auto lease = deps.db.Read();
  return accounts::SearchUsers(*lease, q);
}

void ListUsers(const UserApiDeps& deps, http::Request& req, http::Responder res) {
  std::optional<std::int64_t> unit_id;
  if (const auto code = req.QueryParam("unit"); code && !code->empty()) {
    auto contest = WorkingContest(deps.current, req);
    if (!contest) return res.SendError(contest.error());
    auto lease = deps.db.Read();
    auto unit = units::FindUnitByCode(*lease, contest->id, *code);
    if (!unit) return res.SendError(unit.error());
    unit_id = *unit ? (*unit)->id : -1;
  }
  auto page = Search(deps, req, unit_id);
  if (!page) return res.SendError(page.error());
  json items = json::array();
  for (const auto& item : page->items)
    items.push_back(UserItemJson(item.user, item.unit_code));
  res.Send(JsonResponse(200, PageJson(items, page->total, page->page, page->per_page)));
}

core::Result<accounts::StaffInput> StaffInputFrom(const json& body) {
  accounts::StaffInput in;
  const std::pair<const char*, std::string*> fields[] = {
      {"login", &in.login},      {"full_name", &in.full_name}, {"unit_code", &in.unit_code},
      {"phone", &in.phone},      {"email", &in.email},         {"position", &in.position},
      {"password", &in.password}};
  for (const auto& [key, target] : fields) {
    auto v = http::JsonString(body, key);
    if (!v) return std::move(v).error();
    *target = std::move(*v);
  }
  auto role = http::JsonString(body, "role");
  if (!role) return std::move(role).error();
  const auto parsed = accounts::ParseRole(*role);
  if (!parsed) {
    return core::MakeError(core::ErrorKind::kValidation, "invalid_role",
                           "Vai trò phải là một trong: admin, secretary, judge, focal_point, "
                           "participant.",
                           "role");
  }
  in.role = *parsed;
  return in;
}

void CreateUser(const UserApiDeps& deps, http::Request& req, http::Responder res) {
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto input = StaffInputFrom(*body);
  if (!input) return res.SendError(input.error());
  std::optional<std::int64_t> contest_id;
  if (input->role != Role::kAdmin || body->contains("contest")) {
    auto contest = WorkingContest(deps.current, req);
    if (!contest) return res.SendError(contest.error());
    contest_id = contest->id;
  }
  deps.staff.Create(*http::ViewerOf(req).user, contest_id, std::move(*input), ClientOf(req),
                    [res](core::Result<accounts::CreatedUser> r) {
                      if (!r) return res.SendError(r.error());
                      json j = {{"id", r->user_id}, {"login", r->login}};
                      if (!r->initial_password.empty()) j["initial_password"] = r->initial_password;
                      res.Send(JsonResponse(201, j));
                    });
}

core::Error UserNotFound() {
  return core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy tài khoản.");
}

void GetUser(const UserApiDeps& deps, http::Request& req, http::Responder res) {
  const auto id = req.IdParam("id");
  if (!id) return res.SendError(UserNotFound());
  auto lease = deps.db.Read();
  auto user = accounts::FindUserById(*lease, *id);
  if (!user) return res.SendError(user.error());
  if (!*user)
    return res.SendError(
        core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy tài khoản."));
  if (auto st = accounts::StaffService::CheckScope(*http::ViewerOf(req).user, **user); !st) {
    return res.SendError(st.error());
  }
  std::string unit_code;
  if ((*user)->unit_id) {
    auto unit = units::FindUnitById(*lease, *(*user)->unit_id);
    if (unit && *unit) unit_code = (*unit)->code;
  }
  res.Send(JsonResponse(200, UserItemJson(**user, unit_code)));
}

void UpdateUser(const UserApiDeps& deps, http::Request& req, http::Responder res) {
  const auto id = req.IdParam("id");
  if (!id) return res.SendError(UserNotFound());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  accounts::UserPatch patch;
  for (const auto& [key, target] :
       {std::pair<const char*, std::optional<std::string>*>{"unit_code", &patch.unit_code},
        {"full_name", &patch.full_name},
        {"email", &patch.email},
        {"position", &patch.position}}) {
    if (!body->contains(key)) continue;
    auto v = http::JsonString(*body, key);
    if (!v) return res.SendError(v.error());
    *target = std::move(*v);
  }
  if (body->contains("role")) {
    auto role = http::JsonString(*body, "role");
    if (!role) return res.SendError(role.error());
    patch.role = accounts::ParseRole(*role);
    if (!patch.role) {
      return res.SendError(core::MakeError(core::ErrorKind::kValidation, "invalid_role",
                                           "Vai trò không hợp lệ.", "role"));
    }
  }
  if (body->contains("active")) {
    if (!(*body)["active"].is_boolean()) {
      return res.SendError(core::MakeError(core::ErrorKind::kBadRequest, "invalid_type",
                                           "Trường active phải là true hoặc false.", "active"));
    }
    patch.active = (*body)["active"].get<bool>();
  }
  deps.staff.Update(*http::ViewerOf(req).user, *id, std::move(patch), ClientOf(req),
                    [deps, res](core::Result<accounts::User> r) {
                      if (!r) return res.SendError(r.error());
                      std::string unit_code;
                      if (r->unit_id) {
                        auto lease = deps.db.Read();
                        auto unit = units::FindUnitById(*lease, *r->unit_id);
                        if (unit && *unit) unit_code = (*unit)->code;
                      }
                      res.Send(JsonResponse(200, UserItemJson(*r, unit_code)));
                    });
}

void ResetPassword(const UserApiDeps& deps, http::Request& req, http::Responder res) {
  const auto id = req.IdParam("id");
  if (!id) return res.SendError(UserNotFound());
  deps.staff.ResetPassword(*http::ViewerOf(req).user, *id, ClientOf(req),
                           [res](core::Result<std::string> r) {
                             if (!r) return res.SendError(r.error());
                             res.Send(JsonResponse(200, {{"initial_password", *r}}));
                           });
}

}  // namespace

void RegisterUserApi(http::Router& router, const UserApiDeps& deps) {
  const auto admin = Access::Roles({Role::kAdmin});
  router.Add(Method::kGet, "/api/v1/users", admin, Bind(deps, ListUsers));
  router.Add(Method::kPost, "/api/v1/users", admin, Bind(deps, CreateUser));
  router.Add(Method::kGet, "/api/v1/users/{id}", admin, Bind(deps, GetUser));
  router.Add(Method::kPatch, "/api/v1/users/{id}", admin, Bind(deps, UpdateUser));
  router.Add(Method::kPost, "/api/v1/users/{id}/password-reset", admin, Bind(deps, ResetPassword));
}

}  // namespace hoithi::api
