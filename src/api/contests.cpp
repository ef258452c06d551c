// The contest and notice endpoints: JSON (or a contest file) in, the contest services, JSON out.
#include "api/contests.hpp"

#include "accounts/auth_service.hpp"
#include "api/common.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using nlohmann::json;

core::Error Invalid(std::string code, std::string message, std::string field) {
  auto e = core::MakeError(core::ErrorKind::kValidation, std::move(code), std::move(message),
                           std::move(field));
  e.fields = {{e.field, e.message}};
  return e;
}

/// The contest of the {id} parameter, when the caller may work on it.
core::Result<contest::Contest> ContestOf(const ContestApiDeps& deps, const http::Request& req) {
  const auto id = req.IdParam("id");
  if (!id) return contest::ContestNotFound();
  if (const auto own = Who(req).contest_id; own && *own != *id) return contest::ContestNotFound();
  auto lease = deps.db.Read();
  auto found = contest::FindContestById(*lease, *id);
  if (!found) return std::move(found).error();
  if (!*found) return contest::ContestNotFound();
  return **found;
}

std::string_view PhaseCode(const contest::Contest& c, core::TimePoint now) {
  if (c.archived_at) return "archived";
  switch (contest::PhaseAt(c, now)) {
    case contest::Phase::kNotOpen:
      return "not_open";
    case contest::Phase::kOpen:
      return "open";
    case contest::Phase::kClosed:
      return "closed";
  }
  return "";
}

json ContestJson(const contest::Contest& c, const std::vector<contest::Prize>* prizes,
                 core::TimePoint now) {
  auto opt = [](const std::optional<core::TimePoint>& t) {
    return t ? json(core::FormatRfc3339(*t)) : json(nullptr);
  };
  json j = {
      {"id", c.id},
      {"slug", c.slug},
      {"name", c.name},
      {"organiser", c.organiser},
      {"time_zone", c.time_zone},
      {"contact",
       {{"office", c.contact_office}, {"phone", c.contact_phone}, {"email", c.contact_email}}},
      {"opens_at", core::FormatRfc3339(c.schedule.opens_at)},
      {"closes_at", core::FormatRfc3339(c.schedule.closes_at)},
      {"video_closes_at", opt(c.schedule.video_closes_at)},
      {"results_due_at", opt(c.schedule.results_due_at)},
      {"phase", std::string(PhaseCode(c, now))},
      {"archived", c.archived_at.has_value()}};
  if (prizes) {
    json p = json::array();
    for (const auto& x : *prizes) {
      p.push_back({{"category", std::string(contest::PrizeCategoryName(x.category))},
                   {"title", x.title},
                   {"quantity", x.quantity},
                   {"amount", x.amount_vnd},
                   {"amount_text", core::FormatVnd(x.amount_vnd)}});
    }
    j["prizes"] = p;
    const auto budget = contest::PrizeBudget(*prizes);
    j["budget"] = budget;
    j["budget_text"] = core::FormatVnd(budget);
  }
  return j;
}

/// An instant of the body: RFC 3339 text, or null/absent (for the optional ones).
core::Status When(const json& body, const char* key, bool required,
                  std::optional<core::TimePoint>* out) {
  if (!body.contains(key) || body[key].is_null()) {
    if (required) return Invalid("required", "Vui lòng nhập thời điểm.", key);
    out->reset();
    return core::Ok();
  }
  if (!body[key].is_string()) {
    return Invalid("invalid_date", "Thời điểm cần dạng RFC 3339, ví dụ 2021-09-15T07:00:00+07:00.",
                   key);
  }
  *out = core::ParseRfc3339(body[key].get<std::string>());
  if (!*out) {
    return Invalid("invalid_date", "Thời điểm cần dạng RFC 3339, ví dụ 2021-09-15T07:00:00+07:00.",
                   key);
  }
  return core::Ok();
}

