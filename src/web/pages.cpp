// The public pages (home, rules) and the error page.
#include "web/pages.hpp"

#include <fmt/format.h>

#include "contest/contest_service.hpp"
#include "contest/notices.hpp"
#include "contest/rules_text.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "units/units.hpp"

namespace hoithi::web {
namespace {

using kainjow::mustache::list;

std::string_view PhaseCode(contest::Phase p) {
  switch (p) {
    case contest::Phase::kNotOpen:
      return "not-open";
    case contest::Phase::kOpen:
      return "open";
    case contest::Phase::kClosed:
      return "closed";
  }
  return "";
}

/// "3 ngày 4 giờ", "2 giờ 5 phút", "45 phút", "dưới 1 phút"
std::string Remaining(core::Millis d) {
  const auto minutes = d.count() / 60000;
  const auto days = minutes / (60 * 24);
  const auto hours = (minutes / 60) % 24;
  const auto mins = minutes % 60;
  if (days > 0) return fmt::format("{} ngày {} giờ", days, hours);
  if (hours > 0) return fmt::format("{} giờ {} phút", hours, mins);
  if (mins > 0) return fmt::format("{} phút", mins);
  return "dưới 1 phút";
}

std::string_view PrizeGroupLabel(contest::PrizeCategory c) {
  switch (c) {
    case contest::PrizeCategory::kCollective:
      return "Giải tập thể";
    case contest::PrizeCategory::kVideo:
      return "Giải video tuyên truyền hay nhất (tập thể)";
    case contest::PrizeCategory::kIndividual:
      return "Giải cá nhân (trả lời đúng nhiều nhất, nhanh nhất)";
  }
  return "";
}

/// The prize table in groups by category, with labels, for a page.
list PrizeGroups(const std::vector<contest::Prize>& prizes) {
  list groups;
  for (auto cat : {contest::PrizeCategory::kCollective, contest::PrizeCategory::kVideo,
                   contest::PrizeCategory::kIndividual}) {
    list rows;
    for (const auto& p : prizes) {
      if (p.category != cat) continue;
      Data row;
      row.set("title", p.title);
      row.set("quantity", std::to_string(p.quantity));
      row.set("amount", core::FormatVnd(p.amount_vnd));
      rows.push_back(row);
    }
    if (rows.empty()) continue;
    Data g;
    g.set("label", std::string(PrizeGroupLabel(cat)));
    g.set("prizes", rows);
    groups.push_back(g);
  }
  return groups;
}

void Home(const PublicPageDeps& deps, http::Request& req, http::Responder res) {
  const auto current = deps.current.Get();
  Data data;
  if (current) {
    const auto& c = *current;
    const auto now = deps.clock.Now();
    const auto phase = contest::PhaseAt(c, now);
    Data d;
    d.set("name", c.name);
    d.set("organiser", c.organiser);
    d.set("phase_code", std::string(PhaseCode(phase)));
    d.set("phase_label", std::string(contest::PhaseLabel(phase)));
    d.set("opens_local", core::FormatDateTime(c.schedule.opens_at, c.time_zone));
    d.set("closes_local", core::FormatDateTime(c.schedule.closes_at, c.time_zone, true));
    d.set("opens_iso", core::FormatRfc3339(c.schedule.opens_at));
    d.set("closes_iso", core::FormatRfc3339(c.schedule.closes_at));
    if (phase == contest::Phase::kNotOpen) {
      d.set("countdown_label", "Hội thi bắt đầu sau");
      d.set("countdown_text", Remaining(c.schedule.opens_at - now));
      d.set("countdown_iso", core::FormatRfc3339(c.schedule.opens_at));
    } else if (phase == contest::Phase::kOpen) {
      d.set("countdown_label", "Thời gian còn lại:");
      d.set("countdown_text", Remaining(c.schedule.closes_at - now));
      d.set("countdown_iso", core::FormatRfc3339(c.schedule.closes_at));
    }

    auto lease = deps.db.Read();
    auto prizes = contest::ListPrizes(*lease, c.id);
    auto units = units::ListUnits(*lease, c.id);
    if (!prizes || !units) {
      res.SendError(!prizes ? prizes.error() : units.error());
      return;
    }
    const auto groups = PrizeGroups(*prizes);
    d.set("has_prizes", !groups.empty());
    d.set("prize_groups", groups);
    if (c.schedule.video_closes_at) {
      d.set("video_deadline", core::FormatDateTime(*c.schedule.video_closes_at, c.time_zone, true));
    }
    if (c.schedule.results_due_at) {
      d.set("results_due",
            core::FormatDate(*c.schedule.results_due_at - std::chrono::seconds(1), c.time_zone));
    }
    auto notices = contest::ListNotices(*lease, {c.id, true, now, 3});
    if (!notices) return res.SendError(notices.error());
    list latest;
    for (const auto& n : *notices) {
      Data x;
      x.set("id", std::to_string(n.id));
      x.set("title", n.title);
      x.set("when", core::FormatDateTime(n.publish_at, c.time_zone));
      x.set("pinned", n.pinned);
      latest.push_back(x);
    }
    d.set("notices", latest);
    d.set("has_notices", !latest.empty());
    d.set("unit_count", std::to_string(units->size()));
    const auto& viewer = http::ViewerOf(req);
    d.set("anonymous", !viewer.user);
    d.set("can_take", viewer.user && viewer.user->role == accounts::Role::kParticipant &&
                          phase == contest::Phase::kOpen);
    data.set("contest", d);
  }
  res.Send(PageResponse(deps, req, 200, "home", data, "Trang chủ", {"countdown.js"}));
}

void Rules(const PublicPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = deps.current.Get();
  if (!contest) return res.SendError(contest::NoContestError());
  const auto& c = *contest;
  auto lease = deps.db.Read();
  auto rounds = contest::ListRounds(*lease, c);
  auto prizes = contest::ListPrizes(*lease, c.id);
  if (!rounds || !prizes) return res.SendError(!rounds ? rounds.error() : prizes.error());
  Data d;
  d.set("name", c.name);
  SetIfPresent(d, "organiser", c.organiser);
  auto texts = [](const std::vector<std::string>& lines) {
    list out;
    for (const auto& p : lines) {
      Data x;
      x.set("text", p);
      out.push_back(x);
    }
    return out;
  };
  d.set("schedule", texts(contest::ScheduleText(c)));
  d.set("paragraphs", texts(contest::RulesText(c, c.quiz_rules(), *rounds)));
  d.set("video_rules", texts(contest::VideoRulesText(c)));
  d.set("prize_groups", PrizeGroups(*prizes));
  const auto budget = contest::PrizeBudget(*prizes);
  if (budget > 0) d.set("budget", core::FormatVnd(budget));
  d.set("unit_ranking", contest::UnitRankingText(c));
  SetIfPresent(d, "contact_office", c.contact_office);
  SetIfPresent(d, "contact_phone", c.contact_phone);
  SetIfPresent(d, "contact_email", c.contact_email);
  res.Send(PageResponse(deps, req, 200, "rules", d, "Thể lệ"));
}

}  // namespace

std::string ErrorPage(const SiteDeps& deps, const http::Request& request, const core::Error& error,
                      int status) {
  Data data;
  data.set("status", std::to_string(status));
  std::string heading;
  switch (status) {
    case 404:
      heading = "Không tìm thấy trang";
      break;
    case 400:
    case 405:
    case 408:
    case 413:
    case 414:
    case 431:
      heading = "Yêu cầu không hợp lệ";
      break;
    case 401:
      heading = "Bạn cần đăng nhập";
      break;
    case 403:
      heading = "Bạn không có quyền truy cập";
      break;
    case 429:
    case 503:
      heading = "Hệ thống đang bận";
      break;
    case 507:
      heading = "Máy chủ hết dung lượng";
      break;
    default:
      heading = status >= 500 ? "Đã xảy ra lỗi" : "Không thực hiện được yêu cầu";
  }
  data.set("heading", heading);
  data.set("message", error.message);
  if (error.retry_after_s > 0) data.set("retry_after", std::to_string(error.retry_after_s));
  return deps.views.Page("error", data, LayoutFor(deps, request, heading));
}

void RegisterPages(http::Router& router, const PublicPageDeps& deps) {
  router.Add(http::Method::kGet, "/", http::Access::Anyone().Shared(), Bind(deps, Home));
  router.Add(http::Method::kGet, "/the-le", http::Access::Anyone().Shared(), Bind(deps, Rules));
}

}  // namespace hoithi::web
