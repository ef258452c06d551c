// Notice pages and the Atom feed: view models over contest::NoticeService.
#include "web/notice_pages.hpp"

#include <fmt/format.h>

#include "accounts/auth_service.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"
#include "web/contest_pages.hpp"

namespace hoithi::web {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using kainjow::mustache::list;

/// One line of a paragraph: escaped, with links and bold.
std::string InlineHtml(std::string_view line) {
  std::string out;
  std::size_t i = 0;
  bool bold = false;
  while (i < line.size()) {
    const auto rest = line.substr(i);
    if (rest.starts_with("https://") || rest.starts_with("http://")) {
      std::size_t end = i;
      while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end])) &&
             line[end] != '<' && line[end] != '>' && line[end] != '"')
        ++end;
      // A sentence's last full stop or comma is not part of the address.
      while (end > i && (line[end - 1] == '.' || line[end - 1] == ',' || line[end - 1] == ')'))
        --end;
      const auto url = EscapeMarkup(line.substr(i, end - i));
      out += "<a href=\"" + url + "\" rel=\"noopener nofollow\">" + url + "</a>";
      i = end;
      continue;
    }
    if (rest.starts_with("**")) {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      i += 2;
      continue;
    }
    out += EscapeMarkup(line.substr(i, 1));
    ++i;
  }
  if (bold) out += "</strong>";
  return out;
}

core::Result<contest::Contest> WorkingOf(const NoticePageDeps& deps, const http::Request& req) {
  return WorkingContest(deps, req);
}

void SetNotice(Data& d, const contest::Notice& n, const std::string& tz, core::TimePoint now) {
  d.set("id", std::to_string(n.id));
  d.set("title", n.title);
  d.set("body_html", NoticeBodyHtml(n.body));
  d.set("when", core::FormatDateTime(n.publish_at, tz));
  d.set("pinned", n.pinned);
  d.set("state", std::string(contest::NoticeStateLabel(contest::StateAt(n, now))));
  d.set("withdrawn", n.withdrawn_at.has_value());
  d.set("v_title", n.title);
  d.set("v_body", n.body);
  d.set("v_publish_at", DateTimeLocalValue(n.publish_at, tz));
}

// --- /quan-tri/thong-bao --------------------------------------------------------------------

core::Result<Data> AdminData(const NoticePageDeps& deps, const http::Request& req,
                             const contest::Contest& c) {
  auto lease = deps.db.Read();
  const auto now = deps.clock.Now();
  auto all = contest::ListNotices(*lease, {c.id, false, now, 200});
  if (!all) return std::move(all).error();
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("contest_name", c.name);
  list rows;
  for (const auto& n : *all) {
    Data r;
    SetNotice(r, n, c.time_zone, now);
    rows.push_back(r);
  }
  d.set("notices", rows);
  d.set("has_notices", !rows.empty());
  if (req.QueryParam("saved")) d.set("notice", "Đã lưu thông báo.");
  if (req.QueryParam("withdrawn"))
    d.set("notice", "Đã gỡ thông báo; thông báo không còn hiện trên trang công khai.");
  return d;
}

void AdminNotices(const NoticePageDeps& deps, http::Request& req, http::Responder res) {
  auto c = WorkingOf(deps, req);
  if (!c) return res.SendError(c.error());
  auto d = AdminData(deps, req, *c);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "admin_notices", *d, "Thông báo"));
}

/// The notice of the form: title, body, pin, publish time (empty: now).
core::Result<contest::Notice> FromForm(const http::FormFields& f, const contest::Contest& c) {
  contest::Notice n;
  n.contest_id = c.id;
  n.title = core::CleanText(http::FieldValue(f, "title"));
  n.body = core::ToNfc(http::FieldValue(f, "body"));
  n.pinned = http::FieldValue(f, "pinned") == "1";
  const auto when = core::CleanText(http::FieldValue(f, "publish_at"));
  if (!when.empty()) {
    const auto t = ParseLocalDateTime(when, c.time_zone);
    if (!t) {
      auto e = core::MakeError(core::ErrorKind::kValidation, "invalid_date",
                               "Ngày giờ đăng ghi dạng dd/mm/yyyy hh:mm (giờ 24).", "publish_at");
      e.fields = {{e.field, e.message}};
      return e;
    }
    n.publish_at = *t;
  }
  return n;
}

