// The judging endpoints: JSON in, judging::JudgingService, JSON out. With blind judging nothing a
// judge receives names a unit or a credited person.
#include "api/judging.hpp"

#include <cmath>

#include "api/common.hpp"
#include "api/videos.hpp"
#include "core/time_format.hpp"
#include "documents/pdf_writer.hpp"
#include "http/auth_gate.hpp"
#include "http/forms.hpp"
#include "judging/score_sheets.hpp"
#include "video/media.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using nlohmann::json;

using UnitNames = std::map<std::int64_t, units::Unit>;

/// A score as shown: points rounded to two decimals (7.5, 86.18).
double Rounded(double points) {
  return std::round(points * 100.0) / 100.0;
}

core::Error Invalid(std::string field, std::string message) {
  auto e = core::MakeError(core::ErrorKind::kValidation, "validation", std::move(message), field);
  e.fields = {{e.field, e.message}};
  return e;
}

/// The "reason" of a body (abstaining, unlocking); "" when missing, for the service to refuse.
std::string ReasonOf(const json& body) {
  return body.is_object() && body.value("reason", json()).is_string()
             ? body["reason"].get<std::string>()
             : std::string();
}

json RulesJson(const contest::JudgingRules& r) {
  auto j = json::parse(contest::JudgingRulesJson(r));
  j["total"] = contest::PointsToNumber(r.Total());
  j["aggregation_label"] = contest::AggregationLabel(r.aggregation);
  return j;
}

json SheetJson(const judging::Sheet& s, const contest::JudgingRules& rules) {
  json points = json::object();
  for (const auto& [key, value] : s.points)
    points[key] = contest::PointsToNumber(value);
  return {{"status", judging::SheetStatusCode(s.status)},
          {"points", points},
          {"total", contest::PointsToNumber(judging::SheetTotal(s, rules))},
          {"comment", s.comment},
          {"abstain_reason", s.abstain_reason},
          {"updated_at", core::FormatRfc3339(s.updated_at)},
          {"submitted_at", s.submitted_at ? json(core::FormatRfc3339(*s.submitted_at)) : json()}};
}

/// A video as a judge sees it: with blind judging, neither its unit nor its credits.
json JudgeEntryJson(const video::Entry& e, bool blind, const UnitNames& units) {
  json themes = json::array();
  for (const auto& t : e.fields.themes)
    themes.push_back(video::ThemeLabel(t));
  const auto base = "/api/v1/judging/videos/" + std::to_string(e.id);
  json j = {{"id", e.id},
            {"title", e.fields.title},
            {"description", e.fields.description},
            {"form_label", video::FormLabel(e.fields.form)},
            {"theme_labels", themes},
            {"poster_url", base + "/poster"},
            {"video_url", base + "/video"},
            {"original_url", base + "/original"}};
  if (e.duration_ms) {
    j["duration_label"] =
        video::media::FormatDuration(static_cast<double>(*e.duration_ms) / 1000.0);
  }
  if (!blind) {
    const auto unit = units.find(e.unit_id);
    j["unit_name"] = unit != units.end() ? unit->second.name : "";
    j["credits"] = video::CreditsJson(e.fields.credits);
  }
  return j;
}

json QueueItemJson(const judging::QueueItem& item, const contest::JudgingRules& rules,
                   const UnitNames& units) {
  auto j = JudgeEntryJson(item.entry, rules.blind, units);
  j["state"] = judging::CellStateCode(item.state);
  j["state_label"] = judging::CellStateLabel(item.state);
  j["sheet"] = item.sheet ? SheetJson(*item.sheet, rules) : json();
  return j;
}

core::Result<UnitNames> UnitsOf(store::Database& db, std::int64_t contest_id) {
  auto lease = db.Read();
  return units::UnitsById(*lease, contest_id);
}

