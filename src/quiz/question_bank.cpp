// Listing and changing the question bank.
#include "quiz/question_bank.hpp"

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "quiz/audit_actions.hpp"
#include "store/paged_query.hpp"

namespace hoithi::quiz {
namespace {

using core::ErrorKind;
using nlohmann::json;

constexpr std::string_view kListColumns =
    "q.id, v.version, q.topic, v.text, v.options, v.correct, v.source, q.active";

json DraftJson(const QuestionDraft& d) {
  return {{"topic", d.topic},
          {"text", d.text},
          {"options", d.options},
          {"correct", std::string(1, static_cast<char>('A' + d.correct))},
          {"source", d.source}};
}

core::Error QuestionNotFound() {
  return core::MakeError(ErrorKind::kNotFound, "not_found", "Không tìm thấy câu hỏi.");
}

core::Error Invalid(const std::vector<std::string>& errors) {
  auto e = core::MakeError(ErrorKind::kValidation, "invalid_question", errors.front());
  for (const auto& m : errors)
    e.fields.emplace_back("question", m);
  return e;
}

}  // namespace

core::Result<QuestionPage> ListQuestions(store::Connection& conn, const QuestionQuery& q) {
  store::Filter filter;
  filter.Equals("q.contest_id", q.contest_id);
  if (q.id) filter.Equals("q.id", *q.id);
  if (!q.topic.empty()) filter.Equals("q.topic", q.topic);
  filter.Contains("q.text_key", core::IsValidUtf8(q.q) ? core::FoldForSearch(q.q) : "");
  if (q.active) filter.Where(*q.active ? "q.active = 1" : "q.active = 0");
  QuestionPage page;
  store::Paging paging{q.page, q.per_page};
  const store::PageQuery query{std::string(kListColumns),
                               "questions q JOIN question_versions v ON v.question_id = q.id AND"
                               " v.version = q.current_version",
                               "questions q", "q.id"};
  auto total = store::ReadPage(conn, query, filter, paging, [&](const store::Row& r) {
    QuestionListItem item;
    item.current.question_id = r.Int(0);
    item.current.version = static_cast<int>(r.Int(1));
    item.current.topic = r.Str(2);
    item.current.text = r.Str(3);
    const auto options = json::parse(r.Text(4), nullptr, false);
    if (options.is_array()) {
      for (const auto& o : options)
        item.current.options.push_back(o.get<std::string>());
    }
    item.current.correct = static_cast<int>(r.Int(5));
    item.current.source = r.Str(6);
    item.active = r.Bool(7);
    page.items.push_back(std::move(item));
  });
  if (!total) return std::move(total).error();
  page.total = *total;
  page.page = paging.page;
  page.per_page = paging.per_page;
  return page;
}

core::Result<std::vector<std::pair<std::string, std::int64_t>>> Topics(store::Connection& conn,
                                                                       std::int64_t contest_id) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  HOITHI_TRY(
      conn.Query("SELECT topic, SUM(active) FROM questions WHERE contest_id = $1 GROUP BY topic "
                 "ORDER BY topic",
                 {contest_id}, [&](const store::Row& r) { out.emplace_back(r.Str(0), r.Int(1)); }));
  return out;
}

QuestionBankService::QuestionBankService(store::Database& db, QuestionCache& cache,
                                         const core::Clock& clock)
    : db_(db), cache_(cache), clock_(clock) {}

void QuestionBankService::Create(const audit::Actor& actor, std::int64_t contest_id,
                                 QuestionDraft draft,
                                 std::function<void(core::Result<std::int64_t>)> done) {
  draft = CleanDraft(std::move(draft));
  if (auto errors = CheckDraft(draft); !errors.empty()) return done(Invalid(errors));
  const auto now = clock_.Now();
  auto id = std::make_shared<std::int64_t>(0);
  db_.Write(
      [=](store::Connection& c) -> core::Status {
        auto inserted = InsertQuestion(c, contest_id, draft, now, actor.user_id);
        if (!inserted) return std::move(inserted).error();
        *id = *inserted;
        return audit::Record(
            c, actor,
            audit::Entry{contest_id, actions::kQuestionCreate, "question",
                         std::to_string(*inserted), std::nullopt, DraftJson(draft).dump()},
            now);
      },
      [this, id, contest_id, done](const core::Status& st) {
        if (!st) return done(st.error());
        cache_.Invalidate(contest_id);
        done(*id);
      });
}

