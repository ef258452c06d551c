// Portal snippets, the banner, the QR codes and the status card.
#include "web/portal_pages.hpp"

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "results/leaderboard.hpp"
#include "units/units.hpp"
#include "web/qr_code.hpp"

namespace hoithi::web {
namespace {

using http::Access;
using http::Method;
using kainjow::mustache::list;

/// Images change with the contest (its name and dates): cached briefly by browsers.
http::Response Image(std::string body, std::string_view type) {
  http::Response r;
  r.content_type = std::string(type);
  r.body = std::move(body);
  r.With("Cache-Control", "public, max-age=300");
  return r;
}

void Snippets(const PortalPageDeps& deps, http::Request& req, http::Responder res) {
  const auto c = deps.current.Get();
  if (!c) return res.SendError(contest::NoContestError());
  const auto base = PublicAddress(deps.public_url, req);
  auto lease = deps.db.Read();
  auto units = units::ListUnits(*lease, c->id);
  if (!units) return res.SendError(units.error());
  const auto chosen = req.QueryParam("don-vi").value_or(units->empty() ? "" : units->front().code);
  Data d;
  d.set("name", c->name);
  d.set("base", base);
  list options;
  std::string unit_name;
  for (const auto& u : *units) {
    Data o;
    o.set("code", u.code);
    o.set("name", u.name);
    o.set("selected", u.code == chosen);
    if (u.code == chosen) unit_name = u.name;
    options.push_back(o);
  }
  d.set("units", options);
  const auto card_url = base + "/nhung/trang-thai?don-vi=" + chosen;
  d.set("card_url", card_url);
  d.set("unit_name", unit_name);
  d.set("link_snippet", "<a href=\"" + base + "/\">" + EscapeMarkup(c->name) + "</a>");
  d.set("banner_snippet", "<a href=\"" + base + "/\"><img src=\"" + base +
                              "/bieu-ngu.svg\" alt=\"" + EscapeMarkup(c->name) +
                              "\" width=\"600\" height=\"150\"></a>");
  d.set("card_snippet", "<iframe src=\"" + card_url + "\" title=\"" + EscapeMarkup(c->name) +
                            "\" width=\"320\" height=\"240\" style=\"border:0\"></iframe>");
  d.set("qr_svg_url", base + "/ma-qr.svg");
  d.set("qr_png_url", base + "/ma-qr.png");
  res.Send(PageResponse(deps, req, 200, "portal", d, "Giới thiệu hội thi trên cổng thông tin"));
}

void StatusCard(const PortalPageDeps& deps, http::Request& req, http::Responder res) {
  const auto c = deps.current.Get();
  if (!c) return res.SendError(contest::NoContestError());
  const auto now = deps.clock.Now();
  const auto phase = contest::PhaseAt(*c, now);
  Data d;
  d.set("name", c->name);
  d.set("base", PublicAddress(deps.public_url, req));
  d.set("phase_label", std::string(contest::PhaseLabel(phase)));
  d.set("phase_code", phase == contest::Phase::kOpen      ? "open"
                      : phase == contest::Phase::kNotOpen ? "not-open"
                                                          : "closed");
  if (phase != contest::Phase::kClosed) {
    const auto target =
        phase == contest::Phase::kNotOpen ? c->schedule.opens_at : c->schedule.closes_at;
    d.set("countdown_label", phase == contest::Phase::kNotOpen ? "Bắt đầu sau" : "Còn lại");
    d.set("countdown_iso", core::FormatRfc3339(target));
    d.set("countdown_text", core::FormatDateTime(target, c->time_zone, true));
    d.set("server_time", core::FormatRfc3339(now));
  }
  const auto code = req.QueryParam("don-vi").value_or("");
  if (!code.empty()) {
    auto lease = deps.db.Read();
    auto rows = results::UnitParticipation(*lease, deps.standings, deps.participant_counts, *c);
    if (!rows) return res.SendError(rows.error());
    for (const auto& r : *rows) {
      if (r.code != code) continue;
      Data u;
      u.set("name", r.name);
      u.set("participants", core::FormatThousands(r.participants));
      if (r.headcount) u.set("headcount", core::FormatThousands(*r.headcount));
      if (r.participation_rate) {
        const auto permille = static_cast<long long>(*r.participation_rate * 1000 + 0.5);
        u.set("rate", fmt::format("{},{}%", permille / 10, permille % 10));
      }
      d.set("unit", u);
    }
  }
  Data page;
  page.set("content", deps.views.Fragment("status_card", d));
  page.set("css_url", deps.views.AssetUrl("embed.css"));
  page.set("script_url", deps.views.AssetUrl("countdown.js"));
  page.set("title", c->name);
  auto r = http::Response::Html(200, deps.views.Fragment("embed_layout", page));
  // The one page another site may frame (units' portals); every other page says
  // frame-ancestors 'none'.
  r.With("Content-Security-Policy",
         "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
         "object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors *");
  r.With("Cache-Control", "no-store");
  res.Send(std::move(r));
}

void Banner(const PortalPageDeps& deps, http::Request&, http::Responder res) {
  const auto c = deps.current.Get();
  if (!c) return res.SendError(contest::NoContestError());
  const auto window = "Từ " + core::FormatDateTime(c->schedule.opens_at, c->time_zone) + " đến " +
                      core::FormatDateTime(c->schedule.closes_at, c->time_zone, true);
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 150\" width=\"600\" "
      "height=\"150\" role=\"img\" aria-label=\"" +
      EscapeMarkup(c->name) +
      "\"><rect width=\"600\" height=\"150\" rx=\"10\" fill=\"#a4161a\"/>"
      "<rect x=\"8\" y=\"8\" width=\"584\" height=\"134\" rx=\"6\" fill=\"none\" "
      "stroke=\"#f4d35e\" stroke-width=\"2\"/>"
      "<text x=\"300\" y=\"48\" text-anchor=\"middle\" fill=\"#f4d35e\" font-family=\"'Noto "
      "Sans','DejaVu Sans',Arial,sans-serif\" font-size=\"16\" font-weight=\"700\">" +
      EscapeMarkup(c->organiser) +
      "</text><text x=\"300\" y=\"86\" text-anchor=\"middle\" fill=\"#fff\" "
      "font-family=\"'Noto Sans','DejaVu Sans',Arial,sans-serif\" font-size=\"" +
      (c->name.size() > 80 ? "15" : "19") + "\" font-weight=\"700\">" + EscapeMarkup(c->name) +
      "</text><text x=\"300\" y=\"120\" text-anchor=\"middle\" fill=\"#fff\" "
      "font-family=\"'Noto Sans','DejaVu Sans',Arial,sans-serif\" font-size=\"14\">" +
      EscapeMarkup(window) + " — Tham gia ngay!</text></svg>\n";
  res.Send(Image(std::move(svg), "image/svg+xml; charset=utf-8"));
}

void QrSvgImage(const PortalPageDeps& deps, http::Request& req, http::Responder res) {
  (void)deps;
  auto svg = QrSvg(PublicAddress(deps.public_url, req) + "/");
  if (!svg) return res.SendError(svg.error());
  res.Send(Image(std::move(*svg), "image/svg+xml; charset=utf-8"));
}

void QrPngImage(const PortalPageDeps& deps, http::Request& req, http::Responder res) {
  (void)deps;
  auto png = QrPng(PublicAddress(deps.public_url, req) + "/", 10);
  if (!png) return res.SendError(png.error());
  res.Send(Image(std::move(*png), "image/png"));
}

}  // namespace

void RegisterPortalPages(http::Router& router, const PortalPageDeps& deps) {
  router.Add(Method::kGet, "/gioi-thieu", Access::Anyone(), Bind(deps, Snippets));
  router.Add(Method::kGet, "/nhung/trang-thai", Access::Anyone(), Bind(deps, StatusCard));
  router.Add(Method::kGet, "/bieu-ngu.svg", Access::Anyone(), Bind(deps, Banner));
  router.Add(Method::kGet, "/ma-qr.svg", Access::Anyone(), Bind(deps, QrSvgImage));
  router.Add(Method::kGet, "/ma-qr.png", Access::Anyone(), Bind(deps, QrPngImage));
}

}  // namespace hoithi::web
