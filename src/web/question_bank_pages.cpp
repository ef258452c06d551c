// Question bank pages: view models over quiz::QuestionBankService and the item analysis.
#include "web/question_bank_pages.hpp"

#include <fmt/format.h>

#include "accounts/auth_service.hpp"
#include "core/text.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"
#include "quiz/item_analysis.hpp"

namespace hoithi::web {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using kainjow::mustache::list;

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

core::Result<Data> BankData(const QuestionBankPageDeps& deps, const http::Request& req,
                            const contest::Contest& contest) {
  quiz::QuestionQuery q;
  q.contest_id = contest.id;
  q.topic = req.QueryParam("topic").value_or("");
  q.q = req.QueryParam("q").value_or("");
  const auto state = req.QueryParam("state").value_or("");
  if (state == "active") q.active = true;
  if (state == "inactive") q.active = false;
  q.page = http::PageOf(req).page;
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

void Bank(const QuestionBankPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto d = BankData(deps, req, *contest);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "bank", *d, "Ngân hàng câu hỏi"));
}

void CreateQuestion(const QuestionBankPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto draft = DraftFromForm(http::UrlEncodedFields(req));
  http::Request* request = &req;
  deps.bank.Create(http::ActorOf(req), contest->id, draft,
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

core::Result<Data> QuestionData(const QuestionBankPageDeps& deps, const http::Request& req,
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

void QuestionPage(const QuestionBankPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto d = QuestionData(deps, req, *contest);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "bank_question", *d, "Sửa câu hỏi"));
}

void EditQuestion(const QuestionBankPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto id = req.IdParam("id").value_or(0);
  const auto draft = DraftFromForm(http::UrlEncodedFields(req));
  http::Request* request = &req;
  deps.bank.Edit(http::ActorOf(req), contest->id, id, draft,
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

void SetActive(const QuestionBankPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto id = req.IdParam("id").value_or(0);
  // The form says which state it wants, so a replayed or empty post cannot flip it by accident.
  const auto wanted = http::FieldValue(http::UrlEncodedFields(req), "active");
  if (wanted != "0" && wanted != "1") {
    return res.SendError(core::MakeError(core::ErrorKind::kValidation, "required",
                                         "Hãy chọn dùng hay ngừng dùng câu hỏi.", "active"));
  }
  const bool active = wanted == "1";
  deps.bank.SetActive(http::ActorOf(req), contest->id, id, active, [res, id](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(http::Response::Redirect("/quan-tri/cau-hoi/" + std::to_string(id)));
  });
}

void Import(const QuestionBankPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto form = ReadImportForm(req);
  if (!form) return res.SendError(form.error());
  http::Request* request = &req;
  deps.bank.Import(
      http::ActorOf(req), contest->id, form->file, form->dry_run, form->skip_invalid,
      [deps, request, res, dry_run = form->dry_run](core::Status st,
                                                    spreadsheet::ImportReport report) {
        Data d;
        SetImportReport(d, st, report, dry_run);
        res.Send(PageResponse(deps, *request, st ? 200 : http::HttpStatus(st.error().kind),
                              "bank_import", d, "Nhập câu hỏi"));
      });
}

void Analysis(const QuestionBankPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
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

}  // namespace

void RegisterQuestionBankPages(http::Router& router, const QuestionBankPageDeps& deps) {
  const auto bank = Access::Roles({Role::kAdmin, Role::kSecretary});
  router.Add(Method::kGet, "/quan-tri/cau-hoi", bank, Bind(deps, Bank));
  router.Add(Method::kPost, "/quan-tri/cau-hoi", bank, Bind(deps, CreateQuestion));
  router.Add(Method::kPost, "/quan-tri/cau-hoi/nhap", bank, Bind(deps, Import));
  router.Add(Method::kGet, "/quan-tri/cau-hoi/phan-tich", bank, Bind(deps, Analysis));
  router.Add(Method::kGet, "/quan-tri/cau-hoi/{id}", bank, Bind(deps, QuestionPage));
  router.Add(Method::kPost, "/quan-tri/cau-hoi/{id}", bank, Bind(deps, EditQuestion));
  router.Add(Method::kPost, "/quan-tri/cau-hoi/{id}/trang-thai", bank, Bind(deps, SetActive));
}

}  // namespace hoithi::web
