// Contest console pages: view models over contest::ContestService, editions::EditionService and
// contest::NoticeService. Install-wide administrators see and create every contest; an
// organiser of one contest sees and edits that one.
#include "web/contest_pages.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "accounts/auth_service.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"

namespace hoithi::web {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using kainjow::mustache::list;

core::Error Invalid(std::string code, std::string message, std::string field) {
  auto e = core::MakeError(core::ErrorKind::kValidation, std::move(code), std::move(message),
                           std::move(field));
  e.fields = {{e.field, e.message}};
  return e;
}

/// The contest of the {id} parameter, when the viewer may work on it.
core::Result<contest::Contest> ContestOf(const ContestPageDeps& deps, const http::Request& req) {
  const auto id = req.IdParam("id");
  if (!id) return contest::ContestNotFound();
  const auto& who = Who(req);
  if (who.contest_id && *who.contest_id != *id) return contest::ContestNotFound();
  auto lease = deps.db.Read();
  auto found = contest::FindContestById(*lease, *id);
  if (!found) return std::move(found).error();
  if (!*found) return contest::ContestNotFound();
  return **found;
}

std::string PhaseText(const contest::Contest& c, core::TimePoint now) {
  if (c.archived_at) return "Đã lưu trữ";
  switch (contest::PhaseAt(c, now)) {
    case contest::Phase::kNotOpen:
      return "Chưa mở";
    case contest::Phase::kOpen:
      return "Đang diễn ra";
    case contest::Phase::kClosed:
      return "Đã kết thúc";
  }
  return "";
}

std::string_view CategoryLabel(contest::PrizeCategory c) {
  switch (c) {
    case contest::PrizeCategory::kCollective:
      return "Giải tập thể";
    case contest::PrizeCategory::kVideo:
      return "Giải video";
    case contest::PrizeCategory::kIndividual:
      return "Giải cá nhân";
  }
  return "";
}

/// "10.000.000" or "10000000" as a whole number of đồng; empty when it is not one.
std::optional<std::int64_t> ParseAmount(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != '.' && c != ' ' && c != ',') {
      return std::nullopt;
    }
  }
  if (digits.empty() || digits.size() > 13) return std::nullopt;
  return std::stoll(digits);
}

/// The contest and prize table of the console's form. kValidation naming the field.
core::Result<contest::ContestWithPrizes> FromForm(const http::FormFields& f,
                                                  const contest::Contest& base) {
  contest::ContestWithPrizes out;
  auto& c = out.contest;
  c = base;
  c.slug = http::FieldValue(f, "slug");
  c.name = http::FieldValue(f, "name");
  c.organiser = http::FieldValue(f, "organiser");
  c.time_zone = core::CleanText(http::FieldValue(f, "time_zone"));
  if (c.time_zone.empty()) c.time_zone = std::string(core::kDefaultTimeZone);
  c.contact_office = http::FieldValue(f, "contact_office");
  c.contact_phone = http::FieldValue(f, "contact_phone");
  c.contact_email = http::FieldValue(f, "contact_email");
  if (!core::IsKnownTimeZone(c.time_zone)) {
    return Invalid("invalid_time_zone", "Múi giờ không hợp lệ (ví dụ đúng: Asia/Ho_Chi_Minh).",
                   "time_zone");
  }
  auto when = [&](const char* key, bool required,
                  std::optional<core::TimePoint>* out_time) -> core::Status {
    const auto text = core::CleanText(http::FieldValue(f, key));
    if (text.empty()) {
      if (required) return Invalid("required", "Vui lòng nhập ngày giờ.", key);
      out_time->reset();
      return core::Ok();
    }
    *out_time = ParseLocalDateTime(text, c.time_zone);
    if (!*out_time) {
      return Invalid("invalid_date", "Ngày giờ ghi dạng dd/mm/yyyy hh:mm (giờ 24).", key);
    }
    return core::Ok();
  };
  std::optional<core::TimePoint> opens, closes;
  HOITHI_TRY(when("opens_at", true, &opens));
  HOITHI_TRY(when("closes_at", true, &closes));
  HOITHI_TRY(when("video_closes_at", false, &c.schedule.video_closes_at));
  HOITHI_TRY(when("results_due_at", false, &c.schedule.results_due_at));
  c.schedule.opens_at = *opens;
  c.schedule.closes_at = *closes;
  // The prize rows: parallel lists; a row whose title is empty is left out.
  std::vector<std::string> categories, titles, quantities, amounts;
  for (const auto& [name, value] : f) {
    if (name == "prize_category") categories.push_back(value);
    if (name == "prize_title") titles.push_back(value);
    if (name == "prize_quantity") quantities.push_back(value);
    if (name == "prize_amount") amounts.push_back(value);
  }
  std::map<contest::PrizeCategory, int> positions;
  for (std::size_t i = 0; i < titles.size(); ++i) {
    const auto title = core::CleanText(titles[i]);
    if (title.empty()) continue;
    const auto at = "prizes[" + std::to_string(i) + "]";
    contest::Prize p;
    p.title = title;
    const auto category = i < categories.size() ? categories[i] : "";
    if (category == "video") {
      p.category = contest::PrizeCategory::kVideo;
    } else if (category == "individual") {
      p.category = contest::PrizeCategory::kIndividual;
    } else {
      p.category = contest::PrizeCategory::kCollective;
    }
    const auto quantity = i < quantities.size() ? core::CleanText(quantities[i]) : "";
    if (quantity.empty() || quantity.size() > 4 ||
        quantity.find_first_not_of("0123456789") != std::string::npos) {
      return Invalid("invalid_prize",
                     "Số lượng giải \"" + title + "\" phải là số nguyên dương (1 đến 1.000).",
                     at + ".quantity");
    }
    p.quantity = std::stoi(quantity);
    const auto amount = ParseAmount(i < amounts.size() ? amounts[i] : "");
    if (!amount) {
      return Invalid("invalid_prize",
                     "Giá trị giải \"" + title + "\" phải là số tiền (đồng), ví dụ 10.000.000.",
                     at + ".amount");
    }
    p.amount_vnd = *amount;
    p.position = ++positions[p.category];
    out.prizes.push_back(std::move(p));
  }
  return out;
}

