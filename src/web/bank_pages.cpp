// The secretariat's and organisers' quiz screens: the question bank (/quan-tri/cau-hoi: list with
// topic filter, search and paging; create; edit as a new version; deactivate; import with a dry
// run; export), the item analysis, the quiz rules with rounds and pause (/quan-tri/the-le), and
// grants of extra attempts or time on a participant's page.
#include "web/bank_pages.hpp"

#include <fmt/format.h>

#include "core/text.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"
#include "quiz/ranking.hpp"

namespace hoithi::web {
namespace {

using http::Who;

using accounts::Role;
using http::Access;
using http::Method;
using kainjow::mustache::list;

audit::Actor ActorOf(const http::Request& req) {
  return accounts::ActorOf(Who(req), {req.client_ip, std::string(req.Header("user-agent"))});
}

core::Error NoContest() {
  return core::MakeError(core::ErrorKind::kNotFound, "no_contest", "Chưa có hội thi nào.");
}

quiz::QuestionDraft DraftFromForm(const http::FormFields& f) {
  quiz::QuestionDraft d;
  d.topic = http::FieldValue(f, "topic");
  d.text = http::FieldValue(f, "text");
  d.source = http::FieldValue(f, "source");
  for (int i = 0; i < quiz::kMaxOptions; ++i) {
    const auto v = http::FieldValue(f, "option_" + std::string(1, static_cast<char>('a' + i)));
    d.options.push_back(v);
  }
  while (d.options.size() > static_cast<std::size_t>(quiz::kMinOptions) &&
         d.options.back().empty()) {
    d.options.pop_back();
  }
  const auto key = http::FieldValue(f, "correct");
  d.correct = key.size() == 1 && key[0] >= 'A' && key[0] <= 'F' ? key[0] - 'A' : -1;
  return d;
}

/// Option inputs a..f with their values, and the key select.
void SetDraft(Data& d, const quiz::QuestionDraft& q) {
  d.set("topic", q.topic);
  d.set("text", q.text);
  d.set("source", q.source);
  list options, keys;
  for (int i = 0; i < quiz::kMaxOptions; ++i) {
    Data o;
    o.set("letter", std::string(1, static_cast<char>('A' + i)));
    o.set("name", "option_" + std::string(1, static_cast<char>('a' + i)));
    o.set("value", i < static_cast<int>(q.options.size()) ? q.options[static_cast<std::size_t>(i)]
                                                          : std::string());
    options.push_back(o);
    Data k;
    k.set("letter", std::string(1, static_cast<char>('A' + i)));
    k.set("selected", q.correct == i);
    keys.push_back(k);
  }
  d.set("options", options);
  d.set("keys", keys);
}

// --- ngân hàng câu hỏi
// -----------------------------------------------------------------------------

core::Result<Data> BankData(const WebDeps& deps, const http::Request& req,
                            const contest::Contest& contest) {
  quiz::QuestionQuery q;
  q.contest_id = contest.id;
  q.topic = req.QueryParam("topic").value_or("");
  q.q = req.QueryParam("q").value_or("");
  const auto state = req.QueryParam("state").value_or("");
  if (state == "active") q.active = true;
  if (state == "inactive") q.active = false;
  q.page = std::max(1, std::atoi(req.QueryParam("page").value_or("1").c_str()));
  auto lease = deps.db.Read();
  auto page = quiz::ListQuestions(*lease, q);
  auto topics = quiz::Topics(*lease, contest.id);
  if (!page || !topics) return !page ? page.error() : topics.error();
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("q", q.q);
  list topic_options;
  for (const auto& [topic, active] : *topics) {
    Data t;
    t.set("value", topic);
    t.set("label", fmt::format("{} ({} câu)", topic, active));
    t.set("selected", topic == q.topic);
    topic_options.push_back(t);
  }
  d.set("topics", topic_options);
  d.set("state_active", state == "active");
  d.set("state_inactive", state == "inactive");
  list rows;
  for (const auto& item : page->items) {
    Data r;
    r.set("id", std::to_string(item.current.question_id));
    r.set("topic", item.current.topic);
    r.set("text", item.current.text);
    r.set("key", std::string(1, static_cast<char>('A' + item.current.correct)));
    r.set("version", std::to_string(item.current.version));
    r.set("active", item.active);
    rows.push_back(r);
  }
  d.set("questions", rows);
  d.set("has_questions", !rows.empty());
  d.set("pager_html", PagerHtml(deps.views, "/quan-tri/cau-hoi",
                                {{"topic", q.topic}, {"q", q.q}, {"state", state}}, page->page,
                                page->per_page, page->total));
  SetDraft(d, quiz::QuestionDraft{q.topic, "", {}, 0, ""});
  return d;
}

void Bank(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
  auto d = BankData(deps, req, *contest);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "bank", *d, "Ngân hàng câu hỏi"));
}

