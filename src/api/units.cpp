// Units over JSON: the admin's CRUD, import and export of the unit list; a unit's members; roster
// imports (a draft job with its preview, then confirmation) and the jobs that run them.
#include "api/units.hpp"

#include "accounts/roster.hpp"
#include "accounts/units.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"
#include "jobs/queue.hpp"
#include "spreadsheet/spreadsheet.hpp"

namespace hoithi::api {
namespace {

using http::Who;

using accounts::Role;
using http::Access;
using http::Method;
using nlohmann::json;

json UnitJson(const accounts::Unit& u) {
  return {{"code", u.code},
          {"name", u.name},
          {"group", u.group},
          {"group_label", std::string(accounts::UnitGroupLabel(u.group))},
          {"headcount", u.headcount ? json(*u.headcount) : json(nullptr)},
          {"contact_name", u.contact_name},
          {"contact_phone", u.contact_phone},
          {"contact_email", u.contact_email}};
}

core::Error UnitNotFound() {
  return core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy đơn vị.");
}

/// The unit of the {unit} parameter in the contest the request works in.
core::Result<accounts::Unit> UnitOf(const ApiDeps& deps, const http::Request& req) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return std::move(contest).error();
  auto lease = deps.db.Read();
  auto unit = accounts::FindUnitByCode(*lease, contest->id, req.Param("unit"));
  if (!unit) return std::move(unit).error();
  if (!*unit) return UnitNotFound();
  return **unit;
}

core::Result<accounts::Unit> UnitFromJson(const json& body) {
  accounts::Unit u;
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

accounts::Callback<accounts::Unit> AnswerUnit(http::Responder res, int status) {
  return [res, status](core::Result<accounts::Unit> r) {
    if (!r) return res.SendError(r.error());
    res.Send(JsonResponse(status, UnitJson(*r)));
  };
}

void CreateUnit(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto unit = UnitFromJson(*body);
  if (!unit) return res.SendError(unit.error());
  deps.units.Create(Who(req), ClientOf(req), contest->id, std::move(*unit), AnswerUnit(res, 201));
}

void GetUnit(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  auto lease = deps.db.Read();
  auto counts = accounts::CountAccountsByUnit(*lease, unit->contest_id, "participant");
  if (!counts) return res.SendError(counts.error());
  auto j = UnitJson(*unit);
  const auto it = counts->find(unit->id);
  j["participants"] = it == counts->end() ? 0 : it->second;
  res.Send(JsonResponse(200, j));
}

void UpdateUnit(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto existing = UnitOf(deps, req);
  if (!existing) return res.SendError(existing.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto unit = UnitFromJson(*body);
  if (!unit) return res.SendError(unit.error());
  unit->code = existing->code;  // the code names the unit; it does not change
  deps.units.Update(Who(req), ClientOf(req), existing->contest_id, std::move(*unit),
                    AnswerUnit(res, 200));
}

void DeleteUnit(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  deps.units.Delete(Who(req), ClientOf(req), unit->contest_id, unit->code, [res](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(http::Response::NoContent());
  });
}

http::Response FileResponse(std::string body, std::string_view content_type,
                            const std::string& filename) {
  http::Response r;
  r.content_type = std::string(content_type);
  r.body = std::move(body);
  r.With("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return r;
}

void ExportUnits(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto lease = deps.db.Read();
  auto units = accounts::ListUnits(*lease, contest->id);
  if (!units) return res.SendError(units.error());
  spreadsheet::Sheet sheet;
  sheet.name = "Don vi";
  sheet.header = accounts::UnitColumns();
  sheet.widths = {24, 48, 22, 12, 28, 18, 30};
  for (const auto& u : *units) {
    sheet.rows.push_back({u.code, u.name, u.group,
                          u.headcount ? spreadsheet::Cell(static_cast<long long>(*u.headcount))
                                      : spreadsheet::Cell(std::string()),
                          u.contact_name, u.contact_phone, u.contact_email});
  }
  if (req.QueryParam("format").value_or("xlsx") == "csv") {
    return res.Send(FileResponse(spreadsheet::WriteCsv(sheet), spreadsheet::kCsvContentType,
                                 "don-vi-" + contest->slug + ".csv"));
  }
  auto xlsx = spreadsheet::WriteXlsx(sheet);
  if (!xlsx) return res.SendError(xlsx.error());
  res.Send(FileResponse(std::move(*xlsx), spreadsheet::kXlsxContentType,
                        "don-vi-" + contest->slug + ".xlsx"));
}

void ImportUnits(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto file = http::UploadedFile(req);
  if (!file) return res.SendError(file.error());
  const auto options = ImportOptionsOf(req);
  deps.units.Import(Who(req), ClientOf(req), contest->id, *file, options.dry_run,
                    options.skip_invalid, [res](core::Status st, spreadsheet::ImportReport report) {
                      res.Send(ImportResponse(st, report));
                    });
}

void ListMembers(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  accounts::UserQuery q;
  q.contest_id = unit->contest_id;
  q.unit_id = unit->id;
  q.q = req.QueryParam("q").value_or("");
  if (const auto role = req.QueryParam("role"); role && !role->empty())
    q.role = accounts::ParseRole(*role);
  std::tie(q.page, q.per_page) = Paging(req);
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

void ResetMemberPassword(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
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

json RosterReport(const accounts::RosterCheck& check) {
  json rejected = json::array();
  for (const auto& r : check.rejected)
    rejected.push_back({{"row", r.row}, {"reason", r.reason}});
  return {{"rows", check.data_rows},
          {"valid", check.accepted.size()},
          {"already_registered", check.already_registered},
          {"rejected", rejected}};
}

void UploadRoster(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  auto file = http::UploadedFile(req);
  if (!file) return res.SendError(file.error());
  deps.rosters.Upload(
      Who(req), ClientOf(req), *unit, *file, [res](core::Result<accounts::RosterDraft> r) {
        if (!r) return res.SendError(r.error());
        res.Send(JsonResponse(
            201, {{"job_id", r->job_id}, {"status", "draft"}, {"report", RosterReport(r->check)}}));
      });
}

void GetJob(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto job = deps.rosters.Find(Who(req), req.IdParam("id").value_or(0));
  if (!job) return res.SendError(job.error());
  json j = {{"id", job->id},
            {"kind", job->kind},
            {"status", std::string(jobs::StatusCode(job->status))},
            {"status_label", std::string(jobs::StatusLabel(job->status))},
            {"progress", {{"done", job->progress_done}, {"total", job->progress_total}}},
            {"created_at", core::FormatRfc3339(job->created_at)}};
  auto result = json::parse(job->result.empty() ? "{}" : job->result, nullptr, false);
  if (!result.is_discarded()) {
    result.erase("sealed_passwords");
    j["result"] = result;
  }
  if (!job->error.empty()) j["error"] = job->error;
  res.Send(JsonResponse(200, j));
}

void StartJob(const ApiDeps& deps, http::Request& req, http::Responder res) {
  bool skip_invalid = false;
  if (!req.body.empty()) {
    auto body = http::JsonBody(req);
    if (!body) return res.SendError(body.error());
    skip_invalid = body->value("skip_invalid", false);
  }
  const auto id = req.IdParam("id").value_or(0);
  deps.rosters.Start(Who(req), id, skip_invalid, [res, id](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(JsonResponse(202, {{"id", id}, {"status", "queued"}}));
  });
}

void CancelJob(const ApiDeps& deps, http::Request& req, http::Responder res) {
  deps.rosters.Cancel(Who(req), req.IdParam("id").value_or(0), [res](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(http::Response::NoContent());
  });
}

void GetPasswords(const ApiDeps& deps, http::Request& req, http::Responder res) {
  const auto id = req.IdParam("id").value_or(0);
  const bool xlsx = req.QueryParam("format").value_or("json") == "xlsx";
  deps.rosters.Passwords(
      Who(req), ClientOf(req), id,
      [res, xlsx, id](core::Result<std::vector<accounts::InitialPassword>> r) {
        if (!r) return res.SendError(r.error());
        if (!xlsx) {
          json items = json::array();
          for (const auto& p : *r) {
            items.push_back({{"row", p.row},
                             {"full_name", p.full_name},
                             {"login", p.login},
                             {"initial_password", p.password}});
          }
          return res.Send(JsonResponse(200, {{"items", items}}));
        }
        auto file = accounts::InitialPasswordsXlsx(*r);
        if (!file) return res.SendError(file.error());
        res.Send(FileResponse(std::move(*file), spreadsheet::kXlsxContentType,
                              "mat-khau-ban-dau-" + std::to_string(id) + ".xlsx"));
      });
}

void ForgetPasswords(const ApiDeps& deps, http::Request& req, http::Responder res) {
  deps.rosters.ForgetPasswords(Who(req), req.IdParam("id").value_or(0), [res](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(http::Response::NoContent());
  });
}

}  // namespace

void RegisterUnitApi(http::Router& router, const ApiDeps& deps) {
  auto bind = [deps](void (*fn)(const ApiDeps&, http::Request&, http::Responder)) {
    return [deps, fn](http::Request& req, http::Responder res) { fn(deps, req, std::move(res)); };
  };
  const auto admin = Access::Roles({Role::kAdmin});
  const auto staff = Access::Roles({Role::kAdmin, Role::kSecretary});
  const auto unit_staff = Access::Roles({Role::kAdmin, Role::kSecretary, Role::kFocalPoint});
  const auto unit_managers = Access::Roles({Role::kAdmin, Role::kFocalPoint});
  // Literal paths first: /units/export must not be read as the unit "export".
  router.Add(Method::kPost, "/api/v1/units", admin, bind(CreateUnit));
  router.Add(Method::kGet, "/api/v1/units/export", staff, bind(ExportUnits));
  router.Add(Method::kPost, "/api/v1/units/import", admin, bind(ImportUnits));
  router.Add(Method::kGet, "/api/v1/units/{unit}", unit_staff, bind(GetUnit));
  router.Add(Method::kPut, "/api/v1/units/{unit}", admin, bind(UpdateUnit));
  router.Add(Method::kDelete, "/api/v1/units/{unit}", admin, bind(DeleteUnit));
  router.Add(Method::kGet, "/api/v1/units/{unit}/members", unit_staff, bind(ListMembers));
  router.Add(Method::kPost, "/api/v1/units/{unit}/members/{id}/password-reset", unit_managers,
             bind(ResetMemberPassword));
  router.Add(Method::kPost, "/api/v1/units/{unit}/rosters", unit_managers, bind(UploadRoster));
  router.Add(Method::kGet, "/api/v1/jobs/{id}", Access::SignedIn(), bind(GetJob));
  router.Add(Method::kPost, "/api/v1/jobs/{id}/start", Access::SignedIn(), bind(StartJob));
  router.Add(Method::kDelete, "/api/v1/jobs/{id}", Access::SignedIn(), bind(CancelJob));
  router.Add(Method::kGet, "/api/v1/jobs/{id}/passwords", Access::SignedIn(), bind(GetPasswords));
  router.Add(Method::kDelete, "/api/v1/jobs/{id}/passwords", Access::SignedIn(),
             bind(ForgetPasswords));
}

}  // namespace hoithi::api