void AdminFailed(const NoticePageDeps& deps, const http::Request& req, http::Responder res,
                 const contest::Contest& c, const http::FormFields& f, const core::Error& e) {
  auto d = AdminData(deps, req, c);
  if (!d) return res.SendError(d.error());
  for (const auto& [name, value] : f) {
    if (name != "_csrf") d->set("v_" + name, value);
  }
  SetFormErrors(*d, e);
  d->set("has_errors", true);
  res.Send(PageResponse(deps, req, http::HttpStatus(e.kind), "admin_notices", *d, "Thông báo"));
}

void CreateNotice(const NoticePageDeps& deps, http::Request& req, http::Responder res) {
  auto c = WorkingOf(deps, req);
  if (!c) return res.SendError(c.error());
  const auto f = http::UrlEncodedFields(req);
  auto n = FromForm(f, *c);
  if (!n) return AdminFailed(deps, req, res, *c, f, n.error());
  http::Request* request = &req;
  deps.notices.Create(http::ActorOf(req), std::move(*n),
                      [deps, request, res, f, c = *c](core::Result<contest::Notice> r) {
                        if (!r) return AdminFailed(deps, *request, res, c, f, r.error());
                        res.Send(http::Response::Redirect("/quan-tri/thong-bao?saved=1"));
                      });
}

void EditNotice(const NoticePageDeps& deps, http::Request& req, http::Responder res) {
  auto c = WorkingOf(deps, req);
  if (!c) return res.SendError(c.error());
  const auto f = http::UrlEncodedFields(req);
  auto n = FromForm(f, *c);
  if (!n) return AdminFailed(deps, req, res, *c, f, n.error());
  n->id = req.IdParam("id").value_or(0);
  http::Request* request = &req;
  deps.notices.Edit(http::ActorOf(req), std::move(*n),
                    [deps, request, res, f, c = *c](core::Result<contest::Notice> r) {
                      if (!r) return AdminFailed(deps, *request, res, c, f, r.error());
                      res.Send(http::Response::Redirect("/quan-tri/thong-bao?saved=1"));
                    });
}

void WithdrawNotice(const NoticePageDeps& deps, http::Request& req, http::Responder res) {
  auto c = WorkingOf(deps, req);
  if (!c) return res.SendError(c.error());
  const auto id = req.IdParam("id").value_or(0);
  if (http::FieldValue(http::UrlEncodedFields(req), "confirm") != "1") {
    // Without the page's script, the question is asked here, naming the notice.
    auto lease = deps.db.Read();
    auto n = contest::FindNotice(*lease, c->id, id);
    if (!n) return res.SendError(n.error());
    if (!*n) return res.SendError(contest::NoticeNotFound());
    Data d;
    d.set("csrf", http::ViewerOf(req).CsrfToken());
    d.set("heading", "Gỡ thông báo «" + (*n)->title + "»?");
    d.set("question",
          "Thông báo sẽ không còn hiện trên trang chủ, trang Thông báo và nguồn tin "
          "Atom. Việc gỡ được ghi vào nhật ký.");
    d.set("action", "/quan-tri/thong-bao/" + std::to_string(id) + "/go");
    d.set("button", "Gỡ thông báo");
    d.set("back", "/quan-tri/thong-bao");
    return res.Send(PageResponse(deps, req, 200, "confirm", d, "Gỡ thông báo"));
  }
  deps.notices.Withdraw(http::ActorOf(req), c->id, id, [res](core::Result<contest::Notice> r) {
    if (!r) return res.SendError(r.error());
    res.Send(http::Response::Redirect("/quan-tri/thong-bao?withdrawn=1"));
  });
}

// --- public ---------------------------------------------------------------------------------

void PublicNotices(const NoticePageDeps& deps, http::Request& req, http::Responder res) {
  const auto c = deps.current.Get();
  if (!c) return res.SendError(contest::NoContestError());
  auto lease = deps.db.Read();
  const auto now = deps.clock.Now();
  auto all = contest::ListNotices(*lease, {c->id, true, now, 200});
  if (!all) return res.SendError(all.error());
  Data d;
  d.set("contest_name", c->name);
  list rows;
  for (const auto& n : *all) {
    Data r;
    SetNotice(r, n, c->time_zone, now);
    rows.push_back(r);
  }
  d.set("notices", rows);
  d.set("has_notices", !rows.empty());
  res.Send(PageResponse(deps, req, 200, "notices", d, "Thông báo"));
}

