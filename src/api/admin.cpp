// Administration over JSON: accounts (/api/v1/users), the audit log (/api/v1/audit) and the
// contest's registration settings (/api/v1/contest/settings).
#include "api/admin.hpp"

#include "accounts/units.hpp"
#include "audit/audit_log.hpp"
#include "contest/settings.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/forms.hpp"

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

core::Result<accounts::UserPage> Search(const ApiDeps& deps, const http::Request& req,
                                        std::optional<std::int64_t> unit_id) {
  const auto& who = *http::ViewerOf(req).user;
  accounts::UserQuery q;
  if (who.contest_id) {
    q.contest_id = who.contest_id;
  } else if (const auto slug = req.QueryParam("contest"); slug && !slug->empty()) {
    auto contest = ContestFor(deps, *slug);
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
  std::tie(q.page, q.per_page) = Paging(req);
  auto lease = deps.db.Read();
  return accounts::SearchUsers(*lease, q);
}

void ListUsers(const ApiDeps& deps, http::Request& req, http::Responder res) {
  std::optional<std::int64_t> unit_id;
  if (const auto code = req.QueryParam("unit"); code && !code->empty()) {
    auto contest = WorkingContest(deps, req);
    if (!contest) return res.SendError(contest.error());
    auto lease = deps.db.Read();
    auto unit = accounts::FindUnitByCode(*lease, contest->id, *code);
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

void CreateUser(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto input = StaffInputFrom(*body);
  if (!input) return res.SendError(input.error());
  std::optional<std::int64_t> contest_id;
  if (input->role != Role::kAdmin || body->contains("contest")) {
    auto contest = WorkingContest(deps, req);
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

void GetUser(const ApiDeps& deps, http::Request& req, http::Responder res) {
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
    auto unit = accounts::FindUnitById(*lease, *(*user)->unit_id);
    if (unit && *unit) unit_code = (*unit)->code;
  }
  res.Send(JsonResponse(200, UserItemJson(**user, unit_code)));
}

void UpdateUser(const ApiDeps& deps, http::Request& req, http::Responder res) {
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
                        auto unit = accounts::FindUnitById(*lease, *r->unit_id);
                        if (unit && *unit) unit_code = (*unit)->code;
                      }
                      res.Send(JsonResponse(200, UserItemJson(*r, unit_code)));
                    });
}

void ResetPassword(const ApiDeps& deps, http::Request& req, http::Responder res) {
  const auto id = req.IdParam("id");
  if (!id) return res.SendError(UserNotFound());
  deps.staff.ResetPassword(*http::ViewerOf(req).user, *id, ClientOf(req),
                           [res](core::Result<std::string> r) {
                             if (!r) return res.SendError(r.error());
                             res.Send(JsonResponse(200, {{"initial_password", *r}}));
                           });
}

/// dd/mm/yyyy (local midnight) or RFC 3339.
std::optional<core::TimePoint> ParseWhen(const std::string& text, const std::string& tz) {
  if (auto t = core::ParseRfc3339(text)) return t;
  int d = 0, m = 0, y = 0;
  if (std::sscanf(text.c_str(), "%2d/%2d/%4d", &d, &m, &y) == 3) {
    return core::LocalToUtc(y, m, d, 0, 0, tz);
  }
  return std::nullopt;
}

void ListAudit(const ApiDeps& deps, http::Request& req, http::Responder res) {
  const auto& who = *http::ViewerOf(req).user;
  audit::Query q;
  std::string tz(core::kDefaultTimeZone);
  if (who.contest_id) {
    q.contest_id = who.contest_id;
  } else if (const auto slug = req.QueryParam("contest"); slug && !slug->empty()) {
    auto contest = ContestFor(deps, *slug);
    if (!contest) return res.SendError(contest.error());
    q.contest_id = contest->id;
    tz = contest->time_zone;
  }
  q.action_prefix = req.QueryParam("action").value_or("");
  q.actor = req.QueryParam("actor").value_or("");
  for (const auto& [key, target] :
       {std::pair<const char*, std::optional<core::TimePoint>*>{"from", &q.from}, {"to", &q.to}}) {
    const auto text = req.QueryParam(key).value_or("");
    if (text.empty()) continue;
    *target = ParseWhen(text, tz);
    if (!*target) {
      return res.SendError(core::MakeError(core::ErrorKind::kValidation, "invalid_date",
                                           "Ngày phải có dạng dd/mm/yyyy.", key));
    }
  }
  std::tie(q.page, q.per_page) = Paging(req);
  auto lease = deps.db.Read();
  auto page = audit::Search(*lease, q);
  if (!page) return res.SendError(page.error());
  json items = json::array();
  auto parsed = [](const std::optional<std::string>& text) {
    if (!text) return json(nullptr);
    auto j = json::parse(*text, nullptr, false);
    return j.is_discarded() ? json(*text) : j;
  };
  for (const auto& row : page->rows) {
    items.push_back({{"id", row.id},
                     {"at", core::FormatRfc3339(row.at)},
                     {"actor", row.actor},
                     {"actor_id", row.actor_id ? json(*row.actor_id) : json(nullptr)},
                     {"ip", row.ip},
                     {"action", row.action},
                     {"action_label", std::string(audit::ActionLabel(row.action))},
                     {"target_type", row.target_type},
                     {"target_id", row.target_id},
                     {"before", parsed(row.before_json)},
                     {"after", parsed(row.after_json)}});
  }
  res.Send(JsonResponse(200, PageJson(items, page->total, page->page, page->per_page)));
}

json SettingsJson(const contest::Settings& s) {
  json fields = json::array();
  for (const auto& f : s.registration_fields) {
    fields.push_back({{"key", f.key},
                      {"label", f.label},
                      {"kind", std::string(contest::FieldKindCode(f.kind))},
                      {"required", f.required},
                      {"unique", f.unique}});
  }
  return {{"registration", {{"fields", fields}}}};
}

void GetSettings(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto settings = contest::ParseSettings(contest->settings_json);
  if (!settings) return res.SendError(settings.error());
  res.Send(JsonResponse(200, SettingsJson(*settings)));
}

void PutRegistrationSettings(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  // The body is the "registration" section: {"fields": [...]}.
  auto parsed = contest::ParseSettings(json{{"registration", *body}}.dump());
  if (!parsed) return res.SendError(parsed.error());
  const auto actor = accounts::ActorOf(*http::ViewerOf(req).user, ClientOf(req));
  const auto now = deps.clock.Now();
  deps.db.Write(
      [contest = *contest, fields = parsed->registration_fields, actor, now](store::Connection& c) {
        return contest::SaveRegistrationFields(c, contest, fields, actor, now);
      },
      [deps, res, settings = *parsed](const core::Status& st) {
        if (!st) return res.SendError(st.error());
        deps.current.Invalidate();
        res.Send(JsonResponse(200, SettingsJson(settings)));
      });
}

}  // namespace

