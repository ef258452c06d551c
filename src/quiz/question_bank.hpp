// The secretariat's work on the question bank: list with topic filter, search and paging; create;
// edit (a new version, so past attempts keep grading by the one they showed); deactivate and
// reactivate; import from .xlsx or CSV with a dry run first; export. Every change is audited.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "quiz/question_cache.hpp"
#include "quiz/questions.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "store/database.hpp"

namespace hoithi::quiz {

struct QuestionQuery {
  std::int64_t contest_id = 0;
  std::optional<std::int64_t> id;  // one question
  std::string topic;               // empty: every topic
  std::string q;                   // words of the question, case and diacritics ignored
  std::optional<bool> active;
  int page = 1;
  int per_page = 50;
};

struct QuestionListItem {
  QuestionVersion current;
  bool active = true;
};

struct QuestionPage {
  std::vector<QuestionListItem> items;
  std::int64_t total = 0;
  int page = 1;
  int per_page = 50;
};

core::Result<QuestionPage> ListQuestions(store::Connection& conn, const QuestionQuery& query);

/// The topics in use, with how many active questions each has.
core::Result<std::vector<std::pair<std::string, std::int64_t>>> Topics(store::Connection& conn,
                                                                       std::int64_t contest_id);

class QuestionBankService {
 public:
  QuestionBankService(store::Database& db, QuestionCache& cache, const core::Clock& clock);

  void Create(const audit::Actor& actor, std::int64_t contest_id, QuestionDraft draft,
              std::function<void(core::Result<std::int64_t>)> done);

  /// Saves `draft` as the question's next version.
  void Edit(const audit::Actor& actor, std::int64_t contest_id, std::int64_t question_id,
            QuestionDraft draft, std::function<void(core::Status)> done);

  void SetActive(const audit::Actor& actor, std::int64_t contest_id, std::int64_t question_id,
                 bool active, std::function<void(core::Status)> done);

  /// Reads and checks the file (also against the bank: a question already there is a bad row).
  /// With bad rows and without `skip_invalid`: kValidation "invalid_rows", nothing imported.
  void Import(const audit::Actor& actor, std::int64_t contest_id, std::string_view file,
              bool dry_run, bool skip_invalid,
              std::function<void(core::Status, spreadsheet::ImportReport)> done);

  /// The bank as a sheet with the import's columns (plus "active").
  core::Result<spreadsheet::Sheet> Export(std::int64_t contest_id);

 private:
  store::Database& db_;
  QuestionCache& cache_;
  const core::Clock& clock_;
};

}  // namespace hoithi::quiz
