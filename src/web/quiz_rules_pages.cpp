// Quiz rules pages: the form over contest::SettingsService, rounds, and grants.
#include "web/quiz_rules_pages.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "accounts/auth_service.hpp"
#include "contest/rounds.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"

namespace hoithi::web {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using kainjow::mustache::list;

core::Result<Data> RulesData(const QuizRulesPageDeps& deps, const http::Request& req,
                             const contest::Contest& contest) {
  const auto* rules = &contest.quiz_rules();
  auto lease = deps.db.Read();
  auto rounds = contest::ListRounds(*lease, contest);
  if (!rounds) return std::move(rounds).error();
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  const auto& r = *rules;
  d.set("questions_per_attempt", std::to_string(r.questions_per_attempt));
  d.set("time_limit_min", std::to_string(r.time_limit_s / 60));
  d.set("attempts_allowed", std::to_string(r.attempts_allowed));
  d.set("grace_s", std::to_string(r.grace_s));
  d.set("shuffle_questions", r.shuffle_questions);
  d.set("shuffle_options", r.shuffle_options);
  d.set("paused", r.paused);
  d.set("results_published", r.results_published);
  std::string quotas;
  for (const auto& [topic, n] : r.topic_quotas)
    quotas += fmt::format("{}{}={}", quotas.empty() ? "" : ", ", topic, n);
  d.set("quotas", quotas);
  d.set("counted_options",
        Choices({{"best", "Lượt tốt nhất"}, {"first", "Lượt đầu tiên"}, {"last", "Lượt cuối cùng"}},
                contest::CountedAttemptCode(r.counted)));
  d.set("reveal_options", Choices({{"after_close", "Sau khi hội thi kết thúc"},
                                   {"after_submit", "Ngay sau khi nộp bài"},
                                   {"never", "Không công bố"}},
                                  contest::AnswerRevealCode(r.reveal)));
  d.set("board_options", Choices({{"live", "Cập nhật liên tục"},
                                  {"frozen", "Giữ nguyên từ một thời điểm"},
                                  {"hidden", "Ẩn đến khi công bố kết quả"}},
                                 contest::LeaderboardModeCode(r.leaderboard)));
  d.set("frozen_at", r.frozen_at ? core::FormatDateTime(*r.frozen_at, contest.time_zone) : "");
  d.set("prediction_enabled", r.prediction.enabled);
  d.set("prediction_question", r.prediction.question);
  d.set("prediction_answer", r.prediction.answer ? std::to_string(*r.prediction.answer) : "");
  list round_rows;
  for (const auto& round : *rounds) {
    if (round.key == 0) continue;
    Data x;
    x.set("name", round.name);
    x.set("window", core::FormatDateTime(round.opens_at, contest.time_zone) + " – " +
                        core::FormatDateTime(round.closes_at, contest.time_zone, true));
    round_rows.push_back(x);
  }
  d.set("rounds", round_rows);
  d.set("has_rounds", !round_rows.empty());
  if (req.QueryParam("saved")) d.set("notice", "Đã lưu thể lệ.");
  return d;
}

void RulesPage(const QuizRulesPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto d = RulesData(deps, req, *contest);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "admin_rules", *d, "Thể lệ phần thi"));
}

/// "dd/mm/yyyy hh:mm" in the contest's time zone.
std::optional<core::TimePoint> ParseLocal(const std::string& text, const std::string& tz) {
  int d = 0, mo = 0, y = 0, h = 0, mi = 0;
  if (std::sscanf(text.c_str(), "%2d/%2d/%4d %2d:%2d", &d, &mo, &y, &h, &mi) == 5) {
    return core::LocalToUtc(y, mo, d, h, mi, tz);
  }
  return std::nullopt;
}

