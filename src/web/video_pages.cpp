// The video screens: a unit's entries with their upload controls and players, the form that
// registers an entry, the withdrawal (asked first), and the organisers' overview by unit.
#include "web/video_pages.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/file_response.hpp"
#include "http/forms.hpp"
#include "units/units.hpp"
#include "video/media.hpp"

namespace hoithi::web {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using kainjow::mustache::list;

/// Credit rows the form offers (names and roles of the people in the video).
constexpr int kCreditRows = 4;

core::Error UnitNotFound() {
  return core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy đơn vị.");
}

struct UnitInContest {
  contest::Contest contest;
  units::Unit unit;
};

/// The unit of the {unit} parameter in the viewer's contest (the gate has already checked that a
/// focal point names their own).
core::Result<UnitInContest> UnitOf(const VideoPageDeps& deps, const http::Request& req) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return contest.error();
  auto lease = deps.db.Read();
  auto unit = units::FindUnitByCode(*lease, contest->id, req.Param("unit"));
  if (!unit) return std::move(unit).error();
  if (!*unit) return UnitNotFound();
  return UnitInContest{std::move(*contest), std::move(**unit)};
}

std::string PublicUrl(std::int64_t id, std::string_view rest = {});

std::string PageUrl(const units::Unit& unit) {
  return "/don-vi/" + unit.code + "/video";
}

/// A badge's look for each status: done, under way, needs the unit, or nothing to show.
std::string_view StatusTone(video::EntryStatus s) {
  switch (s) {
    case video::EntryStatus::kReady:
      return "ok";
    case video::EntryStatus::kRejected:
      return "bad";
    case video::EntryStatus::kWithdrawn:
    case video::EntryStatus::kDraft:
      return "idle";
    default:
      return "busy";
  }
}

Data EntryData(const video::Entry& e, bool can_manage, bool open) {
  Data d;
  const auto id = std::to_string(e.id);
  d.set("id", id);
  d.set("title", e.fields.title);
  SetIfPresent(d, "description", e.fields.description);
  d.set("form_label", std::string(video::FormLabel(e.fields.form)));
  d.set("themes", ThemesText(e.fields.themes));
  SetCredits(d, e.fields.credits);
  d.set("status_label", std::string(video::StatusLabel(e.status)));
  d.set("status_tone", std::string(StatusTone(e.status)));
  SetIfPresent(d, "reject_reason", e.reject_reason);
  const bool ready = e.status == video::EntryStatus::kReady;
  const bool withdrawn = e.status == video::EntryStatus::kWithdrawn;
  d.set("ready", ready);
  if (ready) {
    d.set("video_url", "/api/v1/videos/" + id + "/video");
    d.set("poster_url", "/api/v1/videos/" + id + "/poster");
    if (e.duration_ms) {
      d.set("duration", video::media::FormatDuration(static_cast<double>(*e.duration_ms) / 1000));
    }
  }
  // Watched by the page's script until processing ends.
  d.set("processing",
        e.status == video::EntryStatus::kUploaded || e.status == video::EntryStatus::kProcessing);
  d.set("resumable", e.status == video::EntryStatus::kUploading);
  d.set("can_upload", can_manage && open && !withdrawn);
  d.set("has_video", e.file_id.has_value() && !withdrawn);
  d.set("can_withdraw", can_manage && open && !withdrawn);
  d.set("approved", e.approved_at.has_value());
  d.set("public_url", PublicUrl(e.id));
  return d;
}

/// The choices of the form's select and checkboxes, with the ones `fields` picked.
void SetChoices(Data& d, const video::EntryFields& fields) {
  list forms, themes, credits;
  for (const auto& c : video::Forms()) {
    Data x;
    x.set("code", std::string(c.code));
    x.set("label", std::string(c.label));
    x.set("selected", fields.form == c.code);
    forms.push_back(x);
  }
  for (const auto& c : video::Themes()) {
    Data x;
    x.set("code", std::string(c.code));
    x.set("label", std::string(c.label));
    x.set("checked",
          std::find(fields.themes.begin(), fields.themes.end(), c.code) != fields.themes.end());
    themes.push_back(x);
  }
  for (int i = 0; i < kCreditRows; ++i) {
    Data x;
    x.set("n", std::to_string(i + 1));
    const auto* c = i < static_cast<int>(fields.credits.size()) ? &fields.credits[i] : nullptr;
    x.set("name", c ? c->name : std::string());
    x.set("role", c ? c->role : std::string());
    x.set("invited", c && c->invited);
    credits.push_back(x);
  }
  d.set("forms", forms);
  d.set("theme_choices", themes);
  d.set("credit_rows", credits);
}

