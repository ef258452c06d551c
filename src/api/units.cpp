// The unit endpoints; changes go through units::UnitService (the list) and
// accounts::StaffService (a member's password), which audit them.
#include "api/units.hpp"

#include "accounts/auth_service.hpp"
#include "accounts/users.hpp"
#include "api/common.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "units/units.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using nlohmann::json;

json UnitJson(const units::Unit& u) {
  return {{"code", u.code},
          {"name", u.name},
          {"group", u.group},
          {"group_label", std::string(units::UnitGroupLabel(u.group))},
          {"headcount", u.headcount ? json(*u.headcount) : json(nullptr)},
          {"contact_name", u.contact_name},
          {"contact_phone", u.contact_phone},
          {"contact_email", u.contact_email}};
}

core::Result<units::Unit> UnitFromJson(const json& body) {
  units::Unit u;
  const std::pair<const char*, std::string*> fields[] = {{"code", &u.code},
                                                         {"name", &u.name},
                                                         {"group", &u.group},
                                                         {"contact_name", &u.contact_name},
                                                         {"contact_phone", &u.contact_phone},
                                                         {"contact_email", &u.contact_email}};
  for (const auto& [key, target] : fields) {
    auto v = http::JsonString(body, key);
    if (!v) return std::move(v).error();
    *target = std::move(*v);
  }
  if (body.contains("headcount") && !body["headcount"].is_null()) {
    if (!body["headcount"].is_number_integer() || body["headcount"].get<long long>() < 0 ||
        body["headcount"].get<long long>() > 10000000) {
      return core::MakeError(core::ErrorKind::kValidation, "invalid_headcount",
                             "Số cán bộ phải là số nguyên không âm.", "headcount");
    }
    u.headcount = body["headcount"].get<int>();
  }
  return u;
}

core::Callback<units::Unit> AnswerUnit(http::Responder res, int status) {
  return [res, status](core::Result<units::Unit> r) {
    if (!r) return res.SendError(r.error());
    res.Send(JsonResponse(status, UnitJson(*r)));
  };
}

void CreateUnit(const UnitApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto unit = UnitFromJson(*body);
  if (!unit) return res.SendError(unit.error());
  deps.units.Create(http::ActorOf(req), contest->id, std::move(*unit), AnswerUnit(res, 201));
}

void GetUnit(const UnitApiDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps.db, deps.current, req);
  if (!unit) return res.SendError(unit.error());
  auto lease = deps.db.Read();
  auto counts = accounts::CountAccountsByUnit(*lease, unit->contest_id, "participant");
  if (!counts) return res.SendError(counts.error());
  auto j = UnitJson(*unit);
  const auto it = counts->find(unit->id);
  j["participants"] = it == counts->end() ? 0 : it->second;
  res.Send(JsonResponse(200, j));
}

void UpdateUnit(const UnitApiDeps& deps, http::Request& req, http::Responder res) {
  auto existing = UnitOf(deps.db, deps.current, req);
  if (!existing) return res.SendError(existing.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto unit = UnitFromJson(*body);
  if (!unit) return res.SendError(unit.error());
  unit->code = existing->code;  // the code names the unit; it does not change
  deps.units.Update(http::ActorOf(req), existing->contest_id, std::move(*unit),
                    AnswerUnit(res, 200));
}

void DeleteUnit(const UnitApiDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps.db, deps.current, req);
  if (!unit) return res.SendError(unit.error());
  deps.units.Delete(http::ActorOf(req), unit->contest_id, unit->code, [res](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(http::Response::NoContent());
  });
}

void ExportUnits(const UnitApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto lease = deps.db.Read();
  auto units = units::ListUnits(*lease, contest->id);
  if (!units) return res.SendError(units.error());
  auto file =
      spreadsheet::Encode(units::UnitSheet(*units), req.QueryParam("format").value_or("xlsx"));
  if (!file) return res.SendError(file.error());
  res.Send(http::Download(std::move(file->body), file->content_type,
                          "don-vi-" + contest->slug + std::string(file->extension)));
}

void ImportUnits(const UnitApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto file = http::UploadedFile(req);
  if (!file) return res.SendError(file.error());
  const auto options = ImportOptionsOf(req);
  deps.units.Import(http::ActorOf(req), contest->id, *file, options.dry_run, options.skip_invalid,
                    [res](core::Status st, spreadsheet::ImportReport report) {
                      res.Send(ImportResponse(st, report));
                    });
}

