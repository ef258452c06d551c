// The participant's side of the knowledge test, working without JavaScript: starting or resuming
// an attempt, the questions on one page (one form; "save" and "submit" buttons), the result and
// the history.
// static/quiz.js adds the live countdown, autosave and the warning before leaving;
// static/waiting_room.js presses Start again by itself from the waiting room.
#include "web/quiz_pages.hpp"

#include <fmt/format.h>

#include "contest/rules_text.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"

namespace hoithi::web {
namespace {

using http::Who;

using accounts::Role;
using http::Access;
using http::Method;
using http::RateLimited;
using kainjow::mustache::list;

quiz::Participant ParticipantOf(const http::Request& req) {
  return quiz::Participant{Who(req).user_id, Who(req).unit_id, Who(req).registration_pending};
}

/// "09:59"
std::string Clock(std::int64_t ms) {
  const auto s = std::max<std::int64_t>(0, ms / 1000);
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

char Letter(std::size_t i) {
  return static_cast<char>('A' + i);
}

// --- vào thi
// ---------------------------------------------------------------------------------------

void StartPage(const QuizPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = deps.current.For(Who(req).contest_id);
  if (!contest) return res.SendError(contest::NoContestError());
  const auto* rules = &contest->quiz_rules();
  auto history = deps.attempts.History(ParticipantOf(req), contest->id);
  if (!history) return res.SendError(history.error());
  // Start is offered only when it would succeed: never a button that ends on a refusal.
  auto outlook = deps.attempts.Outlook(*contest, *history);
  if (!outlook) return res.SendError(outlook.error());
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("name", contest->name);
  d.set("questions", std::to_string(rules->questions_per_attempt));
  d.set("minutes", std::to_string(rules->time_limit_s / 60));
  d.set("open", outlook->open && !outlook->exhausted() && !Who(req).registration_pending);
  d.set("exhausted", outlook->exhausted());
  d.set("pending", Who(req).registration_pending);
  d.set("window", core::FormatDateTime(contest->schedule.opens_at, contest->time_zone) + " đến " +
                      core::FormatDateTime(contest->schedule.closes_at, contest->time_zone, true));
  if (outlook->active_id) d.set("resume_id", std::to_string(*outlook->active_id));
  for (const auto& a : *history) {
    if (a.status == quiz::AttemptStatus::kActive) continue;
    d.set("latest_id", std::to_string(a.id));  // newest first: the latest finished one
    break;
  }
  d.set("has_history", !history->empty());
  if (outlook->allowance > 0) {
    d.set("attempts_used", std::to_string(outlook->used));
    d.set("attempts_allowed", std::to_string(outlook->allowance));
  }
  if (!outlook->round_name.empty()) d.set("round_name", outlook->round_name);
  res.Send(PageResponse(deps, req, 200, "quiz_start", d, "Vào thi"));
}

void Start(const QuizPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = deps.current.For(Who(req).contest_id);
  if (!contest) return res.SendError(contest::NoContestError());
  http::Request* request = &req;  // alive until the answer is sent
  deps.attempts.Start(
      ParticipantOf(req), *contest, [deps, request, res](core::Result<quiz::StartResult> r) {
        if (r) return res.Send(http::Response::Redirect("/thi/" + std::to_string(r->attempt.id)));
        if (r.error().code != "waiting_room") return res.SendError(r.error());
        // The waiting room: a page that presses Start again by itself once the wait is over
        // (static/waiting_room.js), rather than an error the participant must act on.
        Data d;
        d.set("message", r.error().message);
        d.set("retry_after", std::to_string(r.error().retry_after_s));
        d.set("csrf", http::ViewerOf(*request).CsrfToken());
        auto page =
            PageResponse(deps, *request, 429, "quiz_waiting", d, "Phòng chờ", {"waiting_room.js"});
        page.RetryAfter(r.error().retry_after_s);
        res.Send(std::move(page));
      });
}

/// The quiz page of an active attempt, or its result once finalised.
void AttemptPage(const QuizPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = deps.current.For(Who(req).contest_id);
  if (!contest) return res.SendError(contest::NoContestError());
  http::Request* request = &req;
  deps.attempts.Find(
      ParticipantOf(req), req.IdParam("id").value_or(0),
      [deps, request, res, contest = *contest](core::Result<quiz::Attempt> r) {
        if (!r) return res.SendError(r.error());
        if (r->status != quiz::AttemptStatus::kActive) {
          return res.Send(http::Response::Redirect("/thi/" + std::to_string(r->id) + "/ket-qua"));
        }
        const auto* rules = &contest.quiz_rules();
        const auto now = deps.clock.Now();
        auto shown = deps.attempts.Show(*r, contest, *rules, now);
        if (!shown) return res.SendError(shown.error());
        Data d;
        d.set("csrf", http::ViewerOf(*request).CsrfToken());
        d.set("id", std::to_string(r->id));
        d.set("deadline_iso", core::FormatRfc3339(r->deadline_at));
        d.set("server_iso", core::FormatRfc3339(now));
        d.set("remaining", Clock((r->deadline_at - now).count()));
        d.set("deadline_local", core::FormatDateTime(r->deadline_at, contest.time_zone));
        d.set("total", std::to_string(r->total));
        int answered = 0;
        list questions;
        for (const auto& q : *shown) {
          Data x;
          x.set("position", std::to_string(q.position));
          x.set("qid", std::to_string(q.question_id));
          x.set("text", std::string(q.text));
          list options;
          for (std::size_t i = 0; i < q.options.size(); ++i) {
            Data o;
            o.set("value", std::to_string(q.options[i].id));
            o.set("letter", std::string(1, Letter(i)));
            o.set("text", std::string(q.options[i].text));
            o.set("checked", q.answer && *q.answer == q.options[i].id);
            options.push_back(o);
          }
          x.set("options", options);
          if (q.answer) ++answered;
          questions.push_back(x);
        }
        d.set("questions", questions);
        d.set("answered", std::to_string(answered));
        if (rules->prediction.enabled) {
          d.set("prediction_question", rules->prediction.question);
          if (r->prediction) d.set("prediction", std::to_string(*r->prediction));
        }
        if (request->QueryParam("da-luu")) d.set("notice", "Đã lưu bài làm.");
        res.Send(
            PageResponse(deps, *request, 200, "quiz", d, "Bài thi", {"countdown.js", "quiz.js"}));
      });
}

/// The answers of the quiz form: fields "q_<question id>" = option id.
std::vector<quiz::AnswerInput> FormAnswers(const http::FormFields& fields) {
  std::vector<quiz::AnswerInput> out;
  for (const auto& [k, v] : fields) {
    if (!k.starts_with("q_") || v.empty() || v.size() > 3) continue;
    const auto qid = std::atoll(k.c_str() + 2);
    if (qid <= 0 || v.find_first_not_of("0123456789") != std::string::npos) continue;
    out.push_back({qid, std::atoi(v.c_str())});
  }
  return out;
}

void Save(const QuizPageDeps& deps, http::Request& req, http::Responder res) {
  const auto id = req.IdParam("id").value_or(0);
  deps.attempts.SaveAnswers(
      ParticipantOf(req), id, FormAnswers(http::UrlEncodedFields(req)), [res, id](core::Status st) {
        if (!st) return res.SendError(st.error());
        res.Send(http::Response::Redirect("/thi/" + std::to_string(id) + "?da-luu=1"));
      });
}

/// Before the final submit without JavaScript: what is answered and what is not (with links back
/// to each unanswered question), the time left, and the submit again with confirm=1.
void ConfirmSubmitPage(const QuizPageDeps& deps, const http::Request& req,
                       const http::Responder& res, const quiz::Attempt& attempt,
                       std::optional<std::int64_t> prediction) {
  const auto contest = deps.current.For(Who(req).contest_id);
  if (!contest) return res.SendError(contest::NoContestError());
  const auto now = deps.clock.Now();
  auto shown = deps.attempts.Show(attempt, *contest, contest->quiz_rules(), now);
  if (!shown) return res.SendError(shown.error());
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("id", std::to_string(attempt.id));
  d.set("total", std::to_string(attempt.total));
  d.set("remaining", Clock((attempt.deadline_at - now).count()));
  d.set("deadline_local", core::FormatDateTime(attempt.deadline_at, contest->time_zone));
  int answered = 0;
  list unanswered;
  for (const auto& q : *shown) {
    if (q.answer) {
      ++answered;
      continue;
    }
    Data x;
    x.set("position", std::to_string(q.position));
    unanswered.push_back(x);
  }
  d.set("answered", std::to_string(answered));
  d.set("unanswered_count", std::to_string(unanswered.size()));
  d.set("has_unanswered", !unanswered.empty());
  d.set("unanswered", unanswered);
  if (prediction) d.set("prediction", std::to_string(*prediction));
  res.Send(PageResponse(deps, req, 200, "quiz_confirm", d, "Nộp bài?"));
}

/// The final submit. One tap must not end the only attempt by mistake: without confirm=1 (the
/// dialog of static/quiz.js adds it; without JavaScript, the page above) the chosen answers are
/// saved and the participant is asked first. An attempt already over, or whose time is up, is
/// submitted at once (nothing is left to decide; quiz.js submits at the deadline by itself).
void Submit(const QuizPageDeps& deps, http::Request& req, http::Responder res) {
  const auto id = req.IdParam("id").value_or(0);
  const auto fields = http::UrlEncodedFields(req);
  std::optional<std::int64_t> prediction;
  const auto p = http::FieldValue(fields, "prediction");
  if (!p.empty() && p.size() < 12 && p.find_first_not_of("0123456789") == std::string::npos) {
    prediction = std::atoll(p.c_str());
  }
  const auto who = ParticipantOf(req);
  auto answers = FormAnswers(fields);
  const auto submit = [deps, who, id, answers, prediction, res] {
    deps.attempts.Submit(
        who, id, answers, prediction, [res, id](core::Result<quiz::SubmitResult> r) {
          // Submitted now or earlier: either way the result page shows it.
          if (!r) return res.SendError(r.error());
          const auto late = r->late_answers > 0 ? "?tre=" + std::to_string(r->late_answers) : "";
          res.Send(http::Response::Redirect("/thi/" + std::to_string(id) + "/ket-qua" + late));
        });
  };
  if (http::FieldValue(fields, "confirm") == "1") return submit();
  http::Request* request = &req;  // alive until the answer is sent
  deps.attempts.SaveAnswers(
      who, id, std::move(answers),
      [deps, request, res, who, id, prediction, submit](core::Status st) {
        // Closed (over, or past its deadline): submitting shows the result, late answers counted.
        if (!st && st.error().code == "attempt_closed") return submit();
        if (!st) return res.SendError(st.error());
        deps.attempts.Find(
            who, id, [deps, request, res, prediction](core::Result<quiz::Attempt> r) {
              if (!r) return res.SendError(r.error());
              if (r->status != quiz::AttemptStatus::kActive) {  // finalised meanwhile
                return res.Send(
                    http::Response::Redirect("/thi/" + std::to_string(r->id) + "/ket-qua"));
              }
              ConfirmSubmitPage(deps, *request, res, *r, prediction);
            });
      });
}

void Result(const QuizPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = deps.current.For(Who(req).contest_id);
  if (!contest) return res.SendError(contest::NoContestError());
  http::Request* request = &req;
  deps.attempts.Find(
      ParticipantOf(req), req.IdParam("id").value_or(0),
      [deps, request, res, contest = *contest](core::Result<quiz::Attempt> r) {
        if (!r) return res.SendError(r.error());
        if (r->status == quiz::AttemptStatus::kActive) {
          return res.Send(http::Response::Redirect("/thi/" + std::to_string(r->id)));
        }
        const auto* rules = &contest.quiz_rules();
        const auto now = deps.clock.Now();
        auto shown = deps.attempts.Show(*r, contest, *rules, now);
        if (!shown) return res.SendError(shown.error());
        Data d;
        d.set("correct", std::to_string(r->correct.value_or(0)));
        d.set("total", std::to_string(r->total));
        d.set("duration", core::FormatDuration(r->duration_ms.value_or(0)));
        d.set("status", std::string(quiz::AttemptStatusLabel(r->status)));
        d.set("expired", r->status == quiz::AttemptStatus::kExpired);
        if (const auto late = request->QueryParam("tre");
            late && late->size() < 4 &&
            late->find_first_not_of("0123456789") == std::string::npos) {
          d.set("late_answers", *late);
        }
        d.set("ranking_rule", contest::RankingRuleText(rules->prediction.enabled));
        if (contest::LiveRanksShown(*rules, now)) {
          store::Database::OnDemandRead conn(deps.db);
          auto rank =
              deps.attempts.standings().RankOf(conn, contest.id, r->round_key, r->user_id, *rules);
          if (rank && *rank > 0) d.set("rank", std::to_string(*rank));
        } else {
          d.set("rank_later", true);
        }
        bool revealed = false;
        list questions;
        for (const auto& q : *shown) {
          Data x;
          x.set("position", std::to_string(q.position));
          x.set("text", std::string(q.text));
          x.set("right", q.correct.value_or(false));
          list options;
          for (std::size_t i = 0; i < q.options.size(); ++i) {
            Data o;
            o.set("letter", std::string(1, Letter(i)));
            o.set("text", std::string(q.options[i].text));
            o.set("chosen", q.answer && *q.answer == q.options[i].id);
            o.set("key", q.correct_option && *q.correct_option == q.options[i].id);
            options.push_back(o);
          }
          x.set("options", options);
          if (q.correct_option) {
            revealed = true;
            SetIfPresent(x, "source", std::string(q.source));
          }
          questions.push_back(x);
        }
        d.set("questions", questions);
        d.set("revealed", revealed);
        d.set("reveal_note", rules->reveal == contest::AnswerReveal::kNever
                                 ? "Ban tổ chức không công bố đáp án của phần thi này."
                                 : "Đáp án và kết quả từng câu sẽ được công bố sau khi hội thi "
                                   "kết thúc.");
        res.Send(PageResponse(deps, *request, 200, "quiz_result", d, "Kết quả bài thi"));
      });
}

void History(const QuizPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = deps.current.For(Who(req).contest_id);
  if (!contest) return res.SendError(contest::NoContestError());
  auto history = deps.attempts.History(ParticipantOf(req), contest->id);
  if (!history) return res.SendError(history.error());
  list rows;
  for (const auto& a : *history) {
    Data x;
    x.set("url", "/thi/" + std::to_string(a.id) +
                     (a.status == quiz::AttemptStatus::kActive ? "" : "/ket-qua"));
    x.set("number", std::to_string(a.number));
    x.set("started", core::FormatDateTime(a.started_at, contest->time_zone));
    x.set("status", std::string(quiz::AttemptStatusLabel(a.status)));
    if (a.status != quiz::AttemptStatus::kActive) {
      x.set("score", fmt::format("{}/{}", a.correct.value_or(0), a.total));
      x.set("duration", core::FormatDuration(a.duration_ms.value_or(0)));
    }
    rows.push_back(x);
  }
  Data d;
  d.set("attempts", rows);
  d.set("has_attempts", !rows.empty());
  res.Send(PageResponse(deps, req, 200, "quiz_history", d, "Lịch sử bài thi"));
}

}  // namespace

void RegisterQuizPages(http::Router& router, const QuizPageDeps& deps) {
  const auto participant = Access::Roles({Role::kParticipant});
  router.Add(Method::kGet, "/thi", participant, Bind(deps, StartPage));
  router.Add(Method::kPost, "/thi", Access(participant).Limited(RateLimited::kAttemptStart),
             Bind(deps, Start));
  router.Add(Method::kGet, "/thi/{id}", participant, Bind(deps, AttemptPage));
  router.Add(Method::kPost, "/thi/{id}/luu", participant, Bind(deps, Save));
  router.Add(Method::kPost, "/thi/{id}/nop", participant, Bind(deps, Submit));
  router.Add(Method::kGet, "/thi/{id}/ket-qua", participant, Bind(deps, Result));
  router.Add(Method::kGet, "/lich-su", participant, Bind(deps, History));
}

}  // namespace hoithi::web
