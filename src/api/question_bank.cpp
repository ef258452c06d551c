// The question bank endpoints: JSON or files in, quiz::QuestionBankService, JSON or files out.
#include "api/question_bank.hpp"

#include "accounts/auth_service.hpp"
#include "api/common.hpp"
#include "http/auth_gate.hpp"
#include "http/forms.hpp"
#include "quiz/item_analysis.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::Who;
using nlohmann::json;

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

void ListQuestions(const QuestionBankApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  quiz::QuestionQuery q;
  q.contest_id = contest->id;
  q.topic = req.QueryParam("topic").value_or("");
  q.q = req.QueryParam("q").value_or("");
  if (const auto a = req.QueryParam("active"); a && !a->empty()) q.active = *a == "true";
  const auto paging = http::PageOf(req);
  q.page = paging.page;
  q.per_page = paging.per_page;
  auto lease = deps.db.Read();
  auto page = quiz::ListQuestions(*lease, q);
  if (!page) return res.SendError(page.error());
  json items = json::array();
  for (const auto& item : page->items)
    items.push_back(QuestionJson(item.current, item.active));
  res.Send(JsonResponse(200, PageJson(items, page->total, page->page, page->per_page)));
}

void CreateQuestion(const QuestionBankApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto draft = DraftFrom(*body);
  if (!draft) return res.SendError(draft.error());
  deps.bank.Create(http::ActorOf(req), contest->id, std::move(*draft),
                   [res](core::Result<std::int64_t> r) {
                     if (!r) return res.SendError(r.error());
                     res.Send(JsonResponse(201, {{"id", *r}}));
                   });
}

void EditQuestion(const QuestionBankApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  const auto id = req.IdParam("id").value_or(0);
  const auto actor = http::ActorOf(req);
  auto draft = DraftFrom(*body);
  if (!draft) return res.SendError(draft.error());
  deps.bank.Edit(actor, contest->id, id, std::move(*draft), [res](core::Status st) {
    if (!st) return res.SendError(st.error());
    res.Send(http::Response::NoContent());
  });
}

void SetQuestionActive(const QuestionBankApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  if (!body->contains("active") || !(*body)["active"].is_boolean()) {
    return res.SendError(core::MakeError(core::ErrorKind::kBadRequest, "invalid_type",
                                         "Trường active phải là true hoặc false.", "active"));
  }
  deps.bank.SetActive(http::ActorOf(req), contest->id, req.IdParam("id").value_or(0),
                      (*body)["active"].get<bool>(), [res](core::Status st) {
                        if (!st) return res.SendError(st.error());
                        res.Send(http::Response::NoContent());
                      });
}

void ImportQuestions(const QuestionBankApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto file = http::UploadedFile(req);
  if (!file) return res.SendError(file.error());
  const auto options = ImportOptionsOf(req);
  deps.bank.Import(http::ActorOf(req), contest->id, *file, options.dry_run, options.skip_invalid,
                   [res](core::Status st, spreadsheet::ImportReport report) {
                     res.Send(ImportResponse(st, report));
                   });
}

void ExportQuestions(const QuestionBankApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
  if (!contest) return res.SendError(contest.error());
  auto sheet = deps.bank.Export(contest->id);
  if (!sheet) return res.SendError(sheet.error());
  auto file = spreadsheet::Encode(*sheet, req.QueryParam("format").value_or("xlsx"));
  if (!file) return res.SendError(file.error());
  res.Send(http::Download(std::move(file->body), file->content_type,
                          "cau-hoi-" + contest->slug + std::string(file->extension)));
}

void Analysis(const QuestionBankApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = WorkingContest(deps.current, req);
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

void RegisterQuestionBankApi(http::Router& router, const QuestionBankApiDeps& deps) {
  const auto bank = Access::Roles({Role::kAdmin, Role::kSecretary});
  router.Add(Method::kGet, "/api/v1/questions", bank, Bind(deps, ListQuestions));
  router.Add(Method::kPost, "/api/v1/questions", bank, Bind(deps, CreateQuestion));
  router.Add(Method::kGet, "/api/v1/questions/export", bank, Bind(deps, ExportQuestions));
  router.Add(Method::kPost, "/api/v1/questions/import", bank, Bind(deps, ImportQuestions));
  router.Add(Method::kGet, "/api/v1/questions/analysis", bank, Bind(deps, Analysis));
  router.Add(Method::kPut, "/api/v1/questions/{id}", bank, Bind(deps, EditQuestion));
  router.Add(Method::kPatch, "/api/v1/questions/{id}", bank, Bind(deps, SetQuestionActive));
}

}  // namespace hoithi::api
