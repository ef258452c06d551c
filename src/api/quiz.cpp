// The knowledge test over JSON: attempts (start, read, autosave, submit, history), the public
// leaderboard and unit statistics, the organisers' rules, rounds, pause and grants, and the
// secretariat's question bank with import, export and item analysis.
#include "api/quiz.hpp"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>

#include "accounts/units.hpp"
#include "accounts/users.hpp"
#include "contest/quiz_rules.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"
#include "quiz/ranking.hpp"
#include "results/leaderboard.hpp"

namespace hoithi::api {
namespace {

using http::Who;

using accounts::Role;
using http::Access;
using http::Method;
using http::RateLimited;
using nlohmann::json;

quiz::Participant ParticipantOf(const http::Request& req) {
  const auto& who = Who(req);
  return quiz::Participant{who.user_id, who.unit_id};
}

/// The contest of the signed-in participant.
core::Result<contest::Contest> ParticipantContest(const ApiDeps& deps, const http::Request& req) {
  if (auto c = deps.current.For(Who(req).contest_id)) return *c;
  return core::MakeError(core::ErrorKind::kNotFound, "no_contest", "Không tìm thấy hội thi.");
}

core::Result<std::vector<quiz::AnswerInput>> AnswersFrom(const json& body) {
  std::vector<quiz::AnswerInput> out;
  if (!body.contains("answers")) return out;
  const auto& answers = body["answers"];
  if (!answers.is_array()) {
    return core::MakeError(core::ErrorKind::kBadRequest, "invalid_type",
                           "Trường answers phải là một danh sách.", "answers");
  }
  for (const auto& a : answers) {
    if (!a.is_object() || !a.contains("question_id") || !a["question_id"].is_number_integer() ||
        !a.contains("option_id") || !a["option_id"].is_number_integer()) {
      return core::MakeError(core::ErrorKind::kBadRequest, "invalid_type",
                             "Mỗi câu trả lời cần question_id và option_id là số nguyên.",
                             "answers");
    }
    const auto option = a["option_id"].get<long long>();
    out.push_back({a["question_id"].get<std::int64_t>(),
                   option < 0 || option > 1000 ? -1 : static_cast<int>(option)});
  }
  return out;
}

/// A question version's texts as JSON strings (quoted and escaped), made once per version:
/// versions never change once written (quiz/bank.hpp), and every start shows ten of them.
struct QuestionTexts {
  std::string text, source;
  std::vector<std::string> options;  // by option id
};

std::shared_ptr<const QuestionTexts> TextsOf(const quiz::QuestionVersion& v) {
  static std::mutex mu;
  static std::map<std::pair<std::int64_t, int>, std::shared_ptr<const QuestionTexts>> made;
  const auto key = std::pair(v.question_id, v.version);
  {
    std::lock_guard lock(mu);
    if (const auto it = made.find(key); it != made.end()) return it->second;
  }
  auto texts = std::make_shared<QuestionTexts>();
  texts->text = Dump(v.text);
  texts->source = Dump(v.source);
  for (const auto& o : v.options)
    texts->options.push_back(Dump(o));
  std::lock_guard lock(mu);
  return made.emplace(key, std::move(texts)).first->second;
}

/// The attempt as JSON text. Written out directly rather than through a json tree: this is the
/// largest answer of the quiz (ten questions with their options), made at every start.
std::string AttemptText(const quiz::Attempt& a, const std::vector<quiz::ShownQuestion>& questions,
                        const contest::QuizRules& rules, core::TimePoint now) {
  std::string out;
  out.reserve(4096);
  auto to = std::back_inserter(out);
  fmt::format_to(to,
                 R"({{"attempt_id":{},"status":"{}","number":{},"started_at":"{}",)"
                 R"("deadline":"{}","server_time":"{}","time_limit_s":{},"total":{},"questions":[)",
                 a.id, quiz::AttemptStatusCode(a.status), a.number,
                 core::FormatRfc3339(a.started_at), core::FormatRfc3339(a.deadline_at),
                 core::FormatRfc3339(now), rules.time_limit_s, a.total);
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const auto& q = questions[i];
    const auto texts = TextsOf(*q.version);
    fmt::format_to(to, R"({}{{"id":{},"position":{},"text":{},"options":[)", i > 0 ? "," : "",
                   q.question_id, q.position, texts->text);
    for (std::size_t k = 0; k < q.options.size(); ++k) {
      const auto id = static_cast<std::size_t>(q.options[k].first);
      fmt::format_to(to, R"({}{{"id":{},"text":{}}})", k > 0 ? "," : "", id, texts->options[id]);
    }
    out += R"(],"answer":)";
    out += q.answer ? std::to_string(*q.answer) : "null";
    if (q.correct) out += *q.correct ? R"(,"correct":true)" : R"(,"correct":false)";
    if (q.correct_option) {
      fmt::format_to(to, R"(,"correct_option":{},"source":{})", *q.correct_option, texts->source);
    }
    out += '}';
  }
  out += ']';
  if (rules.prediction.enabled) {
    out += R"(,"prediction_question":)";
    out += Dump(rules.prediction.question);
  }
  if (a.status != quiz::AttemptStatus::kActive) {
    fmt::format_to(to, R"(,"correct":{},"duration_ms":{},"prediction":{},"finished_at":)",
                   a.correct.value_or(0), a.duration_ms.value_or(0),
                   a.prediction ? std::to_string(*a.prediction) : "null");
    if (a.finished_at) {
      fmt::format_to(to, R"("{}")", core::FormatRfc3339(*a.finished_at));
    } else {
      out += "null";
    }
  }
  out += '}';
  return out;
}

/// Sends the attempt as the participant sees it now.
void SendAttempt(const ApiDeps& deps, http::Responder res, const contest::Contest& contest,
                 const quiz::Attempt& a, int status) {
  auto rules = contest::ParseQuizRules(contest.settings_json);
  if (!rules) return res.SendError(rules.error());
  const auto now = deps.clock.Now();
  auto shown = deps.attempts.Show(a, contest, *rules, now);
  if (!shown) return res.SendError(shown.error());
  res.Send(http::Response::Json(status, AttemptText(a, *shown, *rules, now)));
}

void StartAttempt(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = ParticipantContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  deps.attempts.Start(ParticipantOf(req), *contest,
                      [deps, res, contest = *contest](core::Result<quiz::StartResult> r) {
                        if (!r) return res.SendError(r.error());
                        SendAttempt(deps, res, contest, r->attempt, r->resumed ? 200 : 201);
                      });
}

void GetAttempt(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = ParticipantContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  deps.attempts.Find(ParticipantOf(req), req.IdParam("id").value_or(0),
                     [deps, res, contest = *contest](core::Result<quiz::Attempt> r) {
                       if (!r) return res.SendError(r.error());
                       SendAttempt(deps, res, contest, *r, 200);
                     });
}

void SaveAnswers(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto answers = AnswersFrom(*body);
  if (!answers) return res.SendError(answers.error());
  deps.attempts.SaveAnswers(ParticipantOf(req), req.IdParam("id").value_or(0), std::move(*answers),
                            [res](core::Status st) {
                              if (!st) return res.SendError(st.error());
                              res.Send(http::Response::NoContent());
                            });
}

json ResultJson(const quiz::SubmitResult& r) {
  return {{"attempt_id", r.attempt.id},
          {"status", std::string(quiz::AttemptStatusCode(r.attempt.status))},
          {"correct", r.attempt.correct.value_or(0)},
          {"total", r.attempt.total},
          {"duration_ms", r.attempt.duration_ms.value_or(0)},
          {"rank", r.rank}};
}

void Submit(const ApiDeps& deps, http::Request& req, http::Responder res) {
  std::vector<quiz::AnswerInput> answers;
  std::optional<std::int64_t> prediction;
  if (!req.body.empty()) {
    auto body = http::JsonBody(req);
    if (!body) return res.SendError(body.error());
    auto parsed = AnswersFrom(*body);
    if (!parsed) return res.SendError(parsed.error());
    answers = std::move(*parsed);
    if (body->contains("prediction") && !(*body)["prediction"].is_null()) {
      if (!(*body)["prediction"].is_number_integer() ||
          (*body)["prediction"].get<long long>() < 0) {
        return res.SendError(core::MakeError(core::ErrorKind::kValidation, "invalid_prediction",
                                             "Câu dự đoán cần một số nguyên không âm.",
                                             "prediction"));
      }
      prediction = (*body)["prediction"].get<std::int64_t>();
    }
  }
  deps.attempts.Submit(
      ParticipantOf(req), req.IdParam("id").value_or(0), std::move(answers), prediction,
      [res](core::Result<quiz::SubmitResult> r) {
        if (!r) return res.SendError(r.error());
        if (r->already_final && !r->repeated) {
          auto e = core::MakeError(core::ErrorKind::kConflict, "already_finalized",
                                   "Bài thi này đã được nộp; kết quả đã lưu không "
                                   "thay đổi.");
          return res.Send(http::ErrorResponseJsonWith(e, {{"result", ResultJson(*r)}}));
        }
        res.Send(JsonResponse(200, ResultJson(*r)));
      });
}

void History(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = ParticipantContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto attempts = deps.attempts.History(ParticipantOf(req), contest->id);
  if (!attempts) return res.SendError(attempts.error());
  json items = json::array();
  for (const auto& a : *attempts) {
    json item = {{"attempt_id", a.id},
                 {"number", a.number},
                 {"status", std::string(quiz::AttemptStatusCode(a.status))},
                 {"started_at", core::FormatRfc3339(a.started_at)},
                 {"total", a.total}};
    if (a.status != quiz::AttemptStatus::kActive) {
      item["correct"] = a.correct.value_or(0);
      item["duration_ms"] = a.duration_ms.value_or(0);
    }
    items.push_back(item);
  }
  res.Send(JsonResponse(200, {{"items", items}}));
}

// --- public
// ----------------------------------------------------------------------------------------

json BoardEntryJson(const results::BoardEntry& e, bool show_prediction) {
  json j = {{"rank", e.rank},
            {"full_name", e.full_name},
            {"phone", e.masked_phone},
            {"unit", e.unit_name},
            {"correct", e.correct},
            {"duration_ms", e.duration_ms},
            {"finished_at", core::FormatRfc3339(e.finished_at)}};
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
void Leaderboard(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = ContestFor(deps, req.QueryParam("contest").value_or(""));
  if (!contest) return res.SendError(contest.error());
  auto rules = contest::ParseQuizRules(contest->settings_json);
  if (!rules) return res.SendError(rules.error());
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
    auto board = results::Leaderboard(conn, deps.attempts.standings(), *contest, *rules, round_key,
                                      limit, who, deps.clock.Now());
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
  if (participant != 0 && (*board)->ranked) {
    auto rank = deps.attempts.standings().RankOf(conn, contest->id, round_key, participant, *rules);
    if (!rank) return res.SendError(rank.error());
    if (*rank > 0) {
      body.pop_back();  // the object's closing brace
      body += fmt::format(R"(,"me":{{"rank":{}}}}})", *rank);
    }
  }
  res.Send(http::Response::Json(200, std::move(body)));
}

void UnitStats(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = ContestFor(deps, req.QueryParam("contest").value_or(""));
  if (!contest) return res.SendError(contest.error());
  auto lease = deps.db.Read();
  auto rows = results::UnitParticipation(*lease, deps.attempts.standings(), deps.units, *contest);
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

// --- organisers
// ------------------------------------------------------------------------------------

void GetRules(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto rules = contest::ParseQuizRules(contest->settings_json);
  if (!rules) return res.SendError(rules.error());
  res.Send(JsonResponse(200, json::parse(contest::QuizRulesJson(*rules))));
}

void PutRules(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  // Keys not given keep their current value, also inside "prediction".
  auto current =
      json::parse(contest::QuizRulesJson(*contest::ParseQuizRules(contest->settings_json)));
  current.update(*body, /*merge_objects=*/true);
  auto rules = contest::ParseQuizRules(json{{"quiz", current}}.dump());
  if (!rules) return res.SendError(rules.error());
  const auto actor = accounts::ActorOf(Who(req), ClientOf(req));
  deps.db.Write(
      [contest_id = contest->id, rules = *rules, actor,
       now = deps.clock.Now()](store::Connection& c) {
        return contest::SaveQuizRules(c, contest_id, rules, actor, now);
      },
      [deps, res, rules = *rules](const core::Status& st) {
        if (!st) return res.SendError(st.error());
        deps.current.Invalidate();
        res.Send(JsonResponse(200, json::parse(contest::QuizRulesJson(rules))));
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

void GetRounds(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = ContestFor(deps, req.QueryParam("contest").value_or(""));
  if (!contest) return res.SendError(contest.error());
  auto lease = deps.db.Read();
  auto rounds = contest::ListRounds(*lease, *contest);
  if (!rounds) return res.SendError(rounds.error());
  res.Send(JsonResponse(200, {{"rounds", RoundsJson(*rounds, contest->time_zone)}}));
}

void PutRounds(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
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
  const auto actor = accounts::ActorOf(Who(req), ClientOf(req));
  deps.db.Write(
      [contest = *contest, rounds, actor, now = deps.clock.Now()](store::Connection& c) {
        return contest::SaveRounds(c, contest, rounds, actor, now);
      },
      [deps, res, contest = *contest](const core::Status& st) {
        if (!st) return res.SendError(st.error());
        auto lease = deps.db.Read();
        auto saved = contest::ListRounds(*lease, contest);
        if (!saved) return res.SendError(saved.error());
        res.Send(JsonResponse(200, {{"rounds", RoundsJson(*saved, contest.time_zone)}}));
      });
}

void GrantToUser(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
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
  deps.attempts.Grant(accounts::ActorOf(Who(req), ClientOf(req)), contest->id, *id,
                      kind == "extra_time", amount, body->value("reason", ""),
                      [res](core::Status st) {
                        if (!st) return res.SendError(st.error());
                        res.Send(http::Response::NoContent());
                      });
}

// --- question bank
// ---------------------------------------------------------------------------------

json QuestionJson(const quiz::QuestionVersion& v, bool active) {
  return {{"id", v.question_id},  {"version", v.version},
          {"topic", v.topic},     {"text", v.text},
          {"options", v.options}, {"correct", std::string(1, static_cast<char>('A' + v.correct))},
          {"source", v.source},   {"active", active}};
}

core::Result<quiz::QuestionDraft> DraftFrom(const json& body) {
  quiz::QuestionDraft d;
  for (const auto& [key, target] : {std::pair<const char*, std::string*>{"topic", &d.topic},
                                    {"text", &d.text},
                                    {"source", &d.source}}) {
    auto v = http::JsonString(body, key);
    if (!v) return std::move(v).error();
    *target = std::move(*v);
  }
  if (!body.contains("options") || !body["options"].is_array()) {
    return core::MakeError(core::ErrorKind::kValidation, "invalid_question",
                           "options phải là danh sách các phương án.", "options");
  }
  for (const auto& o : body["options"]) {
    if (!o.is_string()) {
      return core::MakeError(core::ErrorKind::kBadRequest, "invalid_type",
                             "Mỗi phương án phải là chuỗi ký tự.", "options");
    }
    d.options.push_back(o.get<std::string>());
  }
  auto correct = http::JsonString(body, "correct");
  if (!correct) return std::move(correct).error();
  d.correct =
      correct->size() == 1 && (*correct)[0] >= 'A' && (*correct)[0] <= 'Z'   ? (*correct)[0] - 'A'
      : correct->size() == 1 && (*correct)[0] >= 'a' && (*correct)[0] <= 'z' ? (*correct)[0] - 'a'
                                                                             : -1;
  return d;
}

void ListQuestions(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  quiz::QuestionQuery q;
  q.contest_id = contest->id;
  q.topic = req.QueryParam("topic").value_or("");
  q.q = req.QueryParam("q").value_or("");
  if (const auto a = req.QueryParam("active"); a && !a->empty()) q.active = *a == "true";
  std::tie(q.page, q.per_page) = Paging(req);
  auto lease = deps.db.Read();
  auto page = quiz::ListQuestions(*lease, q);
  if (!page) return res.SendError(page.error());
  json items = json::array();
  for (const auto& item : page->items)
    items.push_back(QuestionJson(item.current, item.active));
  res.Send(JsonResponse(200, PageJson(items, page->total, page->page, page->per_page)));
}

void CreateQuestion(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto draft = DraftFrom(*body);
  if (!draft) return res.SendError(draft.error());
  deps.bank.Create(accounts::ActorOf(Who(req), ClientOf(req)), contest->id, std::move(*draft),
                   [res](core::Result<std::int64_t> r) {
                     if (!r) return res.SendError(r.error());
                     res.Send(JsonResponse(201, {{"id", *r}}));
                   });
}

void EditQuestion(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  const auto id = req.IdParam("id").value_or(0);
  const auto actor = accounts::ActorOf(Who(req), ClientOf(req));
  auto draft = DraftFrom(*body);
  if (!draft) return res.SendError(draft.error());
  deps.bank.Edit(actor, contest->id, id, std::move(*draft), [res](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(http::Response::NoContent());
  });
}

void SetQuestionActive(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  if (!body->contains("active") || !(*body)["active"].is_boolean()) {
    return res.SendError(core::MakeError(core::ErrorKind::kBadRequest, "invalid_type",
                                         "Trường active phải là true hoặc false.", "active"));
  }
  deps.bank.SetActive(accounts::ActorOf(Who(req), ClientOf(req)), contest->id,
                      req.IdParam("id").value_or(0), (*body)["active"].get<bool>(),
                      [res](core::Status st) {
                        if (!st) return res.SendError(st.error());
                        res.Send(http::Response::NoContent());
                      });
}

void ImportQuestions(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto file = http::UploadedFile(req);
  if (!file) return res.SendError(file.error());
  const auto options = ImportOptionsOf(req);
  deps.bank.Import(accounts::ActorOf(Who(req), ClientOf(req)), contest->id, *file, options.dry_run,
                   options.skip_invalid, [res](core::Status st, spreadsheet::ImportReport report) {
                     res.Send(ImportResponse(st, report));
                   });
}

void ExportQuestions(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto sheet = deps.bank.Export(contest->id);
  if (!sheet) return res.SendError(sheet.error());
  http::Response r;
  if (req.QueryParam("format").value_or("xlsx") == "csv") {
    r.content_type = std::string(spreadsheet::kCsvContentType);
    r.body = spreadsheet::WriteCsv(*sheet);
    r.With("Content-Disposition", "attachment; filename=\"cau-hoi-" + contest->slug + ".csv\"");
  } else {
    auto xlsx = spreadsheet::WriteXlsx(*sheet);
    if (!xlsx) return res.SendError(xlsx.error());
    r.content_type = std::string(spreadsheet::kXlsxContentType);
    r.body = std::move(*xlsx);
    r.With("Content-Disposition", "attachment; filename=\"cau-hoi-" + contest->slug + ".xlsx\"");
  }
  res.Send(std::move(r));
}

void Analysis(const ApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto lease = deps.db.Read();
  auto stats = quiz::ItemAnalysis(*lease, contest->id);
  if (!stats) return res.SendError(stats.error());
  json items = json::array();
  for (const auto& s : *stats) {
    json choices = json::object();
    for (const auto& [option, n] : s.choices)
      choices[std::string(1, static_cast<char>('A' + option))] = n;
    items.push_back({{"question_id", s.question_id},
                     {"shown", s.shown},
                     {"answered", s.answered},
                     {"correct", s.correct},
                     {"p_correct", s.p_correct},
                     {"discrimination", s.discrimination},
                     {"choices", choices}});
  }
  res.Send(JsonResponse(200, {{"items", items}}));
}

}  // namespace

void RegisterQuizApi(http::Router& router, const ApiDeps& deps) {
  auto bind = [deps](void (*fn)(const ApiDeps&, http::Request&, http::Responder)) {
    return [deps, fn](http::Request& req, http::Responder res) { fn(deps, req, std::move(res)); };
  };
  const auto participant = Access::Roles({Role::kParticipant});
  const auto admin = Access::Roles({Role::kAdmin});
  const auto bank = Access::Roles({Role::kAdmin, Role::kSecretary});
  router.Add(Method::kPost, "/api/v1/attempts",
             Access(participant).Limited(RateLimited::kAttemptStart), bind(StartAttempt));
  router.Add(Method::kGet, "/api/v1/attempts", participant, bind(History));
  router.Add(Method::kGet, "/api/v1/attempts/{id}", participant, bind(GetAttempt));
  router.Add(Method::kPut, "/api/v1/attempts/{id}/answers", participant, bind(SaveAnswers));
  router.Add(Method::kPost, "/api/v1/attempts/{id}/submit", participant, bind(Submit));
  router.Add(Method::kGet, "/api/v1/leaderboard", Access::Anyone().Shared(), bind(Leaderboard));
  router.Add(Method::kGet, "/api/v1/stats/units", Access::Anyone().Shared(), bind(UnitStats));
  router.Add(Method::kGet, "/api/v1/contest/rounds", Access::Anyone(), bind(GetRounds));
  router.Add(Method::kPut, "/api/v1/contest/rounds", admin, bind(PutRounds));
  router.Add(Method::kGet, "/api/v1/contest/quiz-rules", bank, bind(GetRules));
  router.Add(Method::kPut, "/api/v1/contest/quiz-rules", admin, bind(PutRules));
  router.Add(Method::kPost, "/api/v1/users/{id}/grants", admin, bind(GrantToUser));
  router.Add(Method::kGet, "/api/v1/questions", bank, bind(ListQuestions));
  router.Add(Method::kPost, "/api/v1/questions", bank, bind(CreateQuestion));
  router.Add(Method::kGet, "/api/v1/questions/export", bank, bind(ExportQuestions));
  router.Add(Method::kPost, "/api/v1/questions/import", bank, bind(ImportQuestions));
  router.Add(Method::kGet, "/api/v1/questions/analysis", bank, bind(Analysis));
  router.Add(Method::kPut, "/api/v1/questions/{id}", bank, bind(EditQuestion));
  router.Add(Method::kPatch, "/api/v1/questions/{id}", bank, bind(SetQuestionActive));
}

}  // namespace hoithi::api
