// The results endpoints: JSON in, results::ResultsService, JSON out. Scores are numbers on a
// scale of 100 with two decimals (87.25).
#include "api/results.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "api/common.hpp"
#include "contest/judging_rules.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/forms.hpp"
#include "spreadsheet/spreadsheet.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using nlohmann::json;

json RulesJson(const contest::ResultsRules& r) {
  auto j = json::parse(contest::ResultsRulesJson(r));
  j["formula"] = contest::ResultsFormulaText(r);
  return j;
}

json DraftJson(const results::Draft& d) {
  auto j = json::parse(results::SnapshotJson(d));
  j["status"] = "draft";
  return j;
}

std::string ExportUrl(const results::Publication& p) {
  return "/api/v1/results/export/" + std::to_string(p.version);
}

/// A publication without its snapshot (`with_results` adds it, as "results").
json PublicationJson(const results::Publication& p, bool with_results) {
  json j = {
      {"version", p.version},
      {"state", results::PublicationStateCode(p.state)},
      {"digest", p.digest},
      {"export_url", ExportUrl(p)},
      {"reviewed_at", core::FormatRfc3339(p.reviewed_at)},
      {"published_at", p.published_at ? json(core::FormatRfc3339(*p.published_at)) : json()},
      {"superseded_at", p.superseded_at ? json(core::FormatRfc3339(*p.superseded_at)) : json()},
      {"reason", p.reason}};
  if (with_results) {
    auto results = json::parse(p.snapshot, nullptr, false);
    if (!results.is_discarded()) {
      results.erase("blockers");
      j["results"] = std::move(results);
    }
  }
  return j;
}

void GetRules(const ResultsApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  res.Send(JsonResponse(200, RulesJson(contest->settings->results)));
}

void PutRules(const ResultsApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  // The keys sent replace the stored ones; those left out keep their values (the weights can
  // change without restating who signs the certificates). A GET's "formula" is ignored.
  auto merged = json::parse(contest::ResultsRulesJson(contest->settings->results));
  if (body->is_object()) {
    body->erase("formula");
    merged.update(*body);
  } else {
    merged = *body;  // for ParseResultsRules to refuse
  }
  auto rules = contest::ParseResultsRules(merged.dump());
  if (!rules) return res.SendError(rules.error());
  deps.results.SaveRules(Who(req), ClientOf(req), *contest, *rules,
                         [res](core::Result<contest::ResultsRules> r) {
                           if (!r) return res.SendError(r.error());
                           res.Send(JsonResponse(200, RulesJson(*r)));
                         });
}

void GetDraft(const ResultsApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto draft = deps.results.Compute(Who(req), *contest);
  if (!draft) return res.SendError(draft.error());
  res.Send(JsonResponse(200, DraftJson(*draft)));
}

/// {"category": "collective", "order": [ids], "reason": "..."}: the committee's order for a tie.
core::Result<results::TieDecision> DecisionOf(const json& body) {
  const auto invalid = [](std::string field, std::string message) {
    auto e = core::MakeError(core::ErrorKind::kValidation, "invalid_decision", message, field);
    e.fields = {{e.field, e.message}};
    return e;
  };
  if (!body.is_object()) return invalid("order", "Cần một đối tượng JSON.");
  results::TieDecision d;
  const auto category = body.value("category", json());
  const auto known =
      category.is_string() ? results::PrizeCategoryOf(category.get<std::string>()) : std::nullopt;
  if (!known) return invalid("category", "Loại giải phải là collective, video hoặc individual.");
  d.category = *known;
  const auto order = body.value("order", json());
  if (!order.is_array() || order.empty()) {
    return invalid("order", "Hãy liệt kê các ứng viên đồng hạng theo thứ tự đã quyết định.");
  }
  for (const auto& id : order) {
    if (!id.is_number_integer()) return invalid("order", "Mỗi ứng viên được ghi bằng mã số.");
    d.order.push_back(id.get<std::int64_t>());
  }
  const auto reason = body.value("reason", json());
  d.reason = reason.is_string() ? reason.get<std::string>() : std::string();
  return d;
}

void PostTie(const ResultsApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto decision = DecisionOf(*body);
  if (!decision) return res.SendError(decision.error());
  deps.results.DecideTie(Who(req), ClientOf(req), *contest, std::move(*decision),
                         [res](core::Result<results::Draft> r) {
                           if (!r) return res.SendError(r.error());
                           res.Send(JsonResponse(200, DraftJson(*r)));
                         });
}

core::Callback<results::Publication> SendPublication(http::Responder res) {
  return [res](core::Result<results::Publication> r) {
    if (!r) return res.SendError(r.error());
    res.Send(JsonResponse(200, PublicationJson(*r, false)));
  };
}

void PostReview(const ResultsApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  deps.results.Review(Who(req), ClientOf(req), *contest, SendPublication(res));
}

void PostPublish(const ResultsApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  const auto reason = body->is_object() && body->value("reason", json()).is_string()
                          ? (*body)["reason"].get<std::string>()
                          : std::string();
  deps.results.Publish(Who(req), ClientOf(req), *contest, reason, SendPublication(res));
}

