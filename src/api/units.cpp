// Units over JSON: the admin's CRUD, import and export of the unit list; a unit's members; roster
// imports (a draft job with its preview, then confirmation) and the jobs that run them.
#include "api/units.hpp"

#include "accounts/roster.hpp"
#include "accounts/units.hpp"
#include "audit/audit_log.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"
#include "jobs/queue.hpp"
#include "spreadsheet/spreadsheet.hpp"

namespace hoithi::api {
namespace {

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

/// The contest the request works in and the unit of its {unit} parameter.
core::Result<std::pair<contest::Contest, accounts::Unit>> UnitOf(const ApiDeps& deps,
                                                                 const http::Request& req) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return std::move(contest).error();
  auto lease = deps.db.Read();
  auto unit = accounts::FindUnitByCode(*lease, contest->id, req.Param("unit"));
  if (!unit) return std::move(unit).error();
  if (!*unit) return UnitNotFound();
  return std::make_pair(*contest, **unit);
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

/// Saves (creates or updates) one unit with its audit entry; `expect_new` refuses existing codes.
void SaveUnitAndAnswer(const ApiDeps& deps, const http::Request& req, http::Responder res,
                       std::int64_t contest_id, accounts::Unit unit, bool expect_new, int status) {
  unit.contest_id = contest_id;
  if (auto st = accounts::ValidateUnit(unit); !st) return res.SendError(st.error());
  const auto& who = *http::ViewerOf(req).user;
  const auto client = ClientOf(req);
  const auto now = deps.clock.Now();
  deps.db.Write(
      [unit, expect_new, who, client, now](store::Connection& c) -> core::Status {
        auto existing = accounts::FindUnitByCode(c, unit.contest_id, unit.code);
        if (!existing) return std::move(existing).error();
        if (expect_new && *existing) {
          return core::MakeError(core::ErrorKind::kConflict, "duplicate_unit",
                                 "Đã có đơn vị với mã " + unit.code + ".", "code");
        }
        if (!expect_new && !*existing) return UnitNotFound();
        accounts::Unit u = unit;
        if (*existing) u.position = (*existing)->position;
        auto id = accounts::SaveUnit(c, u, now);
        if (!id) return std::move(id).error();
        return audit::Record(
            c, audit::Actor{who.user_id, who.login, client.ip},
            audit::Entry{
                u.contest_id, expect_new ? "unit.create" : "unit.update", "unit", u.code,
                *existing ? std::optional<std::string>(UnitJson(**existing).dump()) : std::nullopt,
                UnitJson(u).dump()},
            now);
      },
      [res, unit, status](const core::Status& st) {
        if (!st) return res.SendError(st.error());
        res.Send(JsonResponse(status, UnitJson(unit)));
      });
}

void CreateUnit(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto unit = UnitFromJson(*body);
  if (!unit) return res.SendError(unit.error());
  SaveUnitAndAnswer(deps, req, res, contest->id, std::move(*unit), true, 201);
}

void GetUnit(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto found = UnitOf(deps, req);
  if (!found) return res.SendError(found.error());
  accounts::UserQuery q;
  q.contest_id = found->first.id;
  q.unit_id = found->second.id;
  q.role = Role::kParticipant;
  q.per_page = 1;
  auto lease = deps.db.Read();
  auto participants = accounts::SearchUsers(*lease, q);
  if (!participants) return res.SendError(participants.error());
  auto j = UnitJson(found->second);
  j["participants"] = participants->total;
  res.Send(JsonResponse(200, j));
}

void UpdateUnit(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto found = UnitOf(deps, req);
  if (!found) return res.SendError(found.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto unit = UnitFromJson(*body);
  if (!unit) return res.SendError(unit.error());
  unit->code = found->second.code;  // the code names the unit; it does not change
  SaveUnitAndAnswer(deps, req, res, found->first.id, std::move(*unit), false, 200);
}

void DeleteUnit(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto found = UnitOf(deps, req);
  if (!found) return res.SendError(found.error());
  const auto& who = *http::ViewerOf(req).user;
  const auto client = ClientOf(req);
  const auto now = deps.clock.Now();
  deps.db.Write(
      [unit = found->second, who, client, now](store::Connection& c) -> core::Status {
        HOITHI_TRY(accounts::DeleteUnit(c, unit.id));
        return audit::Record(c, audit::Actor{who.user_id, who.login, client.ip},
                             audit::Entry{unit.contest_id, "unit.delete", "unit", unit.code,
                                          UnitJson(unit).dump(), std::nullopt},
                             now);
      },
      [res](const core::Status& st) {
        if (!st) return res.SendError(st.error());
        res.Send(http::Response::NoContent());
      });
}

spreadsheet::Sheet UnitSheet(const std::vector<accounts::Unit>& units) {
  spreadsheet::Sheet sheet;
  sheet.name = "Don vi";
  sheet.header = accounts::UnitColumns();
  sheet.widths = {24, 48, 22, 12, 28, 18, 30};
  for (const auto& u : units) {
    sheet.rows.push_back({u.code, u.name, u.group,
                          u.headcount ? spreadsheet::Cell(static_cast<long long>(*u.headcount))
                                      : spreadsheet::Cell(std::string()),
                          u.contact_name, u.contact_phone, u.contact_email});
  }
  return sheet;
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
  const auto sheet = UnitSheet(*units);
  if (req.QueryParam("format").value_or("xlsx") == "csv") {
    return res.Send(FileResponse(spreadsheet::WriteCsv(sheet), spreadsheet::kCsvContentType,
                                 "don-vi-" + contest->slug + ".csv"));
  }
  auto xlsx = spreadsheet::WriteXlsx(sheet);
  if (!xlsx) return res.SendError(xlsx.error());
  res.Send(FileResponse(std::move(*xlsx), spreadsheet::kXlsxContentType,
                        "don-vi-" + contest->slug + ".xlsx"));
}

json RejectionsJson(const std::vector<accounts::UnitImportRow>& rows) {
  json out = json::array();
  for (const auto& r : rows) {
    for (const auto& e : r.errors)
      out.push_back({{"row", r.row}, {"reason", e}});
  }
  return out;
}

void ImportUnits(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto file = http::UploadedFile(req);
  if (!file) return res.SendError(file.error());
  auto table = spreadsheet::ReadTable(*file);
  if (!table) return res.SendError(table.error());
  auto rows = accounts::ReadUnitTable(*table);
  if (!rows) return res.SendError(rows.error());
  const bool dry_run = req.QueryParam("dry_run").value_or("") == "true";
  const bool skip_invalid = req.QueryParam("skip_invalid").value_or("") == "true";
  std::vector<accounts::Unit> good;
  for (const auto& r : *rows) {
    if (r.errors.empty()) good.push_back(r.unit);
  }
  const int bad = static_cast<int>(rows->size() - good.size());
  json report = {
      {"rows", rows->size()}, {"valid", good.size()}, {"rejected", RejectionsJson(*rows)}};
  if (dry_run) return res.Send(JsonResponse(200, report));
  if (bad > 0 && !skip_invalid) {
    auto e = core::MakeError(core::ErrorKind::kValidation, "invalid_rows",
                             "Tệp có " + std::to_string(bad) +
                                 " dòng lỗi; chưa nhập dòng nào. Hãy sửa tệp, hoặc chọn bỏ qua các "
                                 "dòng lỗi.",
                             "file");
    auto r = http::ErrorResponseJsonWith(e, {{"report", report}});
    return res.Send(std::move(r));
  }
  const auto& who = *http::ViewerOf(req).user;
  const auto client = ClientOf(req);
  const auto now = deps.clock.Now();
  deps.db.Write(
      [good, contest_id = contest->id, who, client, now,
       count = good.size()](store::Connection& c) -> core::Status {
        for (auto u : good) {
          u.contest_id = contest_id;
          auto existing = accounts::FindUnitByCode(c, contest_id, u.code);
          if (!existing) return std::move(existing).error();
          if (*existing && !u.headcount) u.headcount = (*existing)->headcount;
          auto id = accounts::SaveUnit(c, u, now);
          if (!id) return std::move(id).error();
        }
        return audit::Record(
            c, audit::Actor{who.user_id, who.login, client.ip},
            audit::Entry{contest_id, "unit.import", "contest", std::to_string(contest_id),
                         std::nullopt, json{{"saved", count}}.dump()},
            now);
      },
      [res, report](const core::Status& st) {
        if (!st) return res.SendError(st.error());
        auto j = report;
        j["saved"] = report["valid"];
        res.Send(JsonResponse(200, j));
      });
}

void ListMembers(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto found = UnitOf(deps, req);
  if (!found) return res.SendError(found.error());
  accounts::UserQuery q;
  q.contest_id = found->first.id;
  q.unit_id = found->second.id;
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
  auto found = UnitOf(deps, req);
  if (!found) return res.SendError(found.error());
  auto id = IdParam(req, "id");
  if (!id) return res.SendError(id.error());
  {
    auto lease = deps.db.Read();
    auto user = accounts::FindUserById(*lease, *id);
    if (!user) return res.SendError(user.error());
    if (!*user || (*user)->unit_id != found->second.id) {
      return res.SendError(core::MakeError(core::ErrorKind::kNotFound, "not_found",
                                           "Không tìm thấy tài khoản trong đơn vị."));
    }
  }
  deps.staff.ResetPassword(*http::ViewerOf(req).user, *id, ClientOf(req),
                           [res](core::Result<std::string> r) {
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
  auto found = UnitOf(deps, req);
  if (!found) return res.SendError(found.error());
  auto file = http::UploadedFile(req);
  if (!file) return res.SendError(file.error());
  auto table = spreadsheet::ReadTable(*file);
  if (!table) return res.SendError(table.error());
  core::Result<accounts::RosterCheck> check = accounts::RosterCheck{};
  {
    auto lease = deps.db.Read();
    check = accounts::CheckRoster(*lease, found->first.id, *table);
  }
  if (!check) return res.SendError(check.error());
  const auto& who = *http::ViewerOf(req).user;
  const auto actor = audit::Actor{who.user_id, who.login, req.client_ip};
  jobs::NewJob job;
  job.contest_id = found->first.id;
  job.kind = std::string(accounts::kRosterJobKind);
  job.payload = accounts::RosterPayload(found->first.id, found->second.id, *check, actor);
  job.created_by = who.user_id;
  job.unit_id = found->second.id;
  job.draft = true;
  job.progress_total = static_cast<int>(check->accepted.size());
  job.result = json{{"preview", RosterReport(*check)}}.dump();
  auto report = RosterReport(*check);
  const auto now = deps.clock.Now();
  auto id = std::make_shared<std::int64_t>(0);
  deps.db.Write(
      [job, now, id](store::Connection& c) -> core::Status {
        auto r = jobs::InsertJob(c, job, now);
        if (!r) return std::move(r).error();
        *id = *r;
        return core::Ok();
      },
      [res, id, report](const core::Status& st) {
        if (!st) return res.SendError(st.error());
        res.Send(JsonResponse(201, {{"job_id", *id}, {"status", "draft"}, {"report", report}}));
      });
}

/// The job of the {id} parameter, if the viewer may see it: its creator, or an organiser of its
/// contest.
core::Result<jobs::Job> JobOf(const ApiDeps& deps, const http::Request& req) {
  auto id = IdParam(req, "id");
  if (!id) return std::move(id).error();
  auto lease = deps.db.Read();
  auto job = jobs::FindJob(*lease, *id);
  if (!job) return std::move(job).error();
  const auto& who = *http::ViewerOf(req).user;
  const bool visible =
      *job &&
      ((*job)->created_by == who.user_id ||
       (who.role == Role::kAdmin && (!who.contest_id || who.contest_id == (*job)->contest_id)));
  if (!visible) {
    return core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy công việc.");
  }
  return **job;
}

json JobJson(const jobs::Job& job) {
  json j = {{"id", job.id},
            {"kind", job.kind},
            {"status", std::string(jobs::StatusCode(job.status))},
            {"status_label", std::string(jobs::StatusLabel(job.status))},
            {"progress", {{"done", job.progress_done}, {"total", job.progress_total}}},
            {"created_at", core::FormatRfc3339(job.created_at)}};
  auto result = json::parse(job.result.empty() ? "{}" : job.result, nullptr, false);
  if (!result.is_discarded()) {
    result.erase("sealed_passwords");
    j["result"] = result;
  }
  if (!job.error.empty()) j["error"] = job.error;
  return j;
}

void GetJob(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto job = JobOf(deps, req);
  if (!job) return res.SendError(job.error());
  res.Send(JsonResponse(200, JobJson(*job)));
}

void StartJob(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto job = JobOf(deps, req);
  if (!job) return res.SendError(job.error());
  bool skip_invalid = false;
  if (!req.body.empty()) {
    auto body = http::JsonBody(req);
    if (!body) return res.SendError(body.error());
    skip_invalid = body->value("skip_invalid", false);
  }
  const auto preview = json::parse(job->result.empty() ? "{}" : job->result, nullptr, false);
  const auto rejected =
      preview.is_discarded() ? 0 : preview["preview"].value("rejected", json::array()).size();
  if (job->status == jobs::Status::kDraft && rejected > 0 && !skip_invalid) {
    auto e = core::MakeError(core::ErrorKind::kValidation, "invalid_rows",
                             "Danh sách có " + std::to_string(rejected) +
                                 " dòng lỗi; chưa tạo tài khoản nào. Hãy sửa tệp và tải lên lại, "
                                 "hoặc xác nhận bỏ qua các dòng lỗi.",
                             "skip_invalid");
    return res.SendError(e);
  }
  const auto now = deps.clock.Now();
  deps.db.Write(
      [job = *job, now](store::Connection& c) {
        return jobs::StartDraft(c, job.id, job.payload, job.progress_total, now);
      },
      [deps, res, id = job->id](const core::Status& st) {
        if (!st) return res.SendError(st.error());
        deps.worker.Wake();
        res.Send(JsonResponse(202, {{"id", id}, {"status", "queued"}}));
      });
}

void CancelJob(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto job = JobOf(deps, req);
  if (!job) return res.SendError(job.error());
  deps.db.Write([id = job->id, now = deps.clock.Now()](
                    store::Connection& c) { return jobs::CancelDraft(c, id, now); },
                [res](const core::Status& st) {
                  if (!st) return res.SendError(st.error());
                  res.Send(http::Response::NoContent());
                });
}

void GetPasswords(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto job = JobOf(deps, req);
  if (!job) return res.SendError(job.error());
  if (job->status != jobs::Status::kDone) {
    return res.SendError(
        core::MakeError(core::ErrorKind::kConflict, "not_done", "Việc nhập danh sách chưa xong."));
  }
  auto passwords = accounts::UnsealPasswords(job->result, deps.seal_key);
  if (!passwords) return res.SendError(passwords.error());
  const auto& who = *http::ViewerOf(req).user;
  const auto client = ClientOf(req);
  const auto now = deps.clock.Now();
  const bool xlsx = req.QueryParam("format").value_or("json") == "xlsx";
  auto answer = [res, passwords = *passwords, xlsx, id = job->id]() {
    if (!xlsx) {
      json items = json::array();
      for (const auto& p : passwords) {
        items.push_back({{"row", p.row},
                         {"full_name", p.full_name},
                         {"login", p.login},
                         {"initial_password", p.password}});
      }
      return res.Send(JsonResponse(200, {{"items", items}}));
    }
    spreadsheet::Sheet sheet;
    sheet.name = "Mat khau ban dau";
    sheet.header = {"Dòng", "Họ và tên", "Tên đăng nhập (số điện thoại)", "Mật khẩu ban đầu"};
    sheet.widths = {8, 32, 30, 22};
    for (const auto& p : passwords) {
      sheet.rows.push_back({static_cast<long long>(p.row), p.full_name, p.login, p.password});
    }
    auto file = spreadsheet::WriteXlsx(sheet);
    if (!file) return res.SendError(file.error());
    res.Send(FileResponse(std::move(*file), spreadsheet::kXlsxContentType,
                          "mat-khau-ban-dau-" + std::to_string(id) + ".xlsx"));
  };
  // Handing out passwords is audited.
  deps.db.Write(
      [who, client, now, job = *job](store::Connection& c) {
        return audit::Record(c, audit::Actor{who.user_id, who.login, client.ip},
                             audit::Entry{job.contest_id, "roster.passwords_export", "job",
                                          std::to_string(job.id), std::nullopt, std::nullopt},
                             now);
      },
      [res, answer](const core::Status& st) {
        if (!st) return res.SendError(st.error());
        answer();
      });
}

void ForgetPasswords(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto job = JobOf(deps, req);
  if (!job) return res.SendError(job.error());
  deps.db.Write(
      [job = *job](store::Connection& c) {
        return jobs::SetResult(c, job.id, accounts::ForgetPasswords(job.result));
      },
      [res](const core::Status& st) {
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