/// The console form's fields (values of `c` and `prizes`, then three empty prize rows).
void SetContestForm(Data& d, const contest::Contest& c, const std::vector<contest::Prize>& prizes,
                    bool with_values) {
  const auto tz = c.time_zone;
  if (with_values) {
    d.set("v_slug", c.slug);
    d.set("v_name", c.name);
    d.set("v_organiser", c.organiser);
    d.set("v_contact_office", c.contact_office);
    d.set("v_contact_phone", c.contact_phone);
    d.set("v_contact_email", c.contact_email);
    d.set("v_opens_at", DateTimeLocalValue(c.schedule.opens_at, tz));
    d.set("v_closes_at", DateTimeLocalValue(c.schedule.closes_at, tz));
    if (c.schedule.video_closes_at) {
      d.set("v_video_closes_at", DateTimeLocalValue(*c.schedule.video_closes_at, tz));
    }
    if (c.schedule.results_due_at) {
      d.set("v_results_due_at", DateTimeLocalValue(*c.schedule.results_due_at, tz));
    }
  }
  d.set("v_time_zone", tz.empty() ? std::string(core::kDefaultTimeZone) : tz);
  list rows;
  auto row = [&](const contest::Prize* p, std::size_t i) {
    Data r;
    r.set("index", std::to_string(i));
    r.set("number", std::to_string(i + 1));
    for (auto cat : {contest::PrizeCategory::kCollective, contest::PrizeCategory::kVideo,
                     contest::PrizeCategory::kIndividual}) {
      r.set(std::string("is_") + std::string(contest::PrizeCategoryName(cat)),
            p && p->category == cat);
    }
    if (p) {
      r.set("title", p->title);
      r.set("quantity", std::to_string(p->quantity));
      r.set("amount", core::FormatThousands(p->amount_vnd));
    }
    rows.push_back(r);
  };
  for (std::size_t i = 0; i < prizes.size(); ++i)
    row(&prizes[i], i);
  for (std::size_t i = prizes.size(); i < prizes.size() + 3; ++i)
    row(nullptr, i);
  d.set("prize_rows", rows);
  d.set("budget", core::FormatVnd(contest::PrizeBudget(prizes)));
}

// --- /quan-tri/hoi-thi ----------------------------------------------------------------------

core::Result<Data> ContestsData(const ContestPageDeps& deps, const http::Request& req) {
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  const bool install_wide = Who(req).install_wide();
  d.set("install_wide", install_wide);
  auto lease = deps.db.Read();
  auto all = contest::ListContests(*lease);
  if (!all) return std::move(all).error();
  const auto now = deps.clock.Now();
  list rows, sources;
  for (const auto& c : *all) {
    if (!install_wide && Who(req).contest_id != c.id) continue;
    Data r;
    r.set("id", std::to_string(c.id));
    r.set("name", c.name);
    r.set("slug", c.slug);
    r.set("window", core::FormatDateTime(c.schedule.opens_at, c.time_zone) + " – " +
                        core::FormatDateTime(c.schedule.closes_at, c.time_zone, true));
    r.set("phase", PhaseText(c, now));
    r.set("archived", c.archived_at.has_value());
    rows.push_back(r);
    Data s;
    s.set("id", std::to_string(c.id));
    s.set("name", c.name);
    sources.push_back(s);
  }
  d.set("contests", rows);
  d.set("has_contests", !rows.empty());
  d.set("sources", sources);
  contest::Contest blank;
  blank.time_zone = std::string(core::kDefaultTimeZone);
  SetContestForm(d, blank, {}, false);
  if (req.QueryParam("saved")) d.set("notice", "Đã lưu.");
  return d;
}

