// The roster and job endpoints; accounts::RosterService checks who may see each job.
#include "api/rosters.hpp"

#include "accounts/roster.hpp"
#include "api/common.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/forms.hpp"
#include "jobs/queue.hpp"
#include "spreadsheet/spreadsheet.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using nlohmann::json;

void UploadRoster(const RosterApiDeps& deps, http::Request& req, http::Responder res) {
  auto unit = UnitOf(deps.db, deps.current, req);
  if (!unit) return res.SendError(unit.error());
  auto file = http::UploadedFile(req);
  if (!file) return res.SendError(file.error());
  // ?accounts=false keeps only the list (registrations are checked against it).
  const bool create_accounts = req.QueryParam("accounts").value_or("true") != "false";
  deps.rosters.Upload(
      Who(req), ClientOf(req), *unit, *file, create_accounts,
      [res](core::Result<accounts::RosterDraft> r) {
        if (!r) return res.SendError(r.error());
        res.Send(JsonResponse(201, {{"job_id", r->job_id},
                                    {"status", "draft"},
                                    {"report", accounts::RosterPreview(r->check)}}));
      });
}

void GetJob(const RosterApiDeps& deps, http::Request& req, http::Responder res) {
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

void StartJob(const RosterApiDeps& deps, http::Request& req, http::Responder res) {
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

void CancelJob(const RosterApiDeps& deps, http::Request& req, http::Responder res) {
  deps.rosters.Cancel(Who(req), req.IdParam("id").value_or(0), [res](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(http::Response::NoContent());
  });
}

void GetPasswords(const RosterApiDeps& deps, http::Request& req, http::Responder res) {
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
        res.Send(http::Download(std::move(*file), spreadsheet::kXlsxContentType,
                                "mat-khau-ban-dau-" + std::to_string(id) + ".xlsx"));
      });
}

void ForgetPasswords(const RosterApiDeps& deps, http::Request& req, http::Responder res) {
  deps.rosters.ForgetPasswords(Who(req), req.IdParam("id").value_or(0), [res](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(http::Response::NoContent());
  });
}

}  // namespace

void RegisterRosterApi(http::Router& router, const RosterApiDeps& deps) {
  const auto unit_managers = Access::Roles({Role::kAdmin, Role::kFocalPoint});
  router.Add(Method::kPost, "/api/v1/units/{unit}/rosters", unit_managers,
             Bind(deps, UploadRoster));
  router.Add(Method::kGet, "/api/v1/jobs/{id}", Access::SignedIn(), Bind(deps, GetJob));
  router.Add(Method::kPost, "/api/v1/jobs/{id}/start", Access::SignedIn(), Bind(deps, StartJob));
  router.Add(Method::kDelete, "/api/v1/jobs/{id}", Access::SignedIn(), Bind(deps, CancelJob));
  // A POST: reading the initial passwords is audited, and a GET never writes.
  router.Add(Method::kPost, "/api/v1/jobs/{id}/passwords", Access::SignedIn(),
             Bind(deps, GetPasswords));
  router.Add(Method::kDelete, "/api/v1/jobs/{id}/passwords", Access::SignedIn(),
             Bind(deps, ForgetPasswords));
}

}  // namespace hoithi::api