void PublicNotice(const NoticePageDeps& deps, http::Request& req, http::Responder res) {
  const auto c = deps.current.Get();
  if (!c) return res.SendError(contest::NoContestError());
  auto lease = deps.db.Read();
  const auto now = deps.clock.Now();
  auto n = contest::FindNotice(*lease, c->id, req.IdParam("id").value_or(0));
  if (!n) return res.SendError(n.error());
  if (!*n || contest::StateAt(**n, now) != contest::NoticeState::kPublished) {
    return res.SendError(contest::NoticeNotFound());
  }
  Data d;
  SetNotice(d, **n, c->time_zone, now);
  res.Send(PageResponse(deps, req, 200, "notice", d, (*n)->title));
}

void Feed(const NoticePageDeps& deps, http::Request& req, http::Responder res) {
  const auto c = deps.current.Get();
  if (!c) return res.SendError(contest::NoContestError());
  auto lease = deps.db.Read();
  const auto now = deps.clock.Now();
  auto all = contest::ListNotices(*lease, {c->id, true, now, 50});
  if (!all) return res.SendError(all.error());
  const auto base = PublicAddress(deps.public_url, req);
  core::TimePoint updated = c->schedule.opens_at;
  for (const auto& n : *all)
    updated = std::max(updated, std::max(n.publish_at, n.updated_at));
  std::string xml = R"(<?xml version="1.0" encoding="utf-8"?>)"
                    "\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\n";
  xml += "<title>" + EscapeMarkup("Thông báo — " + c->name) + "</title>\n";
  xml += "<id>" + EscapeMarkup(base + "/thong-bao") + "</id>\n";
  xml += "<link rel=\"alternate\" type=\"text/html\" href=\"" + EscapeMarkup(base + "/thong-bao") +
         "\"/>\n";
  xml += "<link rel=\"self\" href=\"" + EscapeMarkup(base + "/thong-bao.atom") + "\"/>\n";
  xml += "<updated>" + core::FormatRfc3339(updated) + "</updated>\n";
  xml += "<author><name>" + EscapeMarkup(c->organiser.empty() ? c->name : c->organiser) +
         "</name></author>\n";
  for (const auto& n : *all) {
    const auto url = base + "/thong-bao/" + std::to_string(n.id);
    xml += "<entry>\n<title>" + EscapeMarkup(n.title) + "</title>\n";
    xml += "<id>" + EscapeMarkup(url) + "</id>\n";
    xml += "<link rel=\"alternate\" type=\"text/html\" href=\"" + EscapeMarkup(url) + "\"/>\n";
    xml += "<published>" + core::FormatRfc3339(n.publish_at) + "</published>\n";
    xml += "<updated>" + core::FormatRfc3339(std::max(n.publish_at, n.updated_at)) + "</updated>\n";
    xml +=
        "<content type=\"html\">" + EscapeMarkup(NoticeBodyHtml(n.body)) + "</content>\n</entry>\n";
  }
  xml += "</feed>\n";
  http::Response r;
  r.content_type = "application/atom+xml; charset=utf-8";
  r.body = std::move(xml);
  res.Send(std::move(r));
}

}  // namespace

std::string NoticeBodyHtml(std::string_view body) {
  std::string out;
  std::string paragraph;
  auto flush = [&] {
    if (!paragraph.empty()) out += "<p>" + paragraph + "</p>";
    paragraph.clear();
  };
  std::size_t start = 0;
  while (start <= body.size()) {
    auto end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    auto line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    if (blank) {
      flush();
    } else {
      if (!paragraph.empty()) paragraph += "<br>";
      paragraph += InlineHtml(line);
    }
    start = end + 1;
  }
  flush();
  return out;
}

void RegisterNoticePages(http::Router& router, const NoticePageDeps& deps) {
  const auto admin = Access::Roles({Role::kAdmin});
  router.Add(Method::kGet, "/thong-bao", Access::Anyone().Shared(), Bind(deps, PublicNotices));
  // The feed names the site's address: shared only when that does not come from the request.
  const auto feed = deps.public_url.empty() ? Access::Anyone() : Access::Anyone().Shared();
  router.Add(Method::kGet, "/thong-bao.atom", feed, Bind(deps, Feed));
  router.Add(Method::kGet, "/thong-bao/{id}", Access::Anyone().Shared(), Bind(deps, PublicNotice));
  router.Add(Method::kGet, "/quan-tri/thong-bao", admin, Bind(deps, AdminNotices));
  router.Add(Method::kPost, "/quan-tri/thong-bao", admin, Bind(deps, CreateNotice));
  router.Add(Method::kPost, "/quan-tri/thong-bao/{id}", admin, Bind(deps, EditNotice));
  router.Add(Method::kPost, "/quan-tri/thong-bao/{id}/go", admin, Bind(deps, WithdrawNotice));
}

}  // namespace hoithi::web