json BoardJson(const judging::Board& b, const UnitNames& units) {
  json judges = json::array(), entries = json::array(), cells = json::array(),
       missing = json::array();
  for (const auto& j : b.judges) {
    const auto unit = j.unit_id ? units.find(*j.unit_id) : units.end();
    judges.push_back({{"id", j.id},
                      {"login", j.login},
                      {"full_name", j.full_name},
                      {"unit_name", unit != units.end() ? unit->second.name : ""}});
  }
  for (const auto& e : b.entries) {
    const auto unit = units.find(e.unit_id);
    entries.push_back({{"id", e.id},
                       {"title", e.fields.title},
                       {"unit_name", unit != units.end() ? unit->second.name : ""}});
  }
  for (const auto& j : b.judges) {
    for (const auto& e : b.entries) {
      const judging::Pair pair{j.id, e.id};
      json cell = {{"judge_id", j.id}, {"entry_id", e.id}};
      if (b.conflicts.contains(pair)) {
        cell["state"] = "conflict";
        cell["state_label"] = "Cùng đơn vị (không chấm)";
      } else if (!b.assigned.contains(pair)) {
        cell["state"] = "not_assigned";
        cell["state_label"] = "Không phân công";
      } else {
        const auto state = b.StateOf(pair);
        cell["state"] = judging::CellStateCode(state);
        cell["state_label"] = judging::CellStateLabel(state);
        if (const auto it = b.sheets.find(pair); it != b.sheets.end()) {
          cell["total"] = contest::PointsToNumber(judging::SheetTotal(it->second, b.rules));
          cell["abstain_reason"] = it->second.abstain_reason;
        }
      }
      cells.push_back(std::move(cell));
    }
  }
  for (const auto& [judge, entry] : b.Missing())
    missing.push_back({{"judge_id", judge}, {"entry_id", entry}});
  return {{"rules", RulesJson(b.rules)},
          {"judges", judges},
          {"entries", entries},
          {"cells", cells},
          {"missing", missing},
          {"locked", b.lock.has_value()},
          {"locked_at", b.lock ? json(core::FormatRfc3339(b.lock->at)) : json()}};
}

/// Answers with the board as it stands after a change.
core::Callback<judging::Board> SendBoard(const JudgingApiDeps& deps, http::Responder res,
                                         std::int64_t contest_id) {
  return [&db = deps.db, res, contest_id](core::Result<judging::Board> r) {
    if (!r) return res.SendError(r.error());
    auto units = UnitsOf(db, contest_id);
    if (!units) return res.SendError(units.error());
    res.Send(JsonResponse(200, BoardJson(*r, *units)));
  };
}

void GetRules(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  res.Send(JsonResponse(200, RulesJson(contest->settings->judging)));
}

void PutRules(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  if (!body->is_object()) return res.SendError(Invalid("judging", "Cần một đối tượng JSON."));
  const bool reopen = body->value("reopen_submitted", json(false)) == json(true);
  body->erase("reopen_submitted");
  auto rules = contest::ParseJudgingRules(body->dump());
  if (!rules) return res.SendError(rules.error());
  deps.judging.SaveRules(Who(req), ClientOf(req), *contest, std::move(*rules), reopen,
                         [res](core::Result<contest::JudgingRules> r) {
                           if (!r) return res.SendError(r.error());
                           res.Send(JsonResponse(200, RulesJson(*r)));
                         });
}

void Queue(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto items = deps.judging.Queue(Who(req), *contest);
  if (!items) return res.SendError(items.error());
  auto units = UnitsOf(deps.db, contest->id);
  if (!units) return res.SendError(units.error());
  const auto& rules = contest->settings->judging;
  json list = json::array();
  int submitted = 0;
  for (const auto& item : *items) {
    list.push_back(QueueItemJson(item, rules, *units));
    if (item.state == judging::CellState::kSubmitted ||
        item.state == judging::CellState::kAbstained) {
      ++submitted;
    }
  }
  res.Send(JsonResponse(200, {{"items", list},
                              {"done", submitted},
                              {"total", items->size()},
                              {"rules", RulesJson(rules)}}));
}

void GetItem(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto item = deps.judging.ForJudge(Who(req), *contest, req.IdParam("id").value_or(0));
  if (!item) return res.SendError(item.error());
  auto units = UnitsOf(deps.db, contest->id);
  if (!units) return res.SendError(units.error());
  auto j = QueueItemJson(*item, contest->settings->judging, *units);
  j["rules"] = RulesJson(contest->settings->judging);
  res.Send(JsonResponse(200, j));
}

core::Callback<judging::Sheet> SendSheet(const contest::Contest& contest, http::Responder res) {
  return [rules = contest.settings->judging, res](core::Result<judging::Sheet> r) {
    if (!r) return res.SendError(r.error());
    res.Send(JsonResponse(200, SheetJson(*r, rules)));
  };
}

void PutSheet(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  if (!body->is_object()) return res.SendError(Invalid("points", "Cần một đối tượng JSON."));
  judging::SheetInput input;
  if (body->contains("points")) {
    const auto& points = (*body)["points"];
    if (!points.is_object()) {
      return res.SendError(Invalid("points", "Điểm phải gửi theo từng tiêu chí."));
    }
    for (const auto& [key, value] : points.items()) {
      input.points[key] =
          value.is_number() ? std::optional<double>(value.get<double>()) : std::nullopt;
    }
  }
  if (body->contains("comment")) {
    if (!(*body)["comment"].is_string()) {
      return res.SendError(Invalid("comment", "Nhận xét phải là một chuỗi ký tự."));
    }
    input.comment = (*body)["comment"].get<std::string>();
  }
  const bool submit = body->value("submit", json(false)) == json(true);
  deps.judging.Save(Who(req), ClientOf(req), *contest, req.IdParam("id").value_or(0),
                    std::move(input), submit, SendSheet(*contest, res));
}

