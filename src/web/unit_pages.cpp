// A unit's screens (/don-vi/{unit}...), for its focal point and the organisers: who of the unit
// has an account, passwords reset, and the roster import from upload to initial passwords.
#include "web/unit_pages.hpp"

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"
#include "jobs/queue.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "units/units.hpp"

namespace hoithi::web {
namespace {

using http::ClientOf;
using http::Who;

using accounts::Role;
using http::Access;
using http::Method;
using kainjow::mustache::list;

core::Error UnitNotFound() {
  return core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy đơn vị.");
}

/// The unit of the {unit} parameter in the viewer's contest (the gate has already checked that a
/// focal point names their own).
core::Result<units::Unit> UnitOf(const UnitPageDeps& deps, const http::Request& req) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return contest.error();
  auto lease = deps.db.Read();
  auto unit = units::FindUnitByCode(*lease, contest->id, req.Param("unit"));
  if (!unit) return std::move(unit).error();
  if (!*unit) return UnitNotFound();
  return **unit;
}

std::string RosterUrl(const units::Unit& unit, std::int64_t job_id = 0) {
  std::string url = "/don-vi/" + unit.code + "/nhap-danh-sach";
  if (job_id) url += fmt::format("/{}", job_id);
  return url;
}

// --- trang đơn vị --------------------------------------------------------------------------------

void UnitHome(const UnitPageDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  const auto& who = Who(req);
  accounts::UserQuery q;
  q.contest_id = unit->contest_id;
  q.unit_id = unit->id;
  q.q = req.QueryParam("q").value_or("");
  q.page = http::PageOf(req).page;
  auto lease = deps.db.Read();
  auto page = accounts::SearchUsers(*lease, q);
  if (!page) return res.SendError(page.error());
  auto counts = accounts::CountAccountsByUnit(*lease, unit->contest_id, "participant");
  if (!counts) return res.SendError(counts.error());
  auto jobs = jobs::ListUnitJobs(*lease, unit->id, accounts::kRosterJobKind, 5);
  if (!jobs) return res.SendError(jobs.error());
  auto pending = accounts::ListPending(*lease, unit->id);
  if (!pending) return res.SendError(pending.error());

  const bool can_manage = who.role == Role::kAdmin || who.role == Role::kFocalPoint;
  const auto contest = deps.current.For(unit->contest_id);
  const std::string tz = contest ? contest->time_zone : std::string(core::kDefaultTimeZone);
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("code", unit->code);
  d.set("name", unit->name);
  d.set("can_manage", can_manage);
  const auto it = counts->find(unit->id);
  const std::int64_t registered = it == counts->end() ? 0 : it->second;
  d.set("registered", core::FormatThousands(registered));
  if (unit->headcount) {
    d.set("headcount", core::FormatThousands(*unit->headcount));
    if (*unit->headcount > 0) {
      const auto percent = registered * 1000 / *unit->headcount;
      d.set("rate", std::to_string(percent / 10) + "," + std::to_string(percent % 10) + "%");
    }
  }
  d.set("q", q.q);
  list members;
  for (const auto& item : page->items) {
    Data m;
    m.set("id", std::to_string(item.user.id));
    m.set("full_name", item.user.full_name);
    m.set("login", item.user.login);
    m.set("role_label", std::string(accounts::RoleLabel(item.user.role)));
    m.set("position", item.user.position);
    m.set("active", item.user.active);
    m.set("must_change", item.user.must_change_password);
    m.set("resettable", can_manage && item.user.role == Role::kParticipant);
    members.push_back(m);
  }
  d.set("members", members);
  d.set("has_members", !members.empty());
  d.set("pager_html", PagerHtml(deps.views, "/don-vi/" + unit->code, {{"q", q.q}}, page->page,
                                page->per_page, page->total));
  list imports;
  for (const auto& j : *jobs) {
    Data x;
    x.set("url", RosterUrl(*unit, j.id));
    x.set("created", core::FormatDateTime(j.created_at, tz));
    x.set("status", std::string(jobs::StatusLabel(j.status)));
    imports.push_back(x);
  }
  d.set("imports", imports);
  d.set("has_imports", !imports.empty());
  list waiting;
  for (const auto& p : *pending) {
    Data x;
    x.set("id", std::to_string(p.user_id));
    x.set("full_name", p.full_name);
    x.set("phone", p.phone);
    x.set("position", p.position);
    x.set("has_position", !p.position.empty());
    x.set("registered", core::FormatDateTime(p.registered_at, tz));
    waiting.push_back(x);
  }
  d.set("pending", waiting);
  d.set("has_pending", !waiting.empty());
  d.set("pending_count", std::to_string(waiting.size()));
  if (req.QueryParam("approved"))
    d.set("notice", "Đã xác nhận đăng ký; người này được tính cho đơn vị.");
  if (req.QueryParam("rejected"))
    d.set("notice", "Đã từ chối đăng ký; tài khoản này không đăng nhập được nữa.");
  res.Send(PageResponse(deps, req, 200, "unit_home", d, unit->name));
}

void ResetMemberPassword(const UnitPageDeps& deps, http::Request& req, http::Responder res) {
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
  http::Request* request = &req;
  deps.staff.ResetPassword(
      Who(req), *id, ClientOf(req),
      [deps, request, res, back = "/don-vi/" + unit->code](core::Result<std::string> r) {
        if (!r) return res.SendError(r.error());
        Data d;
        d.set("heading", "Đã cấp lại mật khẩu");
        d.set("password", *r);
        d.set("user_url", back);
        res.Send(PageResponse(deps, *request, 200, "password_issued", d, "Cấp lại mật khẩu"));
      });
}

// --- nhập danh sách ------------------------------------------------------------------------------

void RosterForm(const UnitPageDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("code", unit->code);
  d.set("name", unit->name);
  res.Send(PageResponse(deps, req, 200, "roster_upload", d, "Nhập danh sách cán bộ"));
}

void RosterUpload(const UnitPageDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  http::Request* request = &req;
  auto fail = [deps, request, res, unit = *unit](const core::Error& e) {
    Data d;
    d.set("csrf", http::ViewerOf(*request).CsrfToken());
    d.set("code", unit.code);
    d.set("name", unit.name);
    SetFormErrors(d, e);
    d.set("has_errors", true);
    res.Send(PageResponse(deps, *request, http::HttpStatus(e.kind), "roster_upload", d,
                          "Nhập danh sách cán bộ"));
  };
  auto file = http::UploadedFile(req);
  if (!file) return fail(file.error());
  bool create_accounts = true;
  if (auto parts = http::MultipartParts(req)) {
    for (const auto& p : *parts) {
      if (p.name == "accounts" && p.body == "0") create_accounts = false;
    }
  }
  deps.rosters.Upload(Who(req), ClientOf(req), *unit, *file, create_accounts,
                      [res, fail, unit = *unit](core::Result<accounts::RosterDraft> r) {
                        if (!r) return fail(r.error());
                        res.Send(http::Response::Redirect(RosterUrl(unit, r->job_id)));
                      });
}

/// Approves or rejects a pending registration of the unit; a rejection asks first.
void DecideRegistration(const UnitPageDeps& deps, http::Request& req, http::Responder res,
                        bool approve) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  const auto id = req.IdParam("id").value_or(0);
  const auto f = http::UrlEncodedFields(req);
  if (!approve && http::FieldValue(f, "confirm") != "1") {
    Data d;
    d.set("csrf", http::ViewerOf(req).CsrfToken());
    d.set("heading", "Từ chối đăng ký?");
    d.set("question",
          "Người này sẽ không đăng nhập và không dự thi được với tư cách thành viên của " +
              unit->name + ". Chỉ từ chối khi người này không thuộc đơn vị.");
    d.set("action", "/don-vi/" + unit->code + "/dang-ky/" + std::to_string(id) + "/tu-choi");
    d.set("button", "Từ chối đăng ký");
    d.set("back", "/don-vi/" + unit->code);
    return res.Send(PageResponse(deps, req, 200, "confirm", d, "Từ chối đăng ký"));
  }
  deps.verification.Decide(
      http::ActorOf(req), unit->id, id, approve,
      [res, approve, code = unit->code](core::Result<accounts::RegistrationStatus> r) {
        if (!r) return res.SendError(r.error());
        res.Send(http::Response::Redirect("/don-vi/" + code +
                                          (approve ? "?approved=1" : "?rejected=1")));
      });
}

