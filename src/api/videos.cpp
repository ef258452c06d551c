// The video entry endpoints: JSON in, video::EntryService, JSON out; the files of a ready video
// through http::ServeFile (sendfile, ranges, validators).
#include "api/videos.hpp"

#include <algorithm>
#include <map>

#include "api/common.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/file_response.hpp"
#include "http/forms.hpp"
#include "video/media.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using nlohmann::json;

using UnitNames = std::map<std::int64_t, units::Unit>;

core::Result<UnitNames> UnitsOf(store::Database& db, std::int64_t contest_id) {
  auto lease = db.Read();
  return units::UnitsById(*lease, contest_id);
}

json EntryJson(const video::Entry& e, const UnitNames& units) {
  const auto unit = units.find(e.unit_id);
  json themes = json::array(), theme_labels = json::array();
  for (const auto& t : e.fields.themes) {
    themes.push_back(t);
    theme_labels.push_back(video::ThemeLabel(t));
  }
  json j = {{"id", e.id},
            {"unit_code", unit != units.end() ? unit->second.code : ""},
            {"unit_name", unit != units.end() ? unit->second.name : ""},
            {"title", e.fields.title},
            {"description", e.fields.description},
            {"form", e.fields.form},
            {"form_label", video::FormLabel(e.fields.form)},
            {"themes", themes},
            {"theme_labels", theme_labels},
            {"credits", video::CreditsJson(e.fields.credits)},
            {"status", video::StatusCode(e.status)},
            {"status_label", video::StatusLabel(e.status)},
            {"reject_reason", e.reject_reason},
            {"approved", e.approved_at.has_value()},
            {"upload", nullptr},
            {"video", nullptr},
            {"created_at", core::FormatRfc3339(e.created_at)},
            {"updated_at", core::FormatRfc3339(e.updated_at)}};
  if (e.file_id) {
    j["upload"] = {{"id", *e.file_id},
                   {"length", e.upload_length.value_or(0)},
                   {"finished", e.status != video::EntryStatus::kUploading}};
  }
  if (e.status == video::EntryStatus::kReady && e.duration_ms) {
    const double seconds = static_cast<double>(*e.duration_ms) / 1000.0;
    j["video"] = {{"duration_s", seconds},
                  {"duration_label", video::media::FormatDuration(seconds)},
                  {"width", e.width.value_or(0)},
                  {"height", e.height.value_or(0)}};
  }
  return j;
}

core::Error Invalid(std::string field, std::string message) {
  auto e = core::MakeError(core::ErrorKind::kValidation, "validation", std::move(message), field);
  e.fields = {{e.field, e.message}};
  return e;
}

/// The fields a body sets, over `fields` (all of them for a new entry, some for a change).
core::Status ReadFields(const json& body, video::EntryFields& fields) {
  for (const auto* key : {"title", "description", "form"}) {
    if (!body.contains(key)) continue;
    if (!body[key].is_string()) return Invalid(key, "Giá trị này phải là một chuỗi ký tự.");
  }
  if (body.contains("title")) fields.title = body["title"].get<std::string>();
  if (body.contains("description")) fields.description = body["description"].get<std::string>();
  if (body.contains("form")) fields.form = body["form"].get<std::string>();
  if (body.contains("themes")) {
    const auto& themes = body["themes"];
    if (!themes.is_array()) return Invalid("themes", "Hãy chọn ít nhất một chủ đề tuyên truyền.");
    fields.themes.clear();
    for (const auto& t : themes) {
      if (!t.is_string()) return Invalid("themes", "Hãy chọn ít nhất một chủ đề tuyên truyền.");
      fields.themes.push_back(t.get<std::string>());
    }
  }
  if (body.contains("credits")) {
    const auto& credits = body["credits"];
    constexpr const char* kCreditsForm =
        "Mỗi người tham gia cần có họ tên và vai trò (ví dụ: biên kịch, ca sĩ).";
    if (!credits.is_array()) return Invalid("credits", kCreditsForm);
    fields.credits.clear();
    for (const auto& c : credits) {
      if (!c.is_object() || !c.value("name", json()).is_string() ||
          (c.contains("role") && !c["role"].is_string()) ||
          (c.contains("invited") && !c["invited"].is_boolean())) {
        return Invalid("credits", kCreditsForm);
      }
      fields.credits.push_back(
          {c["name"].get<std::string>(), c.value("role", ""), c.value("invited", false)});
    }
  }
  return core::Ok();
}