/// The contest and prize table of a body (the shape of ContestJson). kValidation naming the
/// field for a wrong type: a prize count or amount that is not a whole number, a missing time.
core::Result<contest::ContestWithPrizes> FromJson(const json& body, contest::Contest base) {
  contest::ContestWithPrizes out;
  auto& c = out.contest;
  c = std::move(base);
  for (const auto& [key, target] : {std::pair<const char*, std::string*>{"slug", &c.slug},
                                    {"name", &c.name},
                                    {"organiser", &c.organiser},
                                    {"time_zone", &c.time_zone}}) {
    if (!body.contains(key)) continue;
    auto v = http::JsonString(body, key);
    if (!v) return std::move(v).error();
    *target = std::move(*v);
  }
  if (body.contains("contact")) {
    if (!body["contact"].is_object()) {
      return Invalid("invalid_type", "contact cần là một đối tượng.", "contact");
    }
    for (const auto& [key, target] :
         {std::pair<const char*, std::string*>{"office", &c.contact_office},
          {"phone", &c.contact_phone},
          {"email", &c.contact_email}}) {
      if (!body["contact"].contains(key)) continue;
      auto v = http::JsonString(body["contact"], key);
      if (!v) return Invalid("invalid_type", v.error().message, std::string("contact.") + key);
      *target = std::move(*v);
    }
  }
  std::optional<core::TimePoint> opens = c.schedule.opens_at, closes = c.schedule.closes_at;
  if (body.contains("opens_at")) HOITHI_TRY(When(body, "opens_at", true, &opens));
  if (body.contains("closes_at")) HOITHI_TRY(When(body, "closes_at", true, &closes));
  if (body.contains("video_closes_at")) {
    HOITHI_TRY(When(body, "video_closes_at", false, &c.schedule.video_closes_at));
  }
  if (body.contains("results_due_at")) {
    HOITHI_TRY(When(body, "results_due_at", false, &c.schedule.results_due_at));
  }
  if (!opens) return Invalid("required", "Vui lòng nhập thời điểm.", "opens_at");
  if (!closes) return Invalid("required", "Vui lòng nhập thời điểm.", "closes_at");
  c.schedule.opens_at = *opens;
  c.schedule.closes_at = *closes;
  if (body.contains("prizes")) {
    if (!body["prizes"].is_array()) {
      return Invalid("invalid_type", "prizes cần là một danh sách.", "prizes");
    }
    std::map<contest::PrizeCategory, int> positions;
    for (std::size_t i = 0; i < body["prizes"].size(); ++i) {
      const auto& p = body["prizes"][i];
      const auto at = "prizes[" + std::to_string(i) + "]";
      if (!p.is_object()) return Invalid("invalid_type", "Mỗi giải cần là một đối tượng.", at);
      contest::Prize prize;
      auto category_text = http::JsonString(p, "category");
      if (!category_text) return std::move(category_text).error();
      const auto& category = *category_text;
      if (category == "collective") {
        prize.category = contest::PrizeCategory::kCollective;
      } else if (category == "video") {
        prize.category = contest::PrizeCategory::kVideo;
      } else if (category == "individual") {
        prize.category = contest::PrizeCategory::kIndividual;
      } else {
        return Invalid("invalid_prize", "Loại giải cần là collective, video hoặc individual.",
                       at + ".category");
      }
      if (!p.contains("quantity") || !p["quantity"].is_number_integer()) {
        return Invalid("invalid_prize", "Số lượng giải cần là số nguyên.", at + ".quantity");
      }
      if (!p.contains("amount") || !p["amount"].is_number_integer()) {
        return Invalid("invalid_prize", "Giá trị giải cần là số nguyên (đồng).", at + ".amount");
      }
      const auto quantity = p["quantity"].get<long long>();
      if (quantity < 1 || quantity > 1000) {
        return Invalid("invalid_prize", "Số lượng giải phải từ 1 đến 1.000.", at + ".quantity");
      }
      prize.quantity = static_cast<int>(quantity);
      prize.amount_vnd = p["amount"].get<std::int64_t>();
      auto title = http::JsonString(p, "title");
      if (!title) return std::move(title).error();
      prize.title = std::move(*title);
      prize.position = ++positions[prize.category];
      out.prizes.push_back(std::move(prize));
    }
  }
  return out;
}