void Contests(const ContestPageDeps& deps, http::Request& req, http::Responder res) {
  auto d = ContestsData(deps, req);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "admin_contests", *d, "Các hội thi"));
}

void ContestsFailed(const ContestPageDeps& deps, const http::Request& req, http::Responder res,
                    const http::FormFields& f, const core::Error& e) {
  auto d = ContestsData(deps, req);
  if (!d) return res.SendError(d.error());
  for (const auto& [name, value] : f) {
    if (name != "_csrf" && !name.starts_with("prize_")) d->set("v_" + name, value);
  }
  SetFormErrors(*d, e);
  d->set("has_errors", true);
  res.Send(PageResponse(deps, req, http::HttpStatus(e.kind), "admin_contests", *d, "Các hội thi"));
}

void CreateContest(const ContestPageDeps& deps, http::Request& req, http::Responder res) {
  if (!Who(req).install_wide()) return res.SendError(contest::ContestNotFound());
  const auto f = http::UrlEncodedFields(req);
  auto draft = FromForm(f, contest::Contest{});
  http::Request* request = &req;
  if (!draft) return ContestsFailed(deps, req, res, f, draft.error());
  deps.contests.Create(http::ActorOf(req), std::move(*draft),
                       [deps, request, res, f](core::Result<contest::ContestWithPrizes> r) {
                         if (!r) return ContestsFailed(deps, *request, res, f, r.error());
                         res.Send(http::Response::Redirect(
                             "/quan-tri/hoi-thi/" + std::to_string(r->contest.id) + "?saved=1"));
                       });
}

void CopyContest(const ContestPageDeps& deps, http::Request& req, http::Responder res) {
  if (!Who(req).install_wide()) return res.SendError(contest::ContestNotFound());
  const auto f = http::UrlEncodedFields(req);
  http::Request* request = &req;
  auto fail = [deps, request, res, f](const core::Error& e) {
    ContestsFailed(deps, *request, res, f, e);
  };
  const auto from = std::atoll(http::FieldValue(f, "from").c_str());
  editions::CopyRequest copy;
  copy.slug = core::CleanText(http::FieldValue(f, "copy_slug"));
  copy.name = core::CleanText(http::FieldValue(f, "copy_name"));
  const auto tz = std::string(core::kDefaultTimeZone);
  const auto opens = ParseLocalDateTime(core::CleanText(http::FieldValue(f, "copy_opens_at")), tz);
  const auto closes =
      ParseLocalDateTime(core::CleanText(http::FieldValue(f, "copy_closes_at")), tz);
  if (!opens) {
    return fail(
        Invalid("invalid_date", "Ngày giờ ghi dạng dd/mm/yyyy hh:mm (giờ 24).", "copy_opens_at"));
  }
  if (!closes) {
    return fail(
        Invalid("invalid_date", "Ngày giờ ghi dạng dd/mm/yyyy hh:mm (giờ 24).", "copy_closes_at"));
  }
  copy.opens_at = *opens;
  copy.closes_at = *closes;
  deps.editions.Copy(
      http::ActorOf(req), from, std::move(copy), [res, fail](core::Result<contest::Contest> r) {
        if (!r) {
          auto e = r.error();
          if (e.field == "slug") e.field = "copy_slug";
          if (e.field == "name") e.field = "copy_name";
          if (e.field == "closes_at") e.field = "copy_closes_at";
          e.fields = {{e.field, e.message}};
          return fail(e);
        }
        res.Send(
            http::Response::Redirect("/quan-tri/hoi-thi/" + std::to_string(r->id) + "?saved=1"));
      });
}

// --- /quan-tri/hoi-thi/{id} -----------------------------------------------------------------