void ApproveRegistration(const UnitPageDeps& deps, http::Request& req, http::Responder res) {
  DecideRegistration(deps, req, std::move(res), true);
}

void RejectRegistration(const UnitPageDeps& deps, http::Request& req, http::Responder res) {
  DecideRegistration(deps, req, std::move(res), false);
}

void RosterJob(const UnitPageDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  auto job = deps.rosters.Find(Who(req), req.IdParam("id").value_or(0));
  if (!job) return res.SendError(job.error());
  if (job->unit_id != unit->id) return res.SendError(UnitNotFound());
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("code", unit->code);
  d.set("name", unit->name);
  d.set("url", RosterUrl(*unit, job->id));
  d.set("status", std::string(jobs::StatusLabel(job->status)));
  const auto preview = accounts::RosterService::PreviewOf(*job);
  d.set("rows", std::to_string(preview.data_rows));
  d.set("valid", std::to_string(preview.accepted.size()));
  d.set("already", std::to_string(preview.already_registered));
  list rejected;
  for (const auto& r : preview.rejected) {
    Data x;
    x.set("row", std::to_string(r.row));
    x.set("reason", r.reason);
    rejected.push_back(x);
  }
  d.set("rejected", rejected);
  d.set("has_rejected", !rejected.empty());
  d.set("rejected_count", std::to_string(rejected.size()));
  d.set("is_draft", job->status == jobs::Status::kDraft);
  const bool working =
      job->status == jobs::Status::kQueued || job->status == jobs::Status::kRunning;
  d.set("working", working);
  d.set("done", job->progress_done);
  d.set("total", job->progress_total);
  d.set("progress_done", std::to_string(job->progress_done));
  d.set("progress_total", std::to_string(job->progress_total));
  d.set("failed", job->status == jobs::Status::kFailed);
  SetIfPresent(d, "error", job->error);
  if (job->status == jobs::Status::kDone) {
    d.set("finished", true);
    auto passwords = deps.rosters.Find(Who(req), job->id);  // re-read: passwords may be gone
    const bool available =
        passwords && passwords->result.find("sealed_passwords") != std::string::npos;
    d.set("passwords_available", available);
  }
  auto response = PageResponse(deps, req, 200, "roster_job", d, "Nhập danh sách cán bộ");
  if (working) response.With("Refresh", "2");  // a progress page that updates without JavaScript
  res.Send(std::move(response));
}