void PostAbstain(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  const auto reason = ReasonOf(*body);
  deps.judging.Abstain(Who(req), ClientOf(req), *contest, req.IdParam("id").value_or(0), reason,
                       SendSheet(*contest, res));
}

void SendFile(const JudgingApiDeps& deps, http::Request& req, http::Responder res,
              video::FileKind kind) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto item = deps.judging.ForJudge(Who(req), *contest, req.IdParam("id").value_or(0));
  if (!item) return res.SendError(item.error());
  SendEntryFile(deps.files, item->entry, req, std::move(res), kind);
}

void Poster(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  SendFile(deps, req, std::move(res), video::FileKind::kPoster);
}
void Playable(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  SendFile(deps, req, std::move(res), video::FileKind::kPlayable);
}
void Original(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  SendFile(deps, req, std::move(res), video::FileKind::kOriginal);
}

void Progress(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto board = deps.judging.Progress(Who(req), *contest);
  if (!board) return res.SendError(board.error());
  auto units = UnitsOf(deps.db, contest->id);
  if (!units) return res.SendError(units.error());
  res.Send(JsonResponse(200, BoardJson(*board, *units)));
}

void PutAssignments(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  std::set<judging::Pair> pairs;
  if (body->is_object() && body->contains("per_video")) {
    if (!(*body)["per_video"].is_number_integer()) {
      return res.SendError(Invalid("per_video", "Số giám khảo mỗi video phải là số nguyên."));
    }
    auto board = deps.judging.Progress(Who(req), *contest);
    if (!board) return res.SendError(board.error());
    auto balanced = judging::JudgingService::Balanced(*board, (*body)["per_video"].get<int>());
    if (!balanced) return res.SendError(balanced.error());
    pairs = std::move(*balanced);
  } else if (body->is_object() && (*body)["pairs"].is_array()) {
    for (const auto& p : (*body)["pairs"]) {
      if (!p.is_object() || !p.value("judge_id", json()).is_number_integer() ||
          !p.value("entry_id", json()).is_number_integer()) {
        return res.SendError(
            Invalid("assignments", "Mỗi phân công cần judge_id và entry_id là số nguyên."));
      }
      pairs.insert({p["judge_id"].get<std::int64_t>(), p["entry_id"].get<std::int64_t>()});
    }
  } else {
    return res.SendError(Invalid("assignments",
                                 "Hãy gửi danh sách phân công (pairs) hoặc số giám khảo mỗi video "
                                 "(per_video)."));
  }
  deps.judging.Assign(Who(req), ClientOf(req), *contest, std::move(pairs),
                      SendBoard(deps, res, contest->id));
}

void PostLock(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  deps.judging.Lock(Who(req), ClientOf(req), *contest, SendBoard(deps, res, contest->id));
}

void PostUnlock(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  const auto reason = ReasonOf(*body);
  deps.judging.Unlock(Who(req), ClientOf(req), *contest, reason, SendBoard(deps, res, contest->id));
}

void Scores(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  const auto& who = Who(req);
  auto standing = deps.judging.Scores(who, *contest);
  if (!standing) return res.SendError(standing.error());
  auto units = UnitsOf(deps.db, contest->id);
  if (!units) return res.SendError(units.error());
  // A judge is shown no unit with blind judging, even after the lock.
  const bool blind = who.role == Role::kJudge && standing->rules.blind;
  const auto unit_name = [&](std::int64_t id) -> std::string {
    if (blind) return "";
    const auto it = units->find(id);
    return it != units->end() ? it->second.name : "";
  };
  json videos = json::array(), unit_list = json::array();
  int rank = 0;
  for (const auto& v : standing->videos) {
    videos.push_back({{"rank", ++rank},
                      {"entry_id", v.entry_id},
                      {"unit_name", unit_name(v.unit_id)},
                      {"judges", v.judges},
                      {"trimmed", v.trimmed},
                      {"score", Rounded(v.score)}});
  }
  rank = 0;
  for (const auto& u : standing->units) {
    if (blind) break;
    unit_list.push_back({{"rank", ++rank},
                         {"unit_name", unit_name(u.unit_id)},
                         {"videos", u.videos},
                         {"best_entry_id", u.best_entry_id},
                         {"score", Rounded(u.score)}});
  }
  res.Send(JsonResponse(200, {{"rules", RulesJson(standing->rules)},
                              {"locked", standing->locked},
                              {"videos", videos},
                              {"units", unit_list}}));
}