void RenderUnit(const VideoPageDeps& deps, const http::Request& req, const http::Responder& res,
                const UnitInContest& at, int status, const video::EntryFields& typed,
                const core::Error* error) {
  const auto& who = Who(req);
  auto entries = deps.videos.List(who, at.contest, at.unit.id);
  if (!entries) return res.SendError(entries.error());
  const bool can_manage = who.role == Role::kAdmin || who.role == Role::kFocalPoint;
  const auto deadline = contest::VideoClosesAt(at.contest);
  const bool open = deps.clock.Now() < deadline;
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("code", at.unit.code);
  d.set("name", at.unit.name);
  d.set("action", PageUrl(at.unit));
  d.set("deadline", core::FormatDateTime(deadline, at.contest.time_zone, true));
  d.set("open", open);
  d.set("can_create", can_manage && open);
  d.set("max_size",
        core::FormatThousands(static_cast<long long>(deps.videos.options().tus.max_size >> 20)));
  list items;
  int active = 0;
  for (const auto& e : *entries) {
    items.push_back(EntryData(e, can_manage, open));
    active += e.status != video::EntryStatus::kWithdrawn;
  }
  d.set("entries", items);
  d.set("has_entries", !items.empty());
  d.set("no_active", active == 0);
  if (const auto done = req.QueryParam("xong"); done == "tao") {
    d.set("notice", "Đã đăng ký video. Hãy chọn tệp video để tải lên.");
  } else if (done == "rut") {
    d.set("notice", "Đã rút video khỏi hội thi; tệp của video đã được xóa.");
  } else if (done == "duyet") {
    d.set("notice", "Đã đưa video vào thư viện công khai.");
  } else if (done == "go") {
    d.set("notice", "Đã gỡ video khỏi thư viện công khai.");
  }
  d.set("organiser", who.role == Role::kAdmin);
  SetChoices(d, typed);
  d.set("v_title", typed.title);
  d.set("v_description", typed.description);
  if (error) {
    SetFormErrors(d, *error);
    d.set("has_errors", true);
  }
  res.Send(PageResponse(deps, req, status, "video_unit", d, "Video dự thi — " + at.unit.name,
                        {"vendor/tus.min.js", "video_upload.js"}));
}

void UnitVideos(const VideoPageDeps& deps, http::Request& req, http::Responder res) {
  auto at = UnitOf(deps, req);
  if (!at) return res.SendError(at.error());
  RenderUnit(deps, req, res, *at, 200, {}, nullptr);
}

video::EntryFields FieldsFrom(const http::FormFields& f) {
  video::EntryFields fields;
  fields.title = http::FieldValue(f, "title");
  fields.description = http::FieldValue(f, "description");
  fields.form = http::FieldValue(f, "form");
  for (const auto& [name, value] : f) {
    if (name == "themes") fields.themes.push_back(value);
  }
  for (int i = 1; i <= kCreditRows; ++i) {
    const auto n = std::to_string(i);
    video::Credit c{http::FieldValue(f, "credit_name_" + n),
                    http::FieldValue(f, "credit_role_" + n),
                    http::FieldValue(f, "credit_invited_" + n) == "1"};
    // An empty row is no credit; a role without a name is kept, so the check names the field.
    if (!c.name.empty() || !c.role.empty()) fields.credits.push_back(std::move(c));
  }
  return fields;
}

void CreateEntry(const VideoPageDeps& deps, http::Request& req, http::Responder res) {
  auto at = UnitOf(deps, req);
  if (!at) return res.SendError(at.error());
  const auto fields = FieldsFrom(http::UrlEncodedFields(req));
  deps.videos.Create(Who(req), http::ClientOf(req), at->contest, at->unit, fields,
                     [deps, req = &req, res, at = *at, fields](core::Result<video::Entry> r) {
                       if (r)
                         return res.Send(http::Response::Redirect(PageUrl(at.unit) + "?xong=tao"));
                       const auto& e = r.error();
                       if (e.kind != core::ErrorKind::kValidation) return res.SendError(e);
                       RenderUnit(deps, *req, res, at, 422, fields, &e);
                     });
}