void RosterStart(const UnitPageDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  const auto fields = http::UrlEncodedFields(req);
  const auto id = req.IdParam("id").value_or(0);
  deps.rosters.Start(Who(req), id, http::FieldValue(fields, "skip_invalid") == "1",
                     [res, url = RosterUrl(*unit, id)](core::Status st) {
                       if (!st) return res.SendError(st.error());
                       res.Send(http::Response::Redirect(url));
                     });
}

void RosterCancel(const UnitPageDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  deps.rosters.Cancel(Who(req), req.IdParam("id").value_or(0),
                      [res, url = "/don-vi/" + unit->code](core::Status st) {
                        if (!st) return res.SendError(st.error());
                        res.Send(http::Response::Redirect(url));
                      });
}

void RosterPasswords(const UnitPageDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  const auto id = req.IdParam("id").value_or(0);
  http::Request* request = &req;
  deps.rosters.Passwords(
      Who(req), ClientOf(req), id,
      [deps, request, res, id,
       unit = *unit](core::Result<std::vector<accounts::InitialPassword>> r) {
        if (!r) return res.SendError(r.error());
        if (request->QueryParam("format").value_or("") == "xlsx") {
          auto file = accounts::InitialPasswordsXlsx(*r);
          if (!file) return res.SendError(file.error());
          http::Response out;
          out.content_type = std::string(spreadsheet::kXlsxContentType);
          out.body = std::move(*file);
          out.With("Content-Disposition", "attachment; filename=\"mat-khau-" + unit.code + "-" +
                                              std::to_string(id) + ".xlsx\"");
          return res.Send(std::move(out));
        }
        Data d;
        d.set("csrf", http::ViewerOf(*request).CsrfToken());
        d.set("code", unit.code);
        d.set("name", unit.name);
        d.set("url", RosterUrl(unit, id));
        list rows;
        for (const auto& p : *r) {
          Data x;
          x.set("row", std::to_string(p.row));
          x.set("full_name", p.full_name);
          x.set("login", p.login);
          x.set("password", p.password);
          rows.push_back(x);
        }
        d.set("passwords", rows);
        res.Send(PageResponse(deps, *request, 200, "roster_passwords", d, "Mật khẩu ban đầu"));
      });
}

