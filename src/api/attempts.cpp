// The attempt endpoints: JSON in, quiz::AttemptService, JSON out. The attempt itself is written
// out by hand (AttemptText): it is the quiz's largest and most frequent answer.
#include "api/attempts.hpp"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>

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
using http::RateLimited;
using http::Who;
using nlohmann::json;

quiz::Participant ParticipantOf(const http::Request& req) {
  const auto& who = Who(req);
  return quiz::Participant{who.user_id, who.unit_id, who.registration_pending};
}

/// The contest of the signed-in participant.
core::Result<contest::Contest> ParticipantContest(const AttemptApiDeps& deps,
                                                  const http::Request& req) {
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
/// versions never change once written (quiz/question_cache.hpp), and every start shows ten of them.
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
      const auto& o = q.options[k];
      fmt::format_to(to, R"({}{{"id":{},"text":{}}})", k > 0 ? "," : "", o.id,
                     texts->options[static_cast<std::size_t>(o.index)]);
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
void SendAttempt(const AttemptApiDeps& deps, http::Responder res, const contest::Contest& contest,
                 const quiz::Attempt& a, int status) {
  const auto& rules = contest.quiz_rules();
  const auto now = deps.clock.Now();
  auto shown = deps.attempts.Show(a, contest, rules, now);
  if (!shown) return res.SendError(shown.error());
  res.Send(http::Response::Json(status, AttemptText(a, *shown, rules, now)));
}

void StartAttempt(const AttemptApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = ParticipantContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  deps.attempts.Start(ParticipantOf(req), *contest,
                      [deps, res, contest = *contest](core::Result<quiz::StartResult> r) {
                        if (!r) return res.SendError(r.error());
                        SendAttempt(deps, res, contest, r->attempt, r->resumed ? 200 : 201);
                      });
}

void GetAttempt(const AttemptApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = ParticipantContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  deps.attempts.Find(ParticipantOf(req), req.IdParam("id").value_or(0),
                     [deps, res, contest = *contest](core::Result<quiz::Attempt> r) {
                       if (!r) return res.SendError(r.error());
                       SendAttempt(deps, res, contest, *r, 200);
                     });
}

void SaveAnswers(const AttemptApiDeps& deps, http::Request& req, http::Responder res) {
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
          {"rank", r.rank},
          {"late_answers", r.late_answers}};
}

void Submit(const AttemptApiDeps& deps, http::Request& req, http::Responder res) {
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

void History(const AttemptApiDeps& deps, http::Request& req, http::Responder res) {
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

}  // namespace

void RegisterAttemptApi(http::Router& router, const AttemptApiDeps& deps) {
  const auto participant = Access::Roles({Role::kParticipant});
  router.Add(Method::kPost, "/api/v1/attempts",
             Access(participant).Limited(RateLimited::kAttemptStart), Bind(deps, StartAttempt));
  router.Add(Method::kGet, "/api/v1/attempts", participant, Bind(deps, History));
  router.Add(Method::kGet, "/api/v1/attempts/{id}", participant, Bind(deps, GetAttempt));
  router.Add(Method::kPut, "/api/v1/attempts/{id}/answers", participant, Bind(deps, SaveAnswers));
  router.Add(Method::kPost, "/api/v1/attempts/{id}/submit", participant, Bind(deps, Submit));
}

}  // namespace hoithi::api