void CreateQuestion(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
  const auto draft = DraftFromForm(http::UrlEncodedFields(req));
  http::Request* request = &req;
  deps.bank.Create(ActorOf(req), contest->id, draft,
                   [deps, request, res, contest = *contest, draft](core::Result<std::int64_t> r) {
                     if (r) return res.Send(http::Response::Redirect("/quan-tri/cau-hoi?moi=1"));
                     auto d = BankData(deps, *request, contest);
                     if (!d) return res.SendError(d.error());
                     SetDraft(*d, draft);
                     SetFormErrors(*d, r.error());
                     d->set("has_errors", true);
                     res.Send(PageResponse(deps, *request, http::HttpStatus(r.error().kind), "bank",
                                           *d, "Ngân hàng câu hỏi"));
                   });
}

core::Result<Data> QuestionData(const WebDeps& deps, const http::Request& req,
                                const contest::Contest& contest) {
  const auto id = req.IdParam("id").value_or(0);
  auto lease = deps.db.Read();
  quiz::QuestionQuery query;
  query.contest_id = contest.id;  // scoped to the contest: another contest's id is not found
  query.id = id;
  auto page = quiz::ListQuestions(*lease, query);
  if (!page) return std::move(page).error();
  if (page->items.empty()) {
    return core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy câu hỏi.");
  }
  const auto* found = &page->items.front();
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("id", std::to_string(id));
  d.set("version", std::to_string(found->current.version));
  d.set("active", found->active);
  SetDraft(d, quiz::QuestionDraft{found->current.topic, found->current.text, found->current.options,
                                  found->current.correct, found->current.source});
  if (req.QueryParam("saved")) d.set("notice", "Đã lưu phiên bản mới của câu hỏi.");
  return d;
}

void QuestionPage(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
  auto d = QuestionData(deps, req, *contest);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "bank_question", *d, "Sửa câu hỏi"));
}

void EditQuestion(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
  const auto id = req.IdParam("id").value_or(0);
  const auto draft = DraftFromForm(http::UrlEncodedFields(req));
  http::Request* request = &req;
  deps.bank.Edit(ActorOf(req), contest->id, id, draft,
                 [deps, request, res, contest = *contest, draft, id](core::Status st) {
                   if (st) {
                     return res.Send(http::Response::Redirect("/quan-tri/cau-hoi/" +
                                                              std::to_string(id) + "?saved=1"));
                   }
                   auto d = QuestionData(deps, *request, contest);
                   if (!d) return res.SendError(d.error());
                   SetDraft(*d, draft);
                   SetFormErrors(*d, st.error());
                   d->set("has_errors", true);
                   res.Send(PageResponse(deps, *request, http::HttpStatus(st.error().kind),
                                         "bank_question", *d, "Sửa câu hỏi"));
                 });
}

void SetActive(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
  const auto id = req.IdParam("id").value_or(0);
  // The form says which state it wants, so a replayed or empty post cannot flip it by accident.
  const auto wanted = http::FieldValue(http::UrlEncodedFields(req), "active");
  if (wanted != "0" && wanted != "1") {
    return res.SendError(core::MakeError(core::ErrorKind::kValidation, "required",
                                         "Hãy chọn dùng hay ngừng dùng câu hỏi.", "active"));
  }
  const bool active = wanted == "1";
  deps.bank.SetActive(ActorOf(req), contest->id, id, active, [res, id](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(http::Response::Redirect("/quan-tri/cau-hoi/" + std::to_string(id)));
  });
}

void Import(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
  auto form = ReadImportForm(req);
  if (!form) return res.SendError(form.error());
  http::Request* request = &req;
  deps.bank.Import(
      ActorOf(req), contest->id, form->file, form->dry_run, form->skip_invalid,
      [deps, request, res, dry_run = form->dry_run](core::Status st,
                                                    spreadsheet::ImportReport report) {
        Data d;
        SetImportReport(d, st, report, dry_run);
        res.Send(PageResponse(deps, *request, st ? 200 : http::HttpStatus(st.error().kind),
                              "bank_import", d, "Nhập câu hỏi"));
      });
}