void RosterForget(const UnitPageDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps, req);
  if (!unit) return res.SendError(unit.error());
  const auto id = req.IdParam("id").value_or(0);
  deps.rosters.ForgetPasswords(Who(req), id, [res, url = RosterUrl(*unit, id)](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(http::Response::Redirect(url));
  });
}

}  // namespace

void RegisterUnitPages(http::Router& router, const UnitPageDeps& deps) {
  const auto viewers = Access::Roles({Role::kAdmin, Role::kSecretary, Role::kFocalPoint});
  const auto managers = Access::Roles({Role::kAdmin, Role::kFocalPoint});
  router.Add(Method::kGet, "/don-vi/{unit}", viewers, Bind(deps, UnitHome));
  router.Add(Method::kPost, "/don-vi/{unit}/thanh-vien/{id}/cap-lai-mat-khau", managers,
             Bind(deps, ResetMemberPassword));
  router.Add(Method::kGet, "/don-vi/{unit}/nhap-danh-sach", managers, Bind(deps, RosterForm));
  router.Add(Method::kPost, "/don-vi/{unit}/nhap-danh-sach", managers, Bind(deps, RosterUpload));
  router.Add(Method::kGet, "/don-vi/{unit}/nhap-danh-sach/{id}", managers, Bind(deps, RosterJob));
  router.Add(Method::kPost, "/don-vi/{unit}/nhap-danh-sach/{id}/bat-dau", managers,
             Bind(deps, RosterStart));
  router.Add(Method::kPost, "/don-vi/{unit}/nhap-danh-sach/{id}/huy", managers,
             Bind(deps, RosterCancel));
  // A POST: reading the initial passwords is audited, and a GET never writes.
  router.Add(Method::kPost, "/don-vi/{unit}/nhap-danh-sach/{id}/mat-khau", managers,
             Bind(deps, RosterPasswords));
  router.Add(Method::kPost, "/don-vi/{unit}/nhap-danh-sach/{id}/xoa-mat-khau", managers,
             Bind(deps, RosterForget));
  router.Add(Method::kPost, "/don-vi/{unit}/dang-ky/{id}/xac-nhan", managers,
             Bind(deps, ApproveRegistration));
  router.Add(Method::kPost, "/don-vi/{unit}/dang-ky/{id}/tu-choi", managers,
             Bind(deps, RejectRegistration));
}

}  // namespace hoithi::web