core::Result<Data> ContestData(const ContestPageDeps& deps, const http::Request& req,
                               const contest::Contest& c, bool with_values) {
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("id", std::to_string(c.id));
  d.set("name", c.name);
  d.set("phase", PhaseText(c, deps.clock.Now()));
  d.set("archived", c.archived_at.has_value());
  d.set("install_wide", Who(req).install_wide());
  d.set("started", contest::PhaseAt(c, deps.clock.Now()) != contest::Phase::kNotOpen);
  auto lease = deps.db.Read();
  auto prizes = contest::ListPrizes(*lease, c.id);
  if (!prizes) return std::move(prizes).error();
  SetContestForm(d, c, *prizes, with_values);
  list groups;
  for (auto cat : {contest::PrizeCategory::kCollective, contest::PrizeCategory::kVideo,
                   contest::PrizeCategory::kIndividual}) {
    std::int64_t total = 0;
    int count = 0;
    for (const auto& p : *prizes) {
      if (p.category != cat) continue;
      total += static_cast<std::int64_t>(p.quantity) * p.amount_vnd;
      count += p.quantity;
    }
    if (count == 0) continue;
    Data g;
    g.set("label", std::string(CategoryLabel(cat)));
    g.set("count", std::to_string(count));
    g.set("total", core::FormatVnd(total));
    groups.push_back(g);
  }
  d.set("has_budget_groups", !groups.empty());
  d.set("budget_groups", groups);
  auto deadline = [&](const char* key, const std::optional<core::TimePoint>& t) {
    d.set(key, t ? core::FormatDateTime(*t, c.time_zone, true) : std::string("chưa đặt"));
  };
  deadline("quiz_close_text", c.schedule.closes_at);
  deadline("video_close_text", c.schedule.video_closes_at);
  deadline("results_due_text", c.schedule.results_due_at);
  if (req.QueryParam("saved")) d.set("notice", "Đã lưu.");
  if (req.QueryParam("moved")) d.set("notice", "Đã đổi thời hạn và đăng thông báo cho các đơn vị.");
  if (req.QueryParam("archived"))
    d.set("notice", "Đã lưu trữ hội thi; trang công khai không còn hiện hội thi này.");
  if (req.QueryParam("restored")) d.set("notice", "Đã khôi phục hội thi.");
  return d;
}

void ContestPage(const ContestPageDeps& deps, http::Request& req, http::Responder res) {
  auto c = ContestOf(deps, req);
  if (!c) return res.SendError(c.error());
  auto d = ContestData(deps, req, *c, true);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "admin_contest", *d, c->name));
}

void ContestFailed(const ContestPageDeps& deps, const http::Request& req, http::Responder res,
                   const contest::Contest& c, const http::FormFields& f, const core::Error& e) {
  auto d = ContestData(deps, req, c, true);
  if (!d) return res.SendError(d.error());
  for (const auto& [name, value] : f) {
    if (name != "_csrf" && !name.starts_with("prize_")) d->set("v_" + name, value);
  }
  SetFormErrors(*d, e);
  d->set("has_errors", true);
  res.Send(PageResponse(deps, req, http::HttpStatus(e.kind), "admin_contest", *d, c.name));
}

void UpdateContest(const ContestPageDeps& deps, http::Request& req, http::Responder res) {
  auto c = ContestOf(deps, req);
  if (!c) return res.SendError(c.error());
  const auto f = http::UrlEncodedFields(req);
  auto next = FromForm(f, *c);
  if (!next) return ContestFailed(deps, req, res, *c, f, next.error());
  http::Request* request = &req;
  deps.contests.Update(http::ActorOf(req), c->id, std::move(*next), http::FieldValue(f, "reason"),
                       [deps, request, res, f, c = *c](core::Result<contest::ContestWithPrizes> r) {
                         if (!r) return ContestFailed(deps, *request, res, c, f, r.error());
                         res.Send(http::Response::Redirect("/quan-tri/hoi-thi/" +
                                                           std::to_string(c.id) + "?saved=1"));
                       });
}

void MoveDeadline(const ContestPageDeps& deps, http::Request& req, http::Responder res) {
  auto c = ContestOf(deps, req);
  if (!c) return res.SendError(c.error());
  const auto f = http::UrlEncodedFields(req);
  http::Request* request = &req;
  auto fail = [deps, request, res, f, c = *c](const core::Error& e) {
    ContestFailed(deps, *request, res, c, f, e);
  };
  const auto which_text = http::FieldValue(f, "which");
  const auto which = which_text == "video"     ? contest::Deadline::kVideoClose
                     : which_text == "results" ? contest::Deadline::kResultsDue
                                               : contest::Deadline::kQuizClose;
  const auto to = ParseLocalDateTime(core::CleanText(http::FieldValue(f, "to")), c->time_zone);
  if (!to) {
    return fail(Invalid("invalid_date", "Ngày giờ ghi dạng dd/mm/yyyy hh:mm (giờ 24).", "to"));
  }
  deps.contests.MoveDeadline(
      http::ActorOf(req), c->id, which, *to, http::FieldValue(f, "reason"),
      [res, fail, id = c->id](core::Result<contest::Contest> r) {
        if (!r) {
          auto e = r.error();
          if (e.field == "closes_at" || e.field == "video_closes_at" ||
              e.field == "results_due_at") {
            e.field = "to";
            e.fields = {{e.field, e.message}};
          }
          return fail(e);
        }
        res.Send(http::Response::Redirect("/quan-tri/hoi-thi/" + std::to_string(id) + "?moved=1"));
      });
}

