// The quiz rules, rounds and grants endpoints; every change goes through contest::SettingsService
// or quiz::AttemptService, which audit it.
#include "api/quiz_rules.hpp"

#include "accounts/auth_service.hpp"
#include "accounts/users.hpp"
#include "api/common.hpp"
#include "contest/rounds.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/forms.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using nlohmann::json;

void GetRules(const QuizRulesApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  res.Send(JsonResponse(200, json::parse(contest::QuizRulesJson(contest->quiz_rules()))));
}

void PutRules(const QuizRulesApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  // Keys not given keep their stored value, also inside "prediction".
  deps.settings.EditQuizRules(
      http::ActorOf(req), contest->id,
      [patch = body->dump()](const contest::QuizRules& stored) {
        return contest::PatchQuizRules(stored, patch);
      },
      [res](core::Result<contest::QuizRules> rules) {
        if (!rules) return res.SendError(rules.error());
        res.Send(JsonResponse(200, json::parse(contest::QuizRulesJson(*rules))));
      });
}

json RoundsJson(const std::vector<contest::Round>& rounds, const std::string& tz) {
  json out = json::array();
  for (const auto& r : rounds) {
    json item = {{"key", r.key},
                 {"number", r.number},
                 {"name", r.name},
                 {"opens_at", core::FormatRfc3339(r.opens_at)},
                 {"closes_at", core::FormatRfc3339(r.closes_at)},
                 {"window", core::FormatDateTime(r.opens_at, tz) + " – " +
                                core::FormatDateTime(r.closes_at, tz, true)}};
    item["attempts_allowed"] = r.attempts_allowed ? json(*r.attempts_allowed) : json(nullptr);
    out.push_back(item);
  }
  return out;
}

void GetRounds(const QuizRulesApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = deps.current.Named(req.QueryParam("contest").value_or(""));
  if (!contest) return res.SendError(contest.error());
  auto lease = deps.db.Read();
  auto rounds = contest::ListRounds(*lease, *contest);
  if (!rounds) return res.SendError(rounds.error());
  res.Send(JsonResponse(200, {{"rounds", RoundsJson(*rounds, contest->time_zone)}}));
}

void PutRounds(const QuizRulesApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  std::vector<contest::Round> rounds;
  if (!body->contains("rounds") || !(*body)["rounds"].is_array()) {
    return res.SendError(core::MakeError(core::ErrorKind::kBadRequest, "invalid_type",
                                         "Trường rounds phải là một danh sách.", "rounds"));
  }
  for (const auto& r : (*body)["rounds"]) {
    contest::Round round;
    round.name = r.value("name", "");
    const auto opens = core::ParseRfc3339(r.value("opens_at", ""));
    const auto closes = core::ParseRfc3339(r.value("closes_at", ""));
    if (!opens || !closes) {
      return res.SendError(core::MakeError(core::ErrorKind::kValidation, "invalid_date",
                                           "opens_at và closes_at phải là thời điểm RFC 3339.",
                                           "rounds"));
    }
    round.opens_at = *opens;
    round.closes_at = *closes;
    if (r.contains("attempts_allowed") && r["attempts_allowed"].is_number_integer()) {
      round.attempts_allowed = r["attempts_allowed"].get<int>();
    }
    rounds.push_back(std::move(round));
  }
  deps.settings.ReplaceRounds(
      http::ActorOf(req), *contest, std::move(rounds),
      [res, tz = contest->time_zone](core::Result<std::vector<contest::Round>> saved) {
        if (!saved) return res.SendError(saved.error());
        res.Send(JsonResponse(200, {{"rounds", RoundsJson(*saved, tz)}}));
      });
}

void GrantToUser(const QuizRulesApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  const auto kind = body->value("kind", "");
  if (kind != "extra_attempt" && kind != "extra_time") {
    return res.SendError(core::MakeError(core::ErrorKind::kValidation, "invalid_kind",
                                         "kind phải là extra_attempt hoặc extra_time.", "kind"));
  }
  const auto id = req.IdParam("id");
  {
    auto lease = deps.db.Read();
    auto user = id ? accounts::FindUserById(*lease, *id)
                   : core::Result<std::optional<accounts::User>>(std::optional<accounts::User>());
    if (!user) return res.SendError(user.error());
    if (!*user || (*user)->contest_id != contest->id || (*user)->role != Role::kParticipant) {
      return res.SendError(core::MakeError(core::ErrorKind::kNotFound, "not_found",
                                           "Không tìm thấy thí sinh trong hội thi."));
    }
  }
  const int amount = body->contains("amount") && (*body)["amount"].is_number_integer()
                         ? (*body)["amount"].get<int>()
                         : 0;
  deps.attempts.Grant(http::ActorOf(req), contest->id, *id, kind == "extra_time", amount,
                      body->value("reason", ""), [res](core::Status st) {
                        if (!st) return res.SendError(st.error());
                        res.Send(http::Response::NoContent());
                      });
}

}  // namespace

void RegisterQuizRulesApi(http::Router& router, const QuizRulesApiDeps& deps) {
  const auto admin = Access::Roles({Role::kAdmin});
  const auto bank = Access::Roles({Role::kAdmin, Role::kSecretary});
  router.Add(Method::kGet, "/api/v1/contest/rounds", Access::Anyone(), Bind(deps, GetRounds));
  router.Add(Method::kPut, "/api/v1/contest/rounds", admin, Bind(deps, PutRounds));
  router.Add(Method::kGet, "/api/v1/contest/quiz-rules", bank, Bind(deps, GetRules));
  router.Add(Method::kPut, "/api/v1/contest/quiz-rules", admin, Bind(deps, PutRules));
  router.Add(Method::kPost, "/api/v1/users/{id}/grants", admin, Bind(deps, GrantToUser));
}

}  // namespace hoithi::api