/// Answers with the entry as JSON, with its unit's code and name.
core::Callback<video::Entry> SendEntry(const VideoApiDeps& deps, http::Responder res, int status) {
  return [&db = deps.db, res, status](core::Result<video::Entry> r) {
    if (!r) return res.SendError(r.error());
    auto units = UnitsOf(db, r->contest_id);
    if (!units) return res.SendError(units.error());
    res.Send(JsonResponse(status, EntryJson(*r, *units)));
  };
}

void ListVideos(const VideoApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto units = UnitsOf(deps.db, contest->id);
  if (!units) return res.SendError(units.error());
  std::optional<std::int64_t> unit_id;
  if (const auto code = req.QueryParam("unit"); code && !code->empty()) {
    auto it = std::find_if(units->begin(), units->end(),
                           [&](const auto& u) { return u.second.code == *code; });
    if (it == units->end()) {
      return res.SendError(
          core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy đơn vị."));
    }
    unit_id = it->first;
  }
  auto entries = deps.videos.List(Who(req), *contest, unit_id);
  if (!entries) return res.SendError(entries.error());
  json items = json::array();
  for (const auto& e : *entries)
    items.push_back(EntryJson(e, *units));
  res.Send(JsonResponse(200, {{"items", items}}));
}

void CreateVideo(const VideoApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  const auto& who = Who(req);
  // A focal point's entry is their unit's; the organisers name the unit.
  std::optional<units::Unit> unit;
  {
    auto lease = deps.db.Read();
    const auto code = body->value("unit_code", json()).is_string()
                          ? body->value("unit_code", std::string())
                          : std::string();
    core::Result<std::optional<units::Unit>> found = std::optional<units::Unit>();
    if (!code.empty()) {
      found = units::FindUnitByCode(*lease, contest->id, code);
    } else if (who.role == Role::kFocalPoint && who.unit_id) {
      found = units::FindUnitById(*lease, *who.unit_id);
    }
    if (!found) return res.SendError(found.error());
    unit = std::move(*found);
  }
  if (!unit || unit->contest_id != contest->id) {
    return res.SendError(Invalid("unit_code", "Hãy chọn đơn vị dự thi."));
  }
  video::EntryFields fields;
  if (auto st = ReadFields(*body, fields); !st) return res.SendError(st.error());
  deps.videos.Create(who, ClientOf(req), *contest, *unit, std::move(fields),
                     SendEntry(deps, res, 201));
}

void GetVideo(const VideoApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  SendEntry(deps, res, 200)(deps.videos.Find(Who(req), *contest, req.IdParam("id").value_or(0)));
}

void UpdateVideo(const VideoApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  const auto id = req.IdParam("id").value_or(0);
  auto entry = deps.videos.Find(Who(req), *contest, id);
  if (!entry) return res.SendError(entry.error());
  auto fields = entry->fields;
  if (auto st = ReadFields(*body, fields); !st) return res.SendError(st.error());
  deps.videos.Update(Who(req), ClientOf(req), *contest, id, std::move(fields),
                     SendEntry(deps, res, 200));
}

void WithdrawVideo(const VideoApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  deps.videos.Withdraw(Who(req), ClientOf(req), *contest, req.IdParam("id").value_or(0),
                       SendEntry(deps, res, 200));
}

void ApproveVideo(const VideoApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  deps.videos.Approve(Who(req), ClientOf(req), *contest, req.IdParam("id").value_or(0),
                      req.method != Method::kDelete, SendEntry(deps, res, 200));
}

void VideosByUnit(const VideoApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto units = deps.videos.ByUnit(*contest);
  if (!units) return res.SendError(units.error());
  json items = json::array();
  for (const auto& u : *units) {
    items.push_back({{"unit_code", u.unit.code},
                     {"unit_name", u.unit.name},
                     {"entries", u.entries},
                     {"ready", u.ready},
                     {"in_progress", u.in_progress},
                     {"rejected", u.rejected},
                     {"status_label", video::UnitVideoState(u)}});
  }
  res.Send(JsonResponse(200, {{"items", items}}));
}

/// GET (and HEAD) of a ready video's file of `kind`.
void SendFile(const VideoApiDeps& deps, http::Request& req, http::Responder res,
              video::FileKind kind) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto entry = deps.videos.Find(Who(req), *contest, req.IdParam("id").value_or(0));
  if (!entry) return res.SendError(entry.error());
  SendEntryFile(deps.videos.files(), *entry, req, std::move(res), kind);
}