/// The rules of the form (every setting of the page) over `stored`; kValidation on a bad quota.
core::Result<contest::QuizRules> RulesFromForm(contest::QuizRules r, const http::FormFields& f,
                                               const std::string& tz) {
  auto number = [&](const char* key, int fallback) {
    const auto v = http::FieldValue(f, key);
    return v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos
               ? fallback
               : std::atoi(v.c_str());
  };
  r.questions_per_attempt = number("questions_per_attempt", -1);
  r.time_limit_s = number("time_limit_min", -1) * 60;
  r.attempts_allowed = number("attempts_allowed", -1);
  r.grace_s = number("grace_s", -1);
  r.shuffle_questions = http::FieldValue(f, "shuffle_questions") == "1";
  r.shuffle_options = http::FieldValue(f, "shuffle_options") == "1";
  r.paused = http::FieldValue(f, "paused") == "1";
  r.results_published = http::FieldValue(f, "results_published") == "1";
  for (auto c : {contest::CountedAttempt::kBest, contest::CountedAttempt::kFirst,
                 contest::CountedAttempt::kLast}) {
    if (contest::CountedAttemptCode(c) == http::FieldValue(f, "counted")) r.counted = c;
  }
  for (auto v : {contest::AnswerReveal::kAfterClose, contest::AnswerReveal::kAfterSubmit,
                 contest::AnswerReveal::kNever}) {
    if (contest::AnswerRevealCode(v) == http::FieldValue(f, "reveal")) r.reveal = v;
  }
  for (auto m : {contest::LeaderboardMode::kLive, contest::LeaderboardMode::kFrozen,
                 contest::LeaderboardMode::kHidden}) {
    if (contest::LeaderboardModeCode(m) == http::FieldValue(f, "leaderboard")) r.leaderboard = m;
  }
  r.frozen_at = ParseLocal(http::FieldValue(f, "frozen_at"), tz);
  r.topic_quotas.clear();
  const std::string quota_text = http::FieldValue(f, "quotas");
  std::size_t pos = 0;
  while (pos < quota_text.size()) {
    const auto comma = quota_text.find(',', pos);
    const auto item = core::CleanText(
        quota_text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    pos = comma == std::string::npos ? quota_text.size() : comma + 1;
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string::npos) {
      return core::MakeError(core::ErrorKind::kValidation, "invalid_rules",
                             "Số câu theo chủ đề ghi dạng chủ-đề=số, cách nhau bằng dấu phẩy.",
                             "quotas");
    }
    r.topic_quotas[core::CleanText(item.substr(0, eq))] = std::atoi(item.substr(eq + 1).c_str());
  }
  r.prediction.enabled = http::FieldValue(f, "prediction_enabled") == "1";
  r.prediction.question = core::CleanText(http::FieldValue(f, "prediction_question"));
  const auto answer = http::FieldValue(f, "prediction_answer");
  r.prediction.answer = answer.empty() ? std::optional<std::int64_t>()
                                       : std::optional<std::int64_t>(std::atoll(answer.c_str()));
  return r;
}

/// Renders the rules page again with `error` beside its field.
void RulesFailed(const QuizRulesPageDeps& deps, const http::Request& req,
                 const contest::Contest& contest, http::Responder res, const core::Error& e) {
  auto d = RulesData(deps, req, contest);
  if (!d) return res.SendError(d.error());
  SetFormErrors(*d, e);
  d->set("has_errors", true);
  res.Send(PageResponse(deps, req, http::HttpStatus(e.kind), "admin_rules", *d, "Thể lệ phần thi"));
}

void SaveRules(const QuizRulesPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto f = http::UrlEncodedFields(req);
  // Checked against the rules now, to answer a typing slip at once; applied to the rules as
  // stored when the write runs.
  auto checked = RulesFromForm(contest->quiz_rules(), f, contest->time_zone);
  if (checked) {
    if (auto st = contest::ValidateQuizRules(*checked); !st) checked = st.error();
  }
  if (!checked) return RulesFailed(deps, req, *contest, res, checked.error());
  http::Request* request = &req;
  deps.settings.EditQuizRules(
      http::ActorOf(req), contest->id,
      [f, tz = contest->time_zone](const contest::QuizRules& stored) {
        return RulesFromForm(stored, f, tz);
      },
      [deps, request, res, contest = *contest](core::Result<contest::QuizRules> saved) {
        if (!saved) return RulesFailed(deps, *request, contest, res, saved.error());
        res.Send(http::Response::Redirect("/quan-tri/the-le?saved=1"));
      });
}