/// A sheet as the download `name`: .xlsx, CSV with ?format=csv, or with ?format=pdf a printable
/// PDF headed `title` (the contest's name below it) that ends with a signature block for `signer`.
void SendSheet(http::Request& req, http::Responder res, core::Result<spreadsheet::Sheet> sheet,
               const std::string& name, const contest::Contest& contest, std::string title,
               std::string signer) {
  if (!sheet) return res.SendError(sheet.error());
  if (req.QueryParam("format") == std::optional<std::string>("pdf")) {
    auto pdf = documents::RenderPdf(
        judging::PrintableSheet(*sheet, std::move(title), contest.name, std::move(signer)));
    if (!pdf) return res.SendError(pdf.error());
    return res.Send(http::Download(std::move(*pdf), documents::kPdfContentType, name + ".pdf"));
  }
  auto file = spreadsheet::Encode(*sheet, req.QueryParam("format").value_or("xlsx"));
  if (!file) return res.SendError(file.error());
  res.Send(http::Download(std::move(file->body), file->content_type,
                          name + std::string(file->extension)));
}

void ExportSummary(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  SendSheet(req, std::move(res), deps.judging.SummarySheet(Who(req), *contest),
            "tong-hop-diem-video-" + contest->slug, *contest, "BẢNG TỔNG HỢP ĐIỂM VIDEO",
            "TM. BAN GIÁM KHẢO");
}

void ExportJudge(const JudgingApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  const auto id = req.IdParam("id").value_or(0);
  SendSheet(req, std::move(res), deps.judging.JudgeSheet(Who(req), *contest, id),
            "phieu-cham-giam-khao-" + std::to_string(id) + "-" + contest->slug, *contest,
            "PHIẾU CHẤM ĐIỂM VIDEO", "GIÁM KHẢO\n(ký, ghi rõ họ tên)");
}

}  // namespace

void RegisterJudgingApi(http::Router& router, const JudgingApiDeps& deps) {
  const auto judges = Access::Roles({Role::kJudge});
  const auto organisers = Access::Roles({Role::kAdmin, Role::kSecretary});
  const auto admins = Access::Roles({Role::kAdmin});
  router.Add(Method::kGet, "/api/v1/judging/rules",
             Access::Roles({Role::kAdmin, Role::kSecretary, Role::kJudge}), Bind(deps, GetRules));
  router.Add(Method::kPut, "/api/v1/judging/rules", admins, Bind(deps, PutRules));
  router.Add(Method::kGet, "/api/v1/judging/queue", judges, Bind(deps, Queue));
  router.Add(Method::kGet, "/api/v1/judging/videos/{id}", judges, Bind(deps, GetItem));
  router.Add(Method::kPut, "/api/v1/judging/videos/{id}/sheet", judges, Bind(deps, PutSheet));
  router.Add(Method::kPost, "/api/v1/judging/videos/{id}/abstain", judges, Bind(deps, PostAbstain));
  router.Add(Method::kGet, "/api/v1/judging/videos/{id}/poster", judges, Bind(deps, Poster));
  router.Add(Method::kGet, "/api/v1/judging/videos/{id}/video", judges, Bind(deps, Playable));
  router.Add(Method::kGet, "/api/v1/judging/videos/{id}/original", judges, Bind(deps, Original));
  router.Add(Method::kGet, "/api/v1/judging/progress", organisers, Bind(deps, Progress));
  router.Add(Method::kPut, "/api/v1/judging/assignments", admins, Bind(deps, PutAssignments));
  router.Add(Method::kPost, "/api/v1/judging/lock", admins, Bind(deps, PostLock));
  router.Add(Method::kPost, "/api/v1/judging/unlock", admins, Bind(deps, PostUnlock));
  router.Add(Method::kGet, "/api/v1/judging/export/summary", organisers, Bind(deps, ExportSummary));
  router.Add(Method::kGet, "/api/v1/judging/export/judges/{id}",
             Access::Roles({Role::kAdmin, Role::kSecretary, Role::kJudge}),
             Bind(deps, ExportJudge));
  router.Add(Method::kGet, "/api/v1/judging/scores",
             Access::Roles({Role::kAdmin, Role::kSecretary, Role::kJudge}), Bind(deps, Scores));
}

}  // namespace hoithi::api