void ListMembers(const UnitApiDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps.db, deps.current, req);
  if (!unit) return res.SendError(unit.error());
  accounts::UserQuery q;
  q.contest_id = unit->contest_id;
  q.unit_id = unit->id;
  q.q = req.QueryParam("q").value_or("");
  if (const auto role = req.QueryParam("role"); role && !role->empty())
    q.role = accounts::ParseRole(*role);
  const auto paging = http::PageOf(req);
  q.page = paging.page;
  q.per_page = paging.per_page;
  auto lease = deps.db.Read();
  auto page = accounts::SearchUsers(*lease, q);
  if (!page) return res.SendError(page.error());
  json items = json::array();
  for (const auto& item : page->items) {
    const auto& u = item.user;
    items.push_back({{"id", u.id},
                     {"login", u.login},
                     {"full_name", u.full_name},
                     {"role", std::string(accounts::RoleCode(u.role))},
                     {"phone", u.phone},
                     {"email", u.email},
                     {"position", u.position},
                     {"active", u.active},
                     {"must_change_password", u.must_change_password}});
  }
  res.Send(JsonResponse(200, PageJson(items, page->total, page->page, page->per_page)));
}

void ResetMemberPassword(const UnitApiDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps.db, deps.current, req);
  if (!unit) return res.SendError(unit.error());
  const auto id = req.IdParam("id");
  {
    auto lease = deps.db.Read();
    auto user = id ? accounts::FindUserById(*lease, *id)
                   : core::Result<std::optional<accounts::User>>(std::optional<accounts::User>());
    if (!user) return res.SendError(user.error());
    if (!*user || (*user)->unit_id != unit->id) {
      return res.SendError(core::MakeError(core::ErrorKind::kNotFound, "not_found",
                                           "Không tìm thấy tài khoản trong đơn vị."));
    }
  }
  deps.staff.ResetPassword(Who(req), *id, ClientOf(req), [res](core::Result<std::string> r) {
    if (!r) return res.SendError(r.error());
    res.Send(JsonResponse(200, {{"initial_password", *r}}));
  });
}

void PendingRegistrations(const UnitApiDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps.db, deps.current, req);
  if (!unit) return res.SendError(unit.error());
  auto lease = deps.db.Read();
  auto pending = accounts::ListPending(*lease, unit->id);
  if (!pending) return res.SendError(pending.error());
  json items = json::array();
  for (const auto& p : *pending) {
    items.push_back({{"id", p.user_id},
                     {"full_name", p.full_name},
                     {"phone", p.phone},
                     {"position", p.position},
                     {"registered_at", core::FormatRfc3339(p.registered_at)}});
  }
  res.Send(JsonResponse(200, {{"items", items}}));
}

void Decide(const UnitApiDeps& deps, http::Request& req, http::Responder res, bool approve) {
  auto unit = UnitOf(deps.db, deps.current, req);
  if (!unit) return res.SendError(unit.error());
  deps.verification.Decide(
      http::ActorOf(req), unit->id, req.IdParam("id").value_or(0), approve,
      [res](core::Result<accounts::RegistrationStatus> r) {
        if (!r) return res.SendError(r.error());
        res.Send(
            JsonResponse(200, {{"status", std::string(accounts::RegistrationStatusCode(*r))}}));
      });
}

void ApproveRegistration(const UnitApiDeps& deps, http::Request& req, http::Responder res) {
  Decide(deps, req, std::move(res), true);
}

void RejectRegistration(const UnitApiDeps& deps, http::Request& req, http::Responder res) {
  Decide(deps, req, std::move(res), false);
}

}  // namespace

void RegisterUnitApi(http::Router& router, const UnitApiDeps& deps) {
  const auto admin = Access::Roles({Role::kAdmin});
  const auto staff = Access::Roles({Role::kAdmin, Role::kSecretary});
  const auto unit_staff = Access::Roles({Role::kAdmin, Role::kSecretary, Role::kFocalPoint});
  const auto unit_managers = Access::Roles({Role::kAdmin, Role::kFocalPoint});
  // Literal paths first: /units/export must not be read as the unit "export".
  router.Add(Method::kPost, "/api/v1/units", admin, Bind(deps, CreateUnit));
  router.Add(Method::kGet, "/api/v1/units/export", staff, Bind(deps, ExportUnits));
  router.Add(Method::kPost, "/api/v1/units/import", admin, Bind(deps, ImportUnits));
  router.Add(Method::kGet, "/api/v1/units/{unit}", unit_staff, Bind(deps, GetUnit));
  router.Add(Method::kPut, "/api/v1/units/{unit}", admin, Bind(deps, UpdateUnit));
  router.Add(Method::kDelete, "/api/v1/units/{unit}", admin, Bind(deps, DeleteUnit));
  router.Add(Method::kGet, "/api/v1/units/{unit}/members", unit_staff, Bind(deps, ListMembers));
  router.Add(Method::kPost, "/api/v1/units/{unit}/members/{id}/password-reset", unit_managers,
             Bind(deps, ResetMemberPassword));
  router.Add(Method::kGet, "/api/v1/units/{unit}/registrations", unit_staff,
             Bind(deps, PendingRegistrations));
  router.Add(Method::kPost, "/api/v1/units/{unit}/registrations/{id}/approve", unit_managers,
             Bind(deps, ApproveRegistration));
  router.Add(Method::kPost, "/api/v1/units/{unit}/registrations/{id}/reject", unit_managers,
             Bind(deps, RejectRegistration));
}

}  // namespace hoithi::api