/// The contest a public results request is about: ?contest= or the current one; staff see the
/// one they work in.
core::Result<contest::Contest> PublicContest(const ResultsApiDeps& deps, const http::Request& req) {
  if (http::ViewerOf(req).user) return WorkingContest(deps.current, req);
  return deps.current.Named(req.QueryParam("contest").value_or(""));
}

void GetPublished(const ResultsApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = PublicContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto& viewer = http::ViewerOf(req);
  auto all = deps.results.Publications(viewer.user ? &*viewer.user : nullptr, *contest);
  if (!all) return res.SendError(all.error());
  json out = {{"published", json()},
              {"superseded", json::array()},
              {"results_due_at", contest->schedule.results_due_at
                                     ? json(core::FormatRfc3339(*contest->schedule.results_due_at))
                                     : json()}};
  for (const auto& p : *all) {
    switch (p.state) {
      case results::PublicationState::kPublished: {
        out["published"] = PublicationJson(p, true);
        // The file of every certificate comes from a background job: where it stands (beside
        // "published", which never changes).
        auto progress = deps.results.CertificatesOf(p);
        if (!progress) return res.SendError(progress.error());
        using State = results::ResultsService::CertificatesProgress::State;
        const auto state = progress->state == State::kReady     ? "ready"
                           : progress->state == State::kPending ? "pending"
                           : progress->state == State::kFailed  ? "failed"
                                                                : "none";
        out["certificates"] = {{"state", state},
                               {"done", progress->done},
                               {"total", progress->total},
                               {"error", progress->error}};
        break;
      }
      case results::PublicationState::kSuperseded:
        out["superseded"].push_back(PublicationJson(p, false));
        break;
      case results::PublicationState::kReviewed:
        out["review"] = PublicationJson(p, false);
        break;
    }
  }
  res.Send(JsonResponse(200, out));
}

/// A file of a publication: /export/{version} (the canonical CSV), /units?format=xlsx|csv (the
/// PAR sheet), /announcement and /certificates?n= (PDF).
void SendExport(const ResultsApiDeps& deps, http::Request& req, http::Responder res,
                results::ResultsService::Export kind) {
  using Export = results::ResultsService::Export;
  auto contest = PublicContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto& viewer = http::ViewerOf(req);
  if (kind == Export::kParXlsx && req.QueryParam("format") == std::optional<std::string>("csv")) {
    kind = Export::kParCsv;
  }
  const int n = std::atoi(req.QueryParam("n").value_or("0").c_str());
  auto file = deps.results.ExportOf(viewer.user ? &*viewer.user : nullptr, *contest,
                                    static_cast<int>(req.IdParam("version").value_or(0)), kind, n);
  if (!file) return res.SendError(file.error());
  res.Send(http::Download(std::move(file->bytes), file->content_type, file->filename));
}

void GetExport(const ResultsApiDeps& deps, http::Request& req, http::Responder res) {
  SendExport(deps, req, std::move(res), results::ResultsService::Export::kCanonical);
}
void GetParSheet(const ResultsApiDeps& deps, http::Request& req, http::Responder res) {
  SendExport(deps, req, std::move(res), results::ResultsService::Export::kParXlsx);
}
void GetAnnouncement(const ResultsApiDeps& deps, http::Request& req, http::Responder res) {
  SendExport(deps, req, std::move(res), results::ResultsService::Export::kAnnouncement);
}
void GetCertificates(const ResultsApiDeps& deps, http::Request& req, http::Responder res) {
  SendExport(deps, req, std::move(res), results::ResultsService::Export::kCertificates);
}

}  // namespace

void RegisterResultsApi(http::Router& router, const ResultsApiDeps& deps) {
  const auto organisers = Access::Roles({Role::kAdmin, Role::kSecretary});
  router.Add(Method::kGet, "/api/v1/results/rules", organisers, Bind(deps, GetRules));
  router.Add(Method::kPut, "/api/v1/results/rules", Access::Roles({Role::kAdmin}),
             Bind(deps, PutRules));
  router.Add(Method::kGet, "/api/v1/results/draft", organisers, Bind(deps, GetDraft));
  router.Add(Method::kPost, "/api/v1/results/ties", Access::Roles({Role::kAdmin}),
             Bind(deps, PostTie));
  router.Add(Method::kPost, "/api/v1/results/review", organisers, Bind(deps, PostReview));
  router.Add(Method::kPost, "/api/v1/results/publish", Access::Roles({Role::kAdmin}),
             Bind(deps, PostPublish));
  router.Add(Method::kGet, "/api/v1/results", Access::Anyone().Shared(), Bind(deps, GetPublished));
  router.Add(Method::kGet, "/api/v1/results/export/{version}", Access::Anyone(),
             Bind(deps, GetExport));
  router.Add(Method::kGet, "/api/v1/results/export/{version}/units", Access::Anyone(),
             Bind(deps, GetParSheet));
  router.Add(Method::kGet, "/api/v1/results/export/{version}/announcement", Access::Anyone(),
             Bind(deps, GetAnnouncement));
  router.Add(Method::kGet, "/api/v1/results/export/{version}/certificates", Access::Anyone(),
             Bind(deps, GetCertificates));
}

}  // namespace hoithi::api
