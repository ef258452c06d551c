// The leaderboard and unit statistics endpoints, read from the in-memory standings.
#include "api/standings.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "results/leaderboard.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using nlohmann::json;

json BoardEntryJson(const results::BoardEntry& e, bool show_prediction) {
  json j = {{"rank", e.rank},
            {"full_name", e.full_name},
            {"unit", e.unit_name},
            {"correct", e.correct},
            {"duration_ms", e.duration_ms},
            {"finished_at", core::FormatRfc3339(e.finished_at)}};
  if (!e.phone.empty()) j["phone"] = e.phone;  // staff only
  if (show_prediction) j["prediction"] = e.prediction ? json(*e.prediction) : json(nullptr);
  return j;
}

std::string BoardText(const results::Board& board, const contest::QuizRules& rules) {
  json entries = json::array();
  for (const auto& e : board.entries)
    entries.push_back(BoardEntryJson(e, board.show_prediction));
  json ties = json::array();
  for (const auto& e : board.tied_beyond_prizes)
    ties.push_back(BoardEntryJson(e, board.show_prediction));
  json out = {{"ranking_rule", board.ranking_rule},
              {"mode", std::string(contest::LeaderboardModeCode(rules.leaderboard))},
              {"hidden", board.hidden},
              {"entries", entries},
              {"total", board.total},
              {"prize_places", board.prize_places},
              {"tied_beyond_prizes", ties}};
  if (board.frozen_at) out["frozen_at"] = core::FormatRfc3339(*board.frozen_at);
  return Dump(out);
}

/// The board is the same for every reader but the staff, who see it live in every mode, so it is
/// made once per server.public_cache_ms for all of them (deps.boards); a signed-in participant's
/// own rank ("me") is read live and added to it. At the peak every participant reads the board
/// after each submit: rendering fifty entries for each of them took a third of the server's core.
void Leaderboard(const StandingsApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = deps.current.Named(req.QueryParam("contest").value_or(""));
  if (!contest) return res.SendError(contest.error());
  const auto* rules = &contest->quiz_rules();
  const int limit = std::clamp(std::atoi(req.QueryParam("limit").value_or("50").c_str()), 1, 500);
  const auto round_key = std::atoll(req.QueryParam("round").value_or("0").c_str());
  const auto& viewer = http::ViewerOf(req);
  results::Viewer who;
  who.staff =
      viewer.user && (viewer.user->role == Role::kAdmin || viewer.user->role == Role::kSecretary);
  // 0: not a participant
  const std::int64_t participant =
      viewer.user && viewer.user->role == Role::kParticipant ? viewer.user->user_id : 0;
  store::Database::OnDemandRead conn(deps.db);  // a shared board needs none
  auto make = [&]() -> core::Result<SharedBoard> {
    auto board = results::Leaderboard(conn, deps.standings, *contest, *rules, round_key, limit, who,
                                      deps.clock.Now());
    if (!board) return std::move(board).error();
    return SharedBoard{BoardText(*board, *rules), board->ranked};
  };
  auto board = [&]() -> core::Result<BoardMemo::Shared> {
    if (!who.staff) {
      return deps.boards.Get(fmt::format("{}/{}/{}", contest->id, round_key, limit),
                             BoardMemo::Clock::now(), make);
    }
    auto live = make();
    if (!live) return std::move(live).error();
    return std::make_shared<const SharedBoard>(std::move(*live));
  }();
  if (!board) return res.SendError(board.error());
  std::string body = (*board)->json;
  // A participant's own rank as it stands now, only while ranks are shown live (never the rank
  // behind a frozen or hidden board).
  if (participant != 0 && (*board)->ranked && contest::LiveRanksShown(*rules, deps.clock.Now())) {
    auto rank = deps.standings.RankOf(conn, contest->id, round_key, participant, *rules);
    if (!rank) return res.SendError(rank.error());
    if (*rank > 0) {
      body.pop_back();  // the object's closing brace
      body += fmt::format(R"(,"me":{{"rank":{}}}}})", *rank);
    }
  }
  res.Send(http::Response::Json(200, std::move(body)));
}

void UnitStats(const StandingsApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = deps.current.Named(req.QueryParam("contest").value_or(""));
  if (!contest) return res.SendError(contest.error());
  auto lease = deps.db.Read();
  auto rows = results::UnitParticipation(*lease, deps.standings, deps.participant_counts, *contest);
  if (!rows) return res.SendError(rows.error());
  json items = json::array();
  for (const auto& r : *rows) {
    items.push_back({{"code", r.code},
                     {"name", r.name},
                     {"group", r.group},
                     {"headcount", r.headcount ? json(*r.headcount) : json(nullptr)},
                     {"registered", r.registered},
                     {"participants", r.participants},
                     {"attempts", r.attempts},
                     {"participation_rate",
                      r.participation_rate ? json(*r.participation_rate) : json(nullptr)}});
  }
  res.Send(JsonResponse(200, {{"units", items}}));
}

}  // namespace

void RegisterStandingsApi(http::Router& router, const StandingsApiDeps& deps) {
  router.Add(Method::kGet, "/api/v1/leaderboard", Access::Anyone().Shared(),
             Bind(deps, Leaderboard));
  router.Add(Method::kGet, "/api/v1/stats/units", Access::Anyone().Shared(), Bind(deps, UnitStats));
}

}  // namespace hoithi::api