void WithdrawEntry(const VideoPageDeps& deps, http::Request& req, http::Responder res) {
  auto at = UnitOf(deps, req);
  if (!at) return res.SendError(at.error());
  const auto id = req.IdParam("id").value_or(0);
  auto entry = deps.videos.Find(Who(req), at->contest, id);
  if (!entry || entry->unit_id != at->unit.id) {
    return res.SendError(entry ? UnitNotFound() : entry.error());
  }
  if (http::FieldValue(http::UrlEncodedFields(req), "confirm") != "1") {
    Data d;
    d.set("csrf", http::ViewerOf(req).CsrfToken());
    d.set("heading", "Rút video “" + entry->fields.title + "”?");
    d.set("question",
          "Video sẽ không được chấm và tệp video sẽ bị xóa. Việc này không hoàn tác được; muốn "
          "dự thi lại, đơn vị phải đăng ký và tải lên một video mới.");
    d.set("action", PageUrl(at->unit) + "/" + std::to_string(id) + "/rut");
    d.set("button", "Rút video");
    d.set("back", PageUrl(at->unit));
    return res.Send(PageResponse(deps, req, 200, "confirm", d, "Rút video"));
  }
  deps.videos.Withdraw(Who(req), http::ClientOf(req), at->contest, id,
                       [res, url = PageUrl(at->unit)](core::Result<video::Entry> r) {
                         if (!r) return res.SendError(r.error());
                         res.Send(http::Response::Redirect(url + "?xong=rut"));
                       });
}

void Overview(const VideoPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto units = deps.videos.ByUnit(*contest);
  if (!units) return res.SendError(units.error());
  list rows;
  int owing = 0, ready = 0;
  for (const auto& u : *units) {
    Data x;
    x.set("url", "/don-vi/" + u.unit.code + "/video");
    x.set("name", u.unit.name);
    x.set("entries", std::to_string(u.entries));
    x.set("ready", std::to_string(u.ready));
    const bool done = u.ready > 0;
    x.set("done", done);
    x.set("state", std::string(video::UnitVideoState(u)));
    owing += !done;
    ready += u.ready;
    rows.push_back(x);
  }
  Data d;
  d.set("units", rows);
  d.set("unit_count", std::to_string(units->size()));
  d.set("owing", std::to_string(owing));
  d.set("ready", std::to_string(ready));
  d.set("deadline",
        core::FormatDateTime(contest::VideoClosesAt(*contest), contest->time_zone, true));
  res.Send(PageResponse(deps, req, 200, "video_overview", d, "Video dự thi của các đơn vị"));
}

// --- the public gallery -------------------------------------------------------------------------

std::string PublicUrl(std::int64_t id, std::string_view rest) {
  return "/video/" + std::to_string(id) + std::string(rest);
}

/// Who a view counts for: their session when signed in, else their address and browser (hashed
/// with a key by EntryService before it is stored).
std::string ViewKeyOf(const http::Request& req) {
  const auto& viewer = http::ViewerOf(req);
  if (viewer.user) return "s:" + viewer.user->session_hash;
  const auto client = http::ClientOf(req);
  return "a:" + client.ip + "|" + client.user_agent;
}

core::Result<contest::Contest> SiteContest(const VideoPageDeps& deps) {
  auto c = deps.current.Get();
  if (!c) return contest::NoContestError();
  return *c;
}

Data PublicEntryData(const video::Entry& e, const std::map<std::int64_t, units::Unit>& units,
                     const std::map<std::int64_t, std::int64_t>& views) {
  Data d = EntryData(e, false, false);
  d.set("url", PublicUrl(e.id));
  d.set("poster_url", PublicUrl(e.id, "/anh"));
  d.set("video_url", PublicUrl(e.id, "/phat"));
  const auto unit = units.find(e.unit_id);
  d.set("unit_name", unit != units.end() ? unit->second.name : std::string());
  const auto seen = views.find(e.id);
  d.set("views", core::FormatThousands(seen != views.end() ? seen->second : 0));
  return d;
}

core::Result<std::map<std::int64_t, units::Unit>> UnitsById(const VideoPageDeps& deps,
                                                            std::int64_t contest_id) {
  auto lease = deps.db.Read();
  return units::UnitsById(*lease, contest_id);
}