void QuestionBankService::Edit(const audit::Actor& actor, std::int64_t contest_id,
                               std::int64_t question_id, QuestionDraft draft,
                               std::function<void(core::Status)> done) {
  draft = CleanDraft(std::move(draft));
  if (auto errors = CheckDraft(draft); !errors.empty()) return done(Invalid(errors));
  const auto now = clock_.Now();
  db_.Write(
      [=](store::Connection& c) -> core::Status {
        std::optional<int> current;
        HOITHI_TRY(
            c.Query("SELECT current_version FROM questions WHERE id = $1 AND contest_id = $2",
                    {question_id, contest_id},
                    [&](const store::Row& r) { current = static_cast<int>(r.Int(0)); }));
        if (!current) return QuestionNotFound();
        auto before = LoadVersion(c, question_id, *current);
        if (!before) return std::move(before).error();
        const int next = *current + 1;
        auto r = c.Exec(
            "UPDATE questions SET current_version = $2, topic = $3, text_key = $4, updated_at = $5"
            " WHERE id = $1",
            {question_id, next, draft.topic, QuestionKey(draft.text), core::ToEpochMs(now)});
        if (!r) {
          if (store::IsDuplicate(r.error())) {
            return core::MakeError(ErrorKind::kConflict, "duplicate_question",
                                   "Đã có một câu hỏi khác với nội dung này.", "question");
          }
          return std::move(r).error();
        }
        r = c.Exec(
            "INSERT INTO question_versions (question_id, version, text, options, correct, source,"
            " created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {question_id, next, draft.text, json(draft.options).dump(), draft.correct, draft.source,
             core::ToEpochMs(now), actor.user_id});
        if (!r) return std::move(r).error();
        QuestionDraft old{before->topic, before->text, before->options, before->correct,
                          before->source};
        return audit::Record(c, actor,
                             audit::Entry{contest_id, actions::kQuestionUpdate, "question",
                                          std::to_string(question_id), DraftJson(old).dump(),
                                          DraftJson(draft).dump()},
                             now);
      },
      [this, contest_id, done](const core::Status& st) {
        if (st) cache_.Invalidate(contest_id);
        done(st);
      });
}

void QuestionBankService::SetActive(const audit::Actor& actor, std::int64_t contest_id,
                                    std::int64_t question_id, bool active,
                                    std::function<void(core::Status)> done) {
  const auto now = clock_.Now();
  db_.Write(
      [=](store::Connection& c) -> core::Status {
        auto r = c.Exec(
            "UPDATE questions SET active = $3, updated_at = $4 WHERE id = $1 AND contest_id = $2",
            {question_id, contest_id, active, core::ToEpochMs(now)});
        if (!r) return std::move(r).error();
        if (*r == 0) return QuestionNotFound();
        return audit::Record(
            c, actor,
            audit::Entry{contest_id,
                         active ? actions::kQuestionActivate : actions::kQuestionDeactivate,
                         "question", std::to_string(question_id), std::nullopt, std::nullopt},
            now);
      },
      [this, contest_id, done](const core::Status& st) {
        if (st) cache_.Invalidate(contest_id);
        done(st);
      });
}