void Poster(const VideoApiDeps& deps, http::Request& req, http::Responder res) {
  SendFile(deps, req, std::move(res), video::FileKind::kPoster);
}
void Playable(const VideoApiDeps& deps, http::Request& req, http::Responder res) {
  SendFile(deps, req, std::move(res), video::FileKind::kPlayable);
}
void Original(const VideoApiDeps& deps, http::Request& req, http::Responder res) {
  SendFile(deps, req, std::move(res), video::FileKind::kOriginal);
}

}  // namespace

void SendEntryFile(video::FileStore& files, const video::Entry& entry, http::Request& req,
                   http::Responder res, video::FileKind kind) {
  const auto file = entry.file_id ? video::FileId::Parse(*entry.file_id) : std::nullopt;
  const bool ready = entry.status == video::EntryStatus::kReady;
  // The original is there from the first byte; the poster and the web copy once processed.
  if (!file || (kind != video::FileKind::kOriginal && !ready) ||
      (kind == video::FileKind::kOriginal && entry.status == video::EntryStatus::kUploading)) {
    return res.SendError(core::MakeError(core::ErrorKind::kNotFound, "video_not_ready",
                                         "Video này chưa sẵn sàng để xem."));
  }
  http::FileOptions options;
  switch (kind) {
    case video::FileKind::kPoster:
      options.content_type = "image/jpeg";
      break;
    case video::FileKind::kPlayable:
      options.content_type = "video/mp4";
      break;
    case video::FileKind::kOriginal:
      options.content_type = "application/octet-stream";
      options.download_name = entry.fields.title + " (bản gốc)";
      break;
  }
  auto answer = http::ServeFile(req, files.PathOf(*file, kind).string(), options);
  if (!answer) return res.SendError(answer.error());
  res.Send(std::move(*answer));
}

void RegisterVideoApi(http::Router& router, const VideoApiDeps& deps) {
  const auto managers = Access::Roles({Role::kAdmin, Role::kFocalPoint});
  // Judges reach the videos they score through /api/v1/judging (api/judging.hpp), which leaves
  // out their own unit's and, with blind judging, every unit's name.
  const auto viewers = Access::Roles({Role::kAdmin, Role::kSecretary, Role::kFocalPoint});
  const auto organisers = Access::Roles({Role::kAdmin, Role::kSecretary});
  // Literal paths first: /videos/units must not be read as the entry "units".
  router.Add(Method::kGet, "/api/v1/videos/units", organisers, Bind(deps, VideosByUnit));
  router.Add(Method::kGet, "/api/v1/videos", viewers, Bind(deps, ListVideos));
  router.Add(Method::kPost, "/api/v1/videos", managers, Bind(deps, CreateVideo));
  router.Add(Method::kGet, "/api/v1/videos/{id}", viewers, Bind(deps, GetVideo));
  router.Add(Method::kPatch, "/api/v1/videos/{id}", managers, Bind(deps, UpdateVideo));
  router.Add(Method::kPost, "/api/v1/videos/{id}/withdraw", managers, Bind(deps, WithdrawVideo));
  // Into the public gallery (POST) and out of it (DELETE): the organisers.
  router.Add(Method::kPost, "/api/v1/videos/{id}/approval", Access::Roles({Role::kAdmin}),
             Bind(deps, ApproveVideo));
  router.Add(Method::kDelete, "/api/v1/videos/{id}/approval", Access::Roles({Role::kAdmin}),
             Bind(deps, ApproveVideo));
  router.Add(Method::kGet, "/api/v1/videos/{id}/poster", viewers, Bind(deps, Poster));
  router.Add(Method::kGet, "/api/v1/videos/{id}/video", viewers, Bind(deps, Playable));
  // The original, byte for byte as uploaded: for the organisers (and, through
  // /api/v1/judging, the jury).
  router.Add(Method::kGet, "/api/v1/videos/{id}/original", Access::Roles({Role::kAdmin}),
             Bind(deps, Original));
}

}  // namespace hoithi::api