void ArchiveContest(const ContestPageDeps& deps, http::Request& req, http::Responder res) {
  if (!Who(req).install_wide()) return res.SendError(contest::ContestNotFound());
  auto c = ContestOf(deps, req);
  if (!c) return res.SendError(c.error());
  const auto f = http::UrlEncodedFields(req);
  const bool archive = http::FieldValue(f, "archive") != "0";
  if (http::FieldValue(f, "confirm") != "1") {
    // A change of what the public sees: ask first, saying what will happen.
    Data d;
    d.set("csrf", http::ViewerOf(req).CsrfToken());
    d.set("id", std::to_string(c->id));
    d.set("name", c->name);
    d.set("archive", archive);
    return res.Send(PageResponse(deps, req, 200, "admin_contest_archive", d, c->name));
  }
  deps.contests.SetArchived(
      http::ActorOf(req), c->id, archive,
      [res, archive, id = c->id](core::Result<contest::Contest> r) {
        if (!r) return res.SendError(r.error());
        res.Send(http::Response::Redirect("/quan-tri/hoi-thi/" + std::to_string(id) +
                                          (archive ? "?archived=1" : "?restored=1")));
      });
}

void ExportContest(const ContestPageDeps& deps, http::Request& req, http::Responder res) {
  auto c = ContestOf(deps, req);
  if (!c) return res.SendError(c.error());
  auto text = deps.editions.Export(c->id);
  if (!text) return res.SendError(text.error());
  res.Send(http::Download(std::move(*text), "application/toml; charset=utf-8",
                          "hoi-thi-" + c->slug + ".toml"));
}

}  // namespace

std::optional<core::TimePoint> ParseLocalDateTime(std::string_view text, const std::string& tz) {
  int d = 0, mo = 0, y = 0, h = 0, mi = 0;
  char tail = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &tail) == 5 ||
      std::sscanf(s.c_str(), "%2d/%2d/%4d %2d:%2d%c", &d, &mo, &y, &h, &mi, &tail) == 5) {
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 24 || mi < 0 || mi > 59) {
      return std::nullopt;
    }
    if (h == 24 && mi != 0) return std::nullopt;
    return core::LocalToUtc(y, mo, d, h, mi, tz);
  }
  return std::nullopt;
}

std::string DateTimeLocalValue(core::TimePoint t, const std::string& tz) {
  // FormatDateTime gives "07:00 15/09/2021".
  const auto text = core::FormatDateTime(t, tz);
  int h = 0, mi = 0, d = 0, mo = 0, y = 0;
  if (std::sscanf(text.c_str(), "%2d:%2d %2d/%2d/%4d", &h, &mi, &d, &mo, &y) != 5) return {};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}", y, mo, d, h, mi);
}

void RegisterContestPages(http::Router& router, const ContestPageDeps& deps) {
  const auto admin = Access::Roles({Role::kAdmin});
  router.Add(Method::kGet, "/quan-tri/hoi-thi", admin, Bind(deps, Contests));
  router.Add(Method::kPost, "/quan-tri/hoi-thi", admin, Bind(deps, CreateContest));
  router.Add(Method::kPost, "/quan-tri/hoi-thi/sao-chep", admin, Bind(deps, CopyContest));
  router.Add(Method::kGet, "/quan-tri/hoi-thi/{id}", admin, Bind(deps, ContestPage));
  router.Add(Method::kPost, "/quan-tri/hoi-thi/{id}", admin, Bind(deps, UpdateContest));
  router.Add(Method::kPost, "/quan-tri/hoi-thi/{id}/thoi-han", admin, Bind(deps, MoveDeadline));
  router.Add(Method::kPost, "/quan-tri/hoi-thi/{id}/luu-tru", admin, Bind(deps, ArchiveContest));
  router.Add(Method::kGet, "/quan-tri/hoi-thi/{id}/tep", admin, Bind(deps, ExportContest));
}

}  // namespace hoithi::web