void SendContest(const ContestApiDeps& deps, http::Responder res, int status,
                 const contest::Contest& c) {
  auto lease = deps.db.Read();
  auto prizes = contest::ListPrizes(*lease, c.id);
  if (!prizes) return res.SendError(prizes.error());
  res.Send(JsonResponse(status, ContestJson(c, &*prizes, deps.clock.Now())));
}

void ListContests(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  auto lease = deps.db.Read();
  auto all = contest::ListContests(*lease);
  if (!all) return res.SendError(all.error());
  json items = json::array();
  for (const auto& c : *all) {
    if (const auto own = Who(req).contest_id; own && *own != c.id) continue;
    items.push_back(ContestJson(c, nullptr, deps.clock.Now()));
  }
  res.Send(JsonResponse(200, {{"items", items}}));
}

void CreateContest(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  if (!Who(req).install_wide()) return res.SendError(contest::ContestNotFound());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  contest::Contest blank;
  blank.time_zone = std::string(core::kDefaultTimeZone);
  if (!body->contains("opens_at")) {
    return res.SendError(Invalid("required", "Vui lòng nhập thời điểm.", "opens_at"));
  }
  auto draft = FromJson(*body, blank);
  if (!draft) return res.SendError(draft.error());
  deps.contests.Create(http::ActorOf(req), std::move(*draft),
                       [deps, res](core::Result<contest::ContestWithPrizes> r) {
                         if (!r) return res.SendError(r.error());
                         SendContest(deps, res, 201, r->contest);
                       });
}

void GetContest(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  auto c = ContestOf(deps, req);
  if (!c) return res.SendError(c.error());
  SendContest(deps, res, 200, *c);
}