void AddRound(const QuizRulesPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto f = http::UrlEncodedFields(req);
  auto lease = deps.db.Read();
  auto rounds = contest::ListRounds(*lease, *contest);
  if (!rounds) return res.SendError(rounds.error());
  std::vector<contest::Round> next;
  for (const auto& r : *rounds) {
    if (r.key != 0) next.push_back(r);
  }
  contest::Round round;
  round.name = core::CleanText(http::FieldValue(f, "name"));
  const auto opens = ParseLocal(http::FieldValue(f, "opens_at"), contest->time_zone);
  const auto closes = ParseLocal(http::FieldValue(f, "closes_at"), contest->time_zone);
  http::Request* request = &req;
  auto fail = [deps, request, res, contest = *contest](const core::Error& e) {
    RulesFailed(deps, *request, contest, res, e);
  };
  if (!opens || !closes) {
    return fail(core::MakeError(core::ErrorKind::kValidation, "invalid_date",
                                "Thời gian ghi dạng dd/mm/yyyy hh:mm.", "opens_at"));
  }
  round.opens_at = *opens;
  round.closes_at = *closes;
  next.push_back(round);
  std::sort(next.begin(), next.end(), [](const contest::Round& a, const contest::Round& b) {
    return a.opens_at < b.opens_at;
  });
  deps.settings.ReplaceRounds(http::ActorOf(req), *contest, std::move(next),
                              [res, fail](core::Result<std::vector<contest::Round>> saved) {
                                if (!saved) return fail(saved.error());
                                res.Send(http::Response::Redirect("/quan-tri/the-le?saved=1"));
                              });
}

void ClearRounds(const QuizRulesPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  deps.settings.ReplaceRounds(http::ActorOf(req), *contest, {},
                              [res](core::Result<std::vector<contest::Round>> saved) {
                                if (!saved) return res.SendError(saved.error());
                                res.Send(http::Response::Redirect("/quan-tri/the-le?saved=1"));
                              });
}

void Grant(const QuizRulesPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto f = http::UrlEncodedFields(req);
  const auto id = req.IdParam("id").value_or(0);
  const bool extra_time = http::FieldValue(f, "kind") == "extra_time";
  const int amount = std::atoi(http::FieldValue(f, "amount").c_str());
  deps.attempts.Grant(http::ActorOf(req), contest->id, id, extra_time, amount,
                      core::CleanText(http::FieldValue(f, "reason")), [res, id](core::Status st) {
                        if (!st) return res.SendError(st.error());
                        res.Send(http::Response::Redirect("/quan-tri/tai-khoan/" +
                                                          std::to_string(id) + "?saved=1"));
                      });
}

}  // namespace

void RegisterQuizRulesPages(http::Router& router, const QuizRulesPageDeps& deps) {
  const auto admin = Access::Roles({Role::kAdmin});
  router.Add(Method::kGet, "/quan-tri/the-le", admin, Bind(deps, RulesPage));
  router.Add(Method::kPost, "/quan-tri/the-le", admin, Bind(deps, SaveRules));
  router.Add(Method::kPost, "/quan-tri/the-le/dot", admin, Bind(deps, AddRound));
  router.Add(Method::kPost, "/quan-tri/the-le/dot/xoa", admin, Bind(deps, ClearRounds));
  router.Add(Method::kPost, "/quan-tri/tai-khoan/{id}/cap-them", admin, Bind(deps, Grant));
}

}  // namespace hoithi::web