void Analysis(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
  auto lease = deps.db.Read();
  auto stats = quiz::ItemAnalysis(*lease, contest->id);
  if (!stats) return res.SendError(stats.error());
  quiz::QuestionQuery all;
  all.contest_id = contest->id;
  all.per_page = 500;
  auto questions = quiz::ListQuestions(*lease, all);
  if (!questions) return res.SendError(questions.error());
  std::map<std::int64_t, const quiz::QuestionVersion*> by_id;
  for (const auto& item : questions->items)
    by_id[item.current.question_id] = &item.current;
  list rows;
  for (const auto& s : *stats) {
    Data r;
    r.set("id", std::to_string(s.question_id));
    const auto it = by_id.find(s.question_id);
    r.set("text", it == by_id.end() ? "" : it->second->text);
    r.set("key",
          it == by_id.end() ? "" : std::string(1, static_cast<char>('A' + it->second->correct)));
    r.set("shown", std::to_string(s.shown));
    r.set("p", fmt::format("{:.0f}%", s.p_correct * 100));
    r.set("d", fmt::format("{:.2f}", s.discrimination));
    std::string choices;
    for (const auto& [option, n] : s.choices) {
      choices +=
          fmt::format("{}{}: {}", choices.empty() ? "" : ", ", static_cast<char>('A' + option), n);
    }
    r.set("choices", choices);
    // A question most good candidates miss, or that weak candidates answer better than strong
    // ones, deserves a second look at its key.
    r.set("flag", s.shown >= 20 && (s.discrimination < 0 || s.p_correct < 0.2));
    rows.push_back(r);
  }
  Data d;
  d.set("rows", rows);
  d.set("has_rows", !rows.empty());
  res.Send(PageResponse(deps, req, 200, "bank_analysis", d, "Phân tích câu hỏi"));
}

// --- thể lệ (cài đặt)
// ------------------------------------------------------------------------------