void QuestionBankService::Import(
    const audit::Actor& actor, std::int64_t contest_id, std::string_view file, bool dry_run,
    bool skip_invalid, std::function<void(core::Status, spreadsheet::ImportReport)> done) {
  spreadsheet::ImportReport report;
  auto table = spreadsheet::ReadTable(file);
  if (!table) return done(table.error(), report);
  std::vector<std::vector<std::string>> cells;
  std::vector<int> numbers;
  for (auto& row : *table) {
    cells.push_back(std::move(row.cells));
    numbers.push_back(row.number);
  }
  auto rows = ReadQuestionTable(cells, numbers);
  if (!rows) return done(rows.error(), report);
  std::vector<QuestionDraft> good;
  {
    auto lease = db_.Read();
    for (auto& row : *rows) {
      if (row.errors.empty()) {
        auto exists = QuestionExists(*lease, contest_id, row.draft.text);
        if (!exists) return done(exists.error(), report);
        if (*exists) row.errors.push_back("Câu hỏi này đã có trong ngân hàng câu hỏi.");
      }
      if (row.errors.empty()) {
        good.push_back(row.draft);
      } else {
        for (const auto& e : row.errors)
          report.rejected.emplace_back(row.row, e);
      }
    }
  }
  report.rows = static_cast<int>(rows->size());
  report.valid = static_cast<int>(good.size());
  if (dry_run) return done(core::Ok(), report);
  if (!report.rejected.empty() && !skip_invalid) {
    const auto bad = report.rows - report.valid;
    return done(core::MakeError(ErrorKind::kValidation, "invalid_rows",
                                "Tệp có " + std::to_string(bad) +
                                    " dòng lỗi; chưa nhập câu hỏi nào. Hãy sửa tệp, hoặc chọn bỏ "
                                    "qua các dòng lỗi.",
                                "file"),
                report);
  }
  const auto now = clock_.Now();
  db_.Write(
      [=](store::Connection& c) -> core::Status {
        for (const auto& d : good) {
          auto id = InsertQuestion(c, contest_id, d, now, actor.user_id);
          if (!id) return std::move(id).error();
        }
        return audit::Record(c, actor,
                             audit::Entry{contest_id, actions::kQuestionImport, "contest",
                                          std::to_string(contest_id), std::nullopt,
                                          json{{"imported", good.size()}}.dump()},
                             now);
      },
      [this, report, contest_id, done](const core::Status& st) mutable {
        if (st) {
          report.saved = report.valid;
          cache_.Invalidate(contest_id);
        }
        done(st, report);
      });
}

core::Result<spreadsheet::Sheet> QuestionBankService::Export(std::int64_t contest_id) {
  spreadsheet::Sheet sheet;
  sheet.name = "Ngan hang cau hoi";
  sheet.header = {"topic", "question"};
  std::size_t max_options = 4;
  std::vector<QuestionListItem> all;
  {
    auto lease = db_.Read();
    for (int page = 1;; ++page) {
      auto p = ListQuestions(
          *lease, QuestionQuery{contest_id, std::nullopt, "", "", std::nullopt, page, 500});
      if (!p) return std::move(p).error();
      for (auto& item : p->items) {
        max_options = std::max(max_options, item.current.options.size());
        all.push_back(std::move(item));
      }
      if (static_cast<std::int64_t>(page) * 500 >= p->total) break;
    }
  }
  for (std::size_t i = 0; i < max_options; ++i) {
    sheet.header.push_back("option_" + std::string(1, static_cast<char>('a' + i)));
  }
  sheet.header.insert(sheet.header.end(), {"correct", "source", "active"});
  sheet.widths = {16, 60};
  for (std::size_t i = 0; i < max_options; ++i)
    sheet.widths.push_back(30);
  sheet.widths.insert(sheet.widths.end(), {8, 40, 8});
  for (const auto& item : all) {
    std::vector<spreadsheet::Cell> row = {item.current.topic, item.current.text};
    for (std::size_t i = 0; i < max_options; ++i) {
      row.emplace_back(i < item.current.options.size() ? item.current.options[i] : std::string());
    }
    row.emplace_back(std::string(1, static_cast<char>('A' + item.current.correct)));
    row.emplace_back(item.current.source);
    row.emplace_back(std::string(item.active ? "1" : "0"));
    sheet.rows.push_back(std::move(row));
  }
  return sheet;
}

}  // namespace hoithi::quiz