void UpdateContest(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  auto c = ContestOf(deps, req);
  if (!c) return res.SendError(c.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto next = FromJson(*body, *c);
  if (!next) return res.SendError(next.error());
  if (!body->contains("prizes")) {
    auto lease = deps.db.Read();
    auto prizes = contest::ListPrizes(*lease, c->id);
    if (!prizes) return res.SendError(prizes.error());
    next->prizes = std::move(*prizes);
  }
  auto reason = http::JsonString(*body, "reason");
  if (!reason) return res.SendError(reason.error());
  deps.contests.Update(http::ActorOf(req), c->id, std::move(*next), *reason,
                       [deps, res](core::Result<contest::ContestWithPrizes> r) {
                         if (!r) return res.SendError(r.error());
                         SendContest(deps, res, 200, r->contest);
                       });
}

void MoveDeadline(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  auto c = ContestOf(deps, req);
  if (!c) return res.SendError(c.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto which_field = http::JsonString(*body, "which");
  if (!which_field) return res.SendError(which_field.error());
  const auto& which_text = *which_field;
  contest::Deadline which;
  if (which_text == "quiz_close") {
    which = contest::Deadline::kQuizClose;
  } else if (which_text == "video_close") {
    which = contest::Deadline::kVideoClose;
  } else if (which_text == "results_due") {
    which = contest::Deadline::kResultsDue;
  } else {
    return res.SendError(Invalid(
        "invalid_deadline", "which cần là quiz_close, video_close hoặc results_due.", "which"));
  }
  std::optional<core::TimePoint> to;
  if (auto st = When(*body, "to", true, &to); !st) return res.SendError(st.error());
  auto reason = http::JsonString(*body, "reason");
  if (!reason) return res.SendError(reason.error());
  deps.contests.MoveDeadline(http::ActorOf(req), c->id, which, *to, *reason,
                             [deps, res](core::Result<contest::Contest> r) {
                               if (!r) return res.SendError(r.error());
                               SendContest(deps, res, 200, *r);
                             });
}

void ArchiveContest(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  if (!Who(req).install_wide()) return res.SendError(contest::ContestNotFound());
  auto c = ContestOf(deps, req);
  if (!c) return res.SendError(c.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  if (!body->contains("archived") || !(*body)["archived"].is_boolean()) {
    return res.SendError(Invalid("invalid_type", "archived cần là true hoặc false.", "archived"));
  }
  deps.contests.SetArchived(http::ActorOf(req), c->id, (*body)["archived"].get<bool>(),
                            [deps, res](core::Result<contest::Contest> r) {
                              if (!r) return res.SendError(r.error());
                              SendContest(deps, res, 200, *r);
                            });
}

void CopyContest(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  if (!Who(req).install_wide()) return res.SendError(contest::ContestNotFound());
  auto c = ContestOf(deps, req);
  if (!c) return res.SendError(c.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  editions::CopyRequest copy;
  auto slug = http::JsonString(*body, "slug");
  auto name = http::JsonString(*body, "name");
  if (!slug) return res.SendError(slug.error());
  if (!name) return res.SendError(name.error());
  copy.slug = *slug;
  copy.name = *name;
  std::optional<core::TimePoint> opens, closes;
  if (auto st = When(*body, "opens_at", true, &opens); !st) return res.SendError(st.error());
  if (auto st = When(*body, "closes_at", true, &closes); !st) return res.SendError(st.error());
  copy.opens_at = *opens;
  copy.closes_at = *closes;
  deps.editions.Copy(http::ActorOf(req), c->id, std::move(copy),
                     [deps, res](core::Result<contest::Contest> r) {
                       if (!r) return res.SendError(r.error());
                       SendContest(deps, res, 201, *r);
                     });
}

void ExportDefinition(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  auto c = ContestOf(deps, req);
  if (!c) return res.SendError(c.error());
  auto text = deps.editions.Export(c->id);
  if (!text) return res.SendError(text.error());
  res.Send(http::Download(std::move(*text), "application/toml; charset=utf-8",
                          "hoi-thi-" + c->slug + ".toml"));
}

void ImportDefinition(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  if (!Who(req).install_wide()) return res.SendError(contest::ContestNotFound());
  auto definition = editions::ReadDefinition(req.body);
  if (!definition) return res.SendError(definition.error());
  const bool apply = req.QueryParam("apply").value_or("") == "true";
  deps.editions.Import(http::ActorOf(req), std::move(*definition), apply,
                       [res](core::Result<editions::ImportReport> r) {
                         if (!r) return res.SendError(r.error());
                         res.Send(JsonResponse(200, {{"dry_run", r->dry_run},
                                                     {"creates_contest", r->creates_contest},
                                                     {"contest_id", r->contest_id},
                                                     {"prizes", r->prizes},
                                                     {"rounds", r->rounds},
                                                     {"units_added", r->units_added},
                                                     {"units_updated", r->units_updated},
                                                     {"units_not_in_file", r->units_not_in_file}}));
                       });
}

// --- notices --------------------------------------------------------------------------------

json NoticeJson(const contest::Notice& n, core::TimePoint now) {
  return {{"id", n.id},
          {"title", n.title},
          {"body", n.body},
          {"pinned", n.pinned},
          {"publish_at", core::FormatRfc3339(n.publish_at)},
          {"state", contest::StateAt(n, now) == contest::NoticeState::kPublished   ? "published"
                    : contest::StateAt(n, now) == contest::NoticeState::kScheduled ? "scheduled"
                                                                                   : "withdrawn"},
          {"kind", n.kind == contest::NoticeKind::kDeadline ? "deadline" : "manual"}};
}

void ListNotices(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  // The public list, or every notice for the contest's organisers (?all=true).
  const auto& viewer = http::ViewerOf(req);
  const bool staff = viewer.user && viewer.user->role == Role::kAdmin;
  const bool all = staff && req.QueryParam("all").value_or("") == "true";
  auto c = all ? WorkingContest(deps.current, req)
               : deps.current.Named(req.QueryParam("contest").value_or(""));
  if (!c) return res.SendError(c.error());
  auto lease = deps.db.Read();
  const auto now = deps.clock.Now();
  auto notices = contest::ListNotices(*lease, {c->id, !all, now, 200});
  if (!notices) return res.SendError(notices.error());
  json items = json::array();
  for (const auto& n : *notices)
    items.push_back(NoticeJson(n, now));
  res.Send(JsonResponse(200, {{"items", items}}));
}

core::Result<contest::Notice> NoticeFromJson(const json& body, std::int64_t contest_id) {
  contest::Notice n;
  n.contest_id = contest_id;
  auto title = http::JsonString(body, "title");
  auto text = http::JsonString(body, "body");
  if (!title) return std::move(title).error();
  if (!text) return std::move(text).error();
  n.title = *title;
  n.body = *text;
  if (body.contains("pinned")) {
    if (!body["pinned"].is_boolean()) {
      return Invalid("invalid_type", "pinned cần là true hoặc false.", "pinned");
    }
    n.pinned = body["pinned"].get<bool>();
  }
  std::optional<core::TimePoint> when;
  HOITHI_TRY(When(body, "publish_at", false, &when));
  if (when) n.publish_at = *when;
  return n;
}

void CreateNotice(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  auto c = WorkingContest(deps.current, req);
  if (!c) return res.SendError(c.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto n = NoticeFromJson(*body, c->id);
  if (!n) return res.SendError(n.error());
  deps.notices.Create(http::ActorOf(req), std::move(*n),
                      [deps, res](core::Result<contest::Notice> r) {
                        if (!r) return res.SendError(r.error());
                        res.Send(JsonResponse(201, NoticeJson(*r, deps.clock.Now())));
                      });
}

void UpdateNotice(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  auto c = WorkingContest(deps.current, req);
  if (!c) return res.SendError(c.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto n = NoticeFromJson(*body, c->id);
  if (!n) return res.SendError(n.error());
  n->id = req.IdParam("id").value_or(0);
  deps.notices.Edit(http::ActorOf(req), std::move(*n),
                    [deps, res](core::Result<contest::Notice> r) {
                      if (!r) return res.SendError(r.error());
                      res.Send(JsonResponse(200, NoticeJson(*r, deps.clock.Now())));
                    });
}

void WithdrawNotice(const ContestApiDeps& deps, http::Request& req, http::Responder res) {
  auto c = WorkingContest(deps.current, req);
  if (!c) return res.SendError(c.error());
  deps.notices.Withdraw(http::ActorOf(req), c->id, req.IdParam("id").value_or(0),
                        [deps, res](core::Result<contest::Notice> r) {
                          if (!r) return res.SendError(r.error());
                          res.Send(JsonResponse(200, NoticeJson(*r, deps.clock.Now())));
                        });
}

}  // namespace

void RegisterContestApi(http::Router& router, const ContestApiDeps& deps) {
  const auto admin = Access::Roles({Role::kAdmin});
  router.Add(Method::kGet, "/api/v1/contests", admin, Bind(deps, ListContests));
  router.Add(Method::kPost, "/api/v1/contests", admin, Bind(deps, CreateContest));
  router.Add(Method::kPost, "/api/v1/contests/import", admin, Bind(deps, ImportDefinition));
  router.Add(Method::kGet, "/api/v1/contests/{id}", admin, Bind(deps, GetContest));
  router.Add(Method::kPut, "/api/v1/contests/{id}", admin, Bind(deps, UpdateContest));
  router.Add(Method::kPost, "/api/v1/contests/{id}/deadlines", admin, Bind(deps, MoveDeadline));
  router.Add(Method::kPost, "/api/v1/contests/{id}/archive", admin, Bind(deps, ArchiveContest));
  router.Add(Method::kPost, "/api/v1/contests/{id}/copy", admin, Bind(deps, CopyContest));
  router.Add(Method::kGet, "/api/v1/contests/{id}/definition", admin, Bind(deps, ExportDefinition));
  router.Add(Method::kGet, "/api/v1/notices", Access::Anyone(), Bind(deps, ListNotices));
  router.Add(Method::kPost, "/api/v1/notices", admin, Bind(deps, CreateNotice));
  router.Add(Method::kPut, "/api/v1/notices/{id}", admin, Bind(deps, UpdateNotice));
  router.Add(Method::kPost, "/api/v1/notices/{id}/withdraw", admin, Bind(deps, WithdrawNotice));
}

}  // namespace hoithi::api