void Gallery(const VideoPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = SiteContest(deps);
  if (!contest) return res.SendError(contest.error());
  auto entries = deps.videos.Gallery(*contest);
  if (!entries) return res.SendError(entries.error());
  auto units = UnitsById(deps, contest->id);
  if (!units) return res.SendError(units.error());
  auto views = deps.videos.Views(*contest);
  if (!views) return res.SendError(views.error());
  const auto unit_code = req.QueryParam("don-vi").value_or("");
  const auto form = req.QueryParam("hinh-thuc").value_or("");
  const auto theme = req.QueryParam("chu-de").value_or("");
  list items;
  for (const auto& e : *entries) {
    const auto unit = units->find(e.unit_id);
    if (!unit_code.empty() && (unit == units->end() || unit->second.code != unit_code)) continue;
    if (!form.empty() && e.fields.form != form) continue;
    if (!theme.empty() &&
        std::find(e.fields.themes.begin(), e.fields.themes.end(), theme) == e.fields.themes.end()) {
      continue;
    }
    items.push_back(PublicEntryData(e, *units, *views));
  }
  Data d;
  d.set("videos", items);
  d.set("has_videos", !items.empty());
  d.set("count", std::to_string(items.size()));
  d.set("filtered", !unit_code.empty() || !form.empty() || !theme.empty());
  // The filters offer only what the gallery holds.
  list unit_choices, form_choices, theme_choices;
  std::set<std::int64_t> unit_ids;
  std::set<std::string> forms, themes;
  for (const auto& e : *entries) {
    unit_ids.insert(e.unit_id);
    forms.insert(e.fields.form);
    themes.insert(e.fields.themes.begin(), e.fields.themes.end());
  }
  for (const auto& [id, u] : *units) {
    if (!unit_ids.count(id)) continue;
    Data x;
    x.set("code", u.code);
    x.set("label", u.name);
    x.set("selected", u.code == unit_code);
    unit_choices.push_back(x);
  }
  for (const auto& c : video::Forms()) {
    if (!forms.count(std::string(c.code))) continue;
    Data x;
    x.set("code", std::string(c.code));
    x.set("label", std::string(c.label));
    x.set("selected", c.code == form);
    form_choices.push_back(x);
  }
  for (const auto& c : video::Themes()) {
    if (!themes.count(std::string(c.code))) continue;
    Data x;
    x.set("code", std::string(c.code));
    x.set("label", std::string(c.label));
    x.set("selected", c.code == theme);
    theme_choices.push_back(x);
  }
  d.set("unit_choices", unit_choices);
  d.set("form_choices", form_choices);
  d.set("theme_choices", theme_choices);
  res.Send(PageResponse(deps, req, 200, "video_gallery", d, "Thư viện video dự thi"));
}

void Player(const VideoPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = SiteContest(deps);
  if (!contest) return res.SendError(contest.error());
  auto entry = deps.videos.PublicVideo(*contest, req.IdParam("id").value_or(0));
  if (!entry) return res.SendError(entry.error());
  auto units = UnitsById(deps, contest->id);
  if (!units) return res.SendError(units.error());
  // The page counts its own view: it is rendered once the view is written.
  deps.videos.CountView(
      *contest, *entry, ViewKeyOf(req),
      [deps, req = &req, res, contest = *contest, entry = *entry, units = std::move(*units)] {
        auto views = deps.videos.Views(contest, entry.id);
        if (!views) return res.SendError(views.error());
        Data d = PublicEntryData(entry, units, *views);
        const auto base = PublicAddress(deps.public_url, *req);
        d.set("embed_code", "<iframe src=\"" + base + PublicUrl(entry.id, "/nhung") +
                                "\" width=\"640\" height=\"360\" title=\"" + entry.fields.title +
                                "\" allowfullscreen style=\"border:0\"></iframe>");
        res.Send(PageResponse(deps, *req, 200, "video_player", d, entry.fields.title));
      });
}

void Embed(const VideoPageDeps& deps, http::Request& req, http::Responder res) {
  auto contest = SiteContest(deps);
  if (!contest) return res.SendError(contest.error());
  auto entry = deps.videos.PublicVideo(*contest, req.IdParam("id").value_or(0));
  if (!entry) return res.SendError(entry.error());
  deps.videos.CountView(*contest, *entry, ViewKeyOf(req), [] {});
  Data d;
  d.set("title", entry->fields.title);
  d.set("poster_url", PublicUrl(entry->id, "/anh"));
  d.set("video_url", PublicUrl(entry->id, "/phat"));
  d.set("page_url", PublicAddress(deps.public_url, req) + PublicUrl(entry->id));
  Data page;
  page.set("content", deps.views.Fragment("video_embed", d));
  page.set("css_url", deps.views.AssetUrl("embed.css"));
  page.set("title", entry->fields.title);
  auto r = http::Response::Html(200, deps.views.Fragment("embed_layout", page));
  // Besides the status card, the one page units' websites may frame.
  r.With("Content-Security-Policy",
         "default-src 'self'; img-src 'self'; media-src 'self'; style-src 'self'; "
         "script-src 'none'; object-src 'none'; base-uri 'self'; form-action 'none'; "
         "frame-ancestors *");
  r.With("Cache-Control", "no-store");
  res.Send(std::move(r));
}