core::Result<Data> RulesData(const WebDeps& deps, const http::Request& req,
                             const contest::Contest& contest) {
  auto rules = contest::ParseQuizRules(contest.settings_json);
  if (!rules) return std::move(rules).error();
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
  auto options = [](std::initializer_list<std::pair<std::string_view, std::string_view>> all,
                    std::string_view selected) {
    list out;
    for (const auto& [value, label] : all) {
      Data o;
      o.set("value", std::string(value));
      o.set("label", std::string(label));
      o.set("selected", value == selected);
      out.push_back(o);
    }
    return out;
  };
  d.set("counted_options",
        options({{"best", "Lượt tốt nhất"}, {"first", "Lượt đầu tiên"}, {"last", "Lượt cuối cùng"}},
                contest::CountedAttemptCode(r.counted)));
  d.set("reveal_options", options({{"after_close", "Sau khi hội thi kết thúc"},
                                   {"after_submit", "Ngay sau khi nộp bài"},
                                   {"never", "Không công bố"}},
                                  contest::AnswerRevealCode(r.reveal)));
  d.set("board_options", options({{"live", "Cập nhật liên tục"},
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

void RulesPage(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
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

void SaveRules(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
  const auto f = http::UrlEncodedFields(req);
  auto current = contest::ParseQuizRules(contest->settings_json);
  if (!current) return res.SendError(current.error());
  auto r = *current;
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
  r.frozen_at = ParseLocal(http::FieldValue(f, "frozen_at"), contest->time_zone);
  r.topic_quotas.clear();
  std::string_view quotas = http::FieldValue(f, "quotas");
  http::Request* request = &req;
  auto fail = [deps, request, res, contest = *contest](const core::Error& e) {
    auto d = RulesData(deps, *request, contest);
    if (!d) return res.SendError(d.error());
    SetFormErrors(*d, e);
    d->set("has_errors", true);
    res.Send(PageResponse(deps, *request, http::HttpStatus(e.kind), "admin_rules", *d,
                          "Thể lệ phần thi"));
  };
  const std::string quota_text(quotas);
  std::size_t pos = 0;
  while (pos < quota_text.size()) {
    const auto comma = quota_text.find(',', pos);
    const auto item = core::CleanText(
        quota_text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    pos = comma == std::string::npos ? quota_text.size() : comma + 1;
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string::npos) {
      return fail(core::MakeError(core::ErrorKind::kValidation, "invalid_rules",
                                  "Số câu theo chủ đề ghi dạng chủ-đề=số, cách nhau bằng dấu phẩy.",
                                  "quotas"));
    }
    r.topic_quotas[core::CleanText(item.substr(0, eq))] = std::atoi(item.substr(eq + 1).c_str());
  }
  r.prediction.enabled = http::FieldValue(f, "prediction_enabled") == "1";
  r.prediction.question = core::CleanText(http::FieldValue(f, "prediction_question"));
  const auto answer = http::FieldValue(f, "prediction_answer");
  r.prediction.answer = answer.empty() ? std::optional<std::int64_t>()
                                       : std::optional<std::int64_t>(std::atoll(answer.c_str()));
  if (auto st = contest::ValidateQuizRules(r); !st) return fail(st.error());
  const auto actor = ActorOf(req);
  deps.db.Write(
      [contest_id = contest->id, r, actor, now = deps.clock.Now()](store::Connection& c) {
        return contest::SaveQuizRules(c, contest_id, r, actor, now);
      },
      [deps, res, fail](const core::Status& st) {
        if (!st) return fail(st.error());
        deps.current.Invalidate();
        res.Send(http::Response::Redirect("/quan-tri/the-le?saved=1"));
      });
}

void AddRound(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
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
    auto d = RulesData(deps, *request, contest);
    if (!d) return res.SendError(d.error());
    SetFormErrors(*d, e);
    d->set("has_errors", true);
    res.Send(PageResponse(deps, *request, http::HttpStatus(e.kind), "admin_rules", *d,
                          "Thể lệ phần thi"));
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
  const auto actor = ActorOf(req);
  deps.db.Write(
      [contest = *contest, next, actor, now = deps.clock.Now()](store::Connection& c) {
        return contest::SaveRounds(c, contest, next, actor, now);
      },
      [res, fail](const core::Status& st) {
        if (!st) return fail(st.error());
        res.Send(http::Response::Redirect("/quan-tri/the-le?saved=1"));
      });
}

void ClearRounds(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
  const auto actor = ActorOf(req);
  deps.db.Write(
      [contest = *contest, actor, now = deps.clock.Now()](store::Connection& c) {
        return contest::SaveRounds(c, contest, {}, actor, now);
      },
      [res](const core::Status& st) {
        if (!st) return res.SendError(st.error());
        res.Send(http::Response::Redirect("/quan-tri/the-le?saved=1"));
      });
}

void Grant(const WebDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(NoContest());
  const auto f = http::UrlEncodedFields(req);
  const auto id = req.IdParam("id").value_or(0);
  const bool extra_time = http::FieldValue(f, "kind") == "extra_time";
  const int amount = std::atoi(http::FieldValue(f, "amount").c_str());
  deps.attempts.Grant(ActorOf(req), contest->id, id, extra_time, amount,
                      core::CleanText(http::FieldValue(f, "reason")), [res, id](core::Status st) {
                        if (!st) return res.SendError(st.error());
                        res.Send(http::Response::Redirect("/quan-tri/tai-khoan/" +
                                                          std::to_string(id) + "?saved=1"));
                      });
}

}  // namespace

void RegisterBankPages(http::Router& router, const WebDeps& deps) {
  auto bind = [deps](void (*fn)(const WebDeps&, http::Request&, http::Responder)) {
    return [deps, fn](http::Request& req, http::Responder res) { fn(deps, req, std::move(res)); };
  };
  const auto bank = Access::Roles({Role::kAdmin, Role::kSecretary});
  const auto admin = Access::Roles({Role::kAdmin});
  router.Add(Method::kGet, "/quan-tri/cau-hoi", bank, bind(Bank));
  router.Add(Method::kPost, "/quan-tri/cau-hoi", bank, bind(CreateQuestion));
  router.Add(Method::kPost, "/quan-tri/cau-hoi/nhap", bank, bind(Import));
  router.Add(Method::kGet, "/quan-tri/cau-hoi/phan-tich", bank, bind(Analysis));
  router.Add(Method::kGet, "/quan-tri/cau-hoi/{id}", bank, bind(QuestionPage));
  router.Add(Method::kPost, "/quan-tri/cau-hoi/{id}", bank, bind(EditQuestion));
  router.Add(Method::kPost, "/quan-tri/cau-hoi/{id}/trang-thai", bank, bind(SetActive));
  router.Add(Method::kGet, "/quan-tri/the-le", admin, bind(RulesPage));
  router.Add(Method::kPost, "/quan-tri/the-le", admin, bind(SaveRules));
  router.Add(Method::kPost, "/quan-tri/the-le/dot", admin, bind(AddRound));
  router.Add(Method::kPost, "/quan-tri/the-le/dot/xoa", admin, bind(ClearRounds));
  router.Add(Method::kPost, "/quan-tri/tai-khoan/{id}/cap-them", admin, bind(Grant));
}

}  // namespace hoithi::web