void RegisterAdminApi(http::Router& router, const ApiDeps& deps) {
  auto bind = [deps](void (*fn)(const ApiDeps&, http::Request&, http::Responder)) {
    return [deps, fn](http::Request& req, http::Responder res) { fn(deps, req, std::move(res)); };
  };
  const auto admin = Access::Roles({Role::kAdmin});
  router.Add(Method::kGet, "/api/v1/users", admin, bind(ListUsers));
  router.Add(Method::kPost, "/api/v1/users", admin, bind(CreateUser));
  router.Add(Method::kGet, "/api/v1/users/{id}", admin, bind(GetUser));
  router.Add(Method::kPatch, "/api/v1/users/{id}", admin, bind(UpdateUser));
  router.Add(Method::kPost, "/api/v1/users/{id}/password-reset", admin, bind(ResetPassword));
  router.Add(Method::kGet, "/api/v1/audit", admin, bind(ListAudit));
  router.Add(Method::kGet, "/api/v1/contest/settings",
             Access::Roles({Role::kAdmin, Role::kSecretary}), bind(GetSettings));
  router.Add(Method::kPut, "/api/v1/contest/settings/registration", admin,
             bind(PutRegistrationSettings));
}

void RegisterRouteList(http::Router& router, std::function<const http::Router&()> routes) {
  router.Add(
      Method::kGet, "/api/v1/routes", Access::Roles({Role::kAdmin}),
      [routes](http::Request&, http::Responder res) {
        json items = json::array();
        for (const auto& r : routes().routes()) {
          json access;
          switch (r.access.who) {
            case Access::Who::kAnyone:
              access = "anyone";
              break;
            case Access::Who::kSignedIn:
              access = "signed_in";
              break;
            case Access::Who::kRoles:
              access = json::array();
              for (auto role : r.access.roles)
                access.push_back(accounts::RoleCode(role));
              break;
          }
          items.push_back({{"method", std::string(http::MethodName(r.method))},
                           {"path", r.pattern},
                           {"access", access},
                           {"own_unit_only", r.pattern.find("{unit}") != std::string::npos}});
        }
        res.Send(JsonResponse(200, {{"routes", items}}));
      });
}

}  // namespace hoithi::api