void PublicFile(const VideoPageDeps& deps, http::Request& req, http::Responder res,
                video::FileKind kind) {
  auto contest = SiteContest(deps);
  if (!contest) return res.SendError(contest.error());
  auto entry = deps.videos.PublicVideo(*contest, req.IdParam("id").value_or(0));
  if (!entry) return res.SendError(entry.error());
  const auto file = video::FileId::Parse(entry->file_id.value_or(""));
  if (!file) {
    return res.SendError(
        core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy video dự thi."));
  }
  http::FileOptions options;
  options.content_type = kind == video::FileKind::kPoster ? "image/jpeg" : "video/mp4";
  options.cache_control = "public, no-cache";
  auto answer = http::ServeFile(req, deps.videos.files().PathOf(*file, kind).string(), options);
  if (!answer) return res.SendError(answer.error());
  res.Send(std::move(*answer));
}

void PublicPoster(const VideoPageDeps& deps, http::Request& req, http::Responder res) {
  PublicFile(deps, req, std::move(res), video::FileKind::kPoster);
}
void PublicPlayable(const VideoPageDeps& deps, http::Request& req, http::Responder res) {
  PublicFile(deps, req, std::move(res), video::FileKind::kPlayable);
}

/// The organisers put a ready video into the gallery or take it out, from the unit's page.
void ApproveEntry(const VideoPageDeps& deps, http::Request& req, http::Responder res) {
  auto at = UnitOf(deps, req);
  if (!at) return res.SendError(at.error());
  const bool approve = http::FieldValue(http::UrlEncodedFields(req), "approve") == "1";
  deps.videos.Approve(
      Who(req), http::ClientOf(req), at->contest, req.IdParam("id").value_or(0), approve,
      [res, url = PageUrl(at->unit), approve](core::Result<video::Entry> r) {
        if (!r) return res.SendError(r.error());
        res.Send(http::Response::Redirect(url + (approve ? "?xong=duyet" : "?xong=go")));
      });
}

}  // namespace

std::string ThemesText(const std::vector<std::string>& themes) {
  std::string out;
  for (const auto& t : themes) {
    if (!out.empty()) out += "; ";
    out += video::ThemeLabel(t);
  }
  return out;
}

void SetCredits(Data& data, const std::vector<video::Credit>& credits) {
  list items;
  for (const auto& c : credits) {
    Data x;
    x.set("name", c.name);
    SetIfPresent(x, "role", c.role);
    x.set("invited", c.invited);
    items.push_back(x);
  }
  data.set("credits", items);
  data.set("has_credits", !items.empty());
}

void RegisterVideoPages(http::Router& router, const VideoPageDeps& deps) {
  const auto viewers = Access::Roles({Role::kAdmin, Role::kSecretary, Role::kFocalPoint});
  const auto managers = Access::Roles({Role::kAdmin, Role::kFocalPoint});
  router.Add(Method::kGet, "/quan-tri/video", Access::Roles({Role::kAdmin, Role::kSecretary}),
             Bind(deps, Overview));
  router.Add(Method::kGet, "/don-vi/{unit}/video", viewers, Bind(deps, UnitVideos));
  router.Add(Method::kPost, "/don-vi/{unit}/video", managers, Bind(deps, CreateEntry));
  router.Add(Method::kPost, "/don-vi/{unit}/video/{id}/rut", managers, Bind(deps, WithdrawEntry));
  router.Add(Method::kPost, "/don-vi/{unit}/video/{id}/duyet", Access::Roles({Role::kAdmin}),
             Bind(deps, ApproveEntry));
  // The public gallery; a video is public once the organisers approved it.
  router.Add(Method::kGet, "/video", Access::Anyone().Shared(), Bind(deps, Gallery));
  router.Add(Method::kGet, "/video/{id}", Access::Anyone(), Bind(deps, Player));
  router.Add(Method::kGet, "/video/{id}/nhung", Access::Anyone(), Bind(deps, Embed));
  router.Add(Method::kGet, "/video/{id}/anh", Access::Anyone(), Bind(deps, PublicPoster));
  router.Add(Method::kGet, "/video/{id}/phat", Access::Anyone(), Bind(deps, PublicPlayable));
}

}  // namespace hoithi::web
