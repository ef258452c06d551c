// Leaderboard and unit statistics pages, read from the in-memory standings.
#include "web/standings_pages.hpp"

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "results/leaderboard.hpp"

namespace hoithi::web {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using kainjow::mustache::list;

void Leaderboard(const StandingsPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = deps.current.Get();
  if (!contest) return res.SendError(contest::NoContestError());
  const auto* rules = &contest->quiz_rules();
  const auto& viewer = http::ViewerOf(req);
  results::Viewer who;
  if (viewer.user && viewer.user->role == Role::kParticipant)
    who.participant_id = viewer.user->user_id;
  who.staff =
      viewer.user && (viewer.user->role == Role::kAdmin || viewer.user->role == Role::kSecretary);
  auto lease = deps.db.Read();
  auto board =
      results::Leaderboard(*lease, deps.standings, *contest, *rules, 0, 50, who, deps.clock.Now());
  if (!board) return res.SendError(board.error());
  Data d;
  d.set("ranking_rule", board->ranking_rule);
  d.set("hidden", board->hidden);
  if (board->frozen_at)
    d.set("frozen_at", core::FormatDateTime(*board->frozen_at, contest->time_zone));
  auto rows = [&](const std::vector<results::BoardEntry>& entries, bool mark_prizes) {
    list out;
    for (const auto& e : entries) {
      Data x;
      x.set("rank", std::to_string(e.rank));
      x.set("full_name", e.full_name);
      if (!e.phone.empty()) x.set("phone", e.phone);  // staff only
      x.set("unit", e.unit_name);
      x.set("correct", std::to_string(e.correct));
      x.set("duration", core::FormatDuration(e.duration_ms));
      x.set("prize", mark_prizes && e.rank <= board->prize_places);
      out.push_back(x);
    }
    return out;
  };
  d.set("staff", who.staff);
  d.set("entries", rows(board->entries, true));
  d.set("has_entries", !board->entries.empty());
  d.set("total", core::FormatThousands(board->total));
  d.set("prize_places", std::to_string(board->prize_places));
  d.set("ties", rows(board->tied_beyond_prizes, false));
  d.set("has_ties", !board->tied_beyond_prizes.empty());
  if (board->my_rank) d.set("my_rank", std::to_string(*board->my_rank));
  res.Send(PageResponse(deps, req, 200, "leaderboard", d, "Bảng xếp hạng"));
}

void UnitStats(const StandingsPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = deps.current.Get();
  if (!contest) return res.SendError(contest::NoContestError());
  auto lease = deps.db.Read();
  auto rows = results::UnitParticipation(*lease, deps.standings, deps.participant_counts, *contest);
  if (!rows) return res.SendError(rows.error());
  list units;
  for (const auto& r : *rows) {
    Data x;
    x.set("name", r.name);
    x.set("registered", core::FormatThousands(r.registered));
    x.set("participants", core::FormatThousands(r.participants));
    x.set("attempts", core::FormatThousands(r.attempts));
    x.set("headcount", r.headcount ? core::FormatThousands(*r.headcount) : "—");
    if (r.participation_rate) {
      const auto permille = static_cast<long long>(*r.participation_rate * 1000 + 0.5);
      x.set("rate", fmt::format("{},{}%", permille / 10, permille % 10));
    } else {
      x.set("rate", "—");
    }
    units.push_back(x);
  }
  Data d;
  d.set("units", units);
  res.Send(PageResponse(deps, req, 200, "unit_stats", d, "Thống kê theo đơn vị"));
}

}  // namespace

void RegisterStandingsPages(http::Router& router, const StandingsPageDeps& deps) {
  router.Add(Method::kGet, "/xep-hang", Access::Anyone().Shared(), Bind(deps, Leaderboard));
  router.Add(Method::kGet, "/thong-ke", Access::Anyone().Shared(), Bind(deps, UnitStats));
}

}  // namespace hoithi::web
