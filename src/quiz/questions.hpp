// The question bank of a contest: questions with 2–6 options and exactly one key, kept in
// versions (an edit adds one; attempts record the version they showed). Parsing and checking of
// imported rows lives here too, so a CSV/.xlsx import and a form share the same rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::quiz {

inline constexpr int kMinOptions = 2;
inline constexpr int kMaxOptions = 6;

struct QuestionDraft {
  std::string topic;  // [a-z0-9-]
  std::string text;
  std::vector<std::string> options;  // in authoring order; the letter of options[i] is 'A' + i
  int correct = 0;                   // index into options
  std::string source;
};

/// The problems of one draft (each a Vietnamese sentence), empty when it is fine. Texts are
/// expected already cleaned (CleanDraft).
std::vector<std::string> CheckDraft(const QuestionDraft& draft);

/// Trims and NFC-normalises every text of the draft.
QuestionDraft CleanDraft(QuestionDraft draft);

/// The key that detects the same question typed twice (case, diacritics and spacing ignored).
std::string QuestionKey(std::string_view text);

struct ImportRow {
  int row = 0;  // spreadsheet row number (the header is row 1)
  QuestionDraft draft;
  std::vector<std::string> errors;
};

/// Reads rows with the columns of demo/questions.csv (topic, question, option_a … option_f,
/// correct, source) from a table whose first row is the header. Checks each row, including
/// duplicates within the file. A header without the required columns is an error.
core::Result<std::vector<ImportRow>> ReadQuestionTable(
    const std::vector<std::vector<std::string>>& table, const std::vector<int>& row_numbers);

/// ReadQuestionTable over CSV text.
core::Result<std::vector<ImportRow>> ReadQuestionCsv(std::string_view csv);

/// Adds a question (version 1). A question already in the bank is kConflict "duplicate_question".
core::Result<std::int64_t> InsertQuestion(store::Connection& conn, std::int64_t contest_id,
                                          const QuestionDraft& draft, core::TimePoint now,
                                          std::optional<std::int64_t> author);

/// Whether the bank already holds a question with this text.
core::Result<bool> QuestionExists(store::Connection& conn, std::int64_t contest_id,
                                  std::string_view text);

core::Result<std::int64_t> CountQuestions(store::Connection& conn, std::int64_t contest_id);

}  // namespace hoithi::quiz
