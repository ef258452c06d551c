// Draft checks, the tabular import reader and the questions/question_versions tables.
#include "quiz/questions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/csv.hpp"
#include "core/text.hpp"

namespace hoithi::quiz {
namespace {

using core::ErrorKind;

bool IsSlug(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string Letter(int index) {
  return std::string(1, static_cast<char>('A' + index));
}

}  // namespace

QuestionDraft CleanDraft(QuestionDraft d) {
  auto clean = [](const std::string& s) { return core::IsValidUtf8(s) ? core::CleanText(s) : s; };
  d.topic = core::AsciiLower(clean(d.topic));
  d.text = clean(d.text);
  d.source = clean(d.source);
  for (auto& o : d.options)
    o = clean(o);
  return d;
}

std::string QuestionKey(std::string_view text) {
  return core::FoldForSearch(text);
}

std::vector<std::string> CheckDraft(const QuestionDraft& d) {
  std::vector<std::string> errors;
  auto valid_utf8 = core::IsValidUtf8(d.topic) && core::IsValidUtf8(d.text) &&
                    core::IsValidUtf8(d.source) &&
                    std::all_of(d.options.begin(), d.options.end(),
                                [](const std::string& o) { return core::IsValidUtf8(o); });
  if (!valid_utf8) {
    errors.push_back("Có ô chứa ký tự không hợp lệ (không phải UTF-8).");
    return errors;
  }
  if (!IsSlug(d.topic)) {
    errors.push_back("Chủ đề (topic) phải gồm chữ thường không dấu, chữ số và dấu gạch ngang.");
  }
  if (d.text.empty()) {
    errors.push_back("Thiếu nội dung câu hỏi.");
  } else if (core::CodePointCount(d.text) > 2000) {
    errors.push_back("Nội dung câu hỏi dài quá 2000 ký tự.");
  }
  const int count = static_cast<int>(d.options.size());
  if (count < kMinOptions) {
    errors.push_back(fmt::format("Câu hỏi cần ít nhất {} phương án trả lời.", kMinOptions));
  } else if (count > kMaxOptions) {
    errors.push_back(fmt::format("Câu hỏi có nhiều nhất {} phương án trả lời.", kMaxOptions));
  }
  std::set<std::string> seen;
  for (int i = 0; i < count; ++i) {
    if (d.options[static_cast<size_t>(i)].empty()) {
      errors.push_back(fmt::format("Thiếu nội dung phương án {}.", Letter(i)));
    } else if (core::CodePointCount(d.options[static_cast<size_t>(i)]) > 1000) {
      errors.push_back(fmt::format("Phương án {} dài quá 1000 ký tự.", Letter(i)));
    } else if (!seen.insert(core::FoldForSearch(d.options[static_cast<size_t>(i)])).second) {
      errors.push_back(fmt::format("Phương án {} trùng với một phương án khác.", Letter(i)));
    }
  }
  if (count >= kMinOptions && (d.correct < 0 || d.correct >= count)) {
    errors.push_back(fmt::format("Đáp án đúng phải là một trong các chữ A–{}.", Letter(count - 1)));
  }
  return errors;
}

core::Result<std::vector<ImportRow>> ReadQuestionTable(
    const std::vector<std::vector<std::string>>& table, const std::vector<int>& row_numbers) {
  if (table.empty()) {
    return core::MakeError(ErrorKind::kValidation, "empty_file", "Tệp không có dữ liệu.", "file");
  }
  const auto& header = table.front();
  auto column = [&](std::string_view name) -> int {
    for (size_t i = 0; i < header.size(); ++i) {
      if (core::AsciiLower(core::CleanText(header[i])) == name) return static_cast<int>(i);
    }
    return -1;
  };
  const int topic = column("topic"), question = column("question"), correct = column("correct"),
            source = column("source");
  std::vector<int> options;
  for (int i = 0; i < kMaxOptions; ++i) {
    const int c = column("option_" + std::string(1, static_cast<char>('a' + i)));
    if (c < 0) break;
    options.push_back(c);
  }
  if (topic < 0 || question < 0 || correct < 0 || options.size() < kMinOptions) {
    return core::MakeError(ErrorKind::kValidation, "bad_header",
                           "Dòng tiêu đề phải có các cột: topic, question, option_a, option_b "
                           "(đến option_f nếu cần), correct, source.",
                           "file");
  }

  std::vector<ImportRow> rows;
  std::set<std::string> keys;
  for (size_t r = 1; r < table.size(); ++r) {
    const auto& cells = table[r];
    auto cell = [&](int c) -> std::string {
      return c >= 0 && static_cast<size_t>(c) < cells.size() ? cells[static_cast<size_t>(c)]
                                                             : std::string();
    };
    ImportRow row;
    row.row = r < row_numbers.size() ? row_numbers[r] : static_cast<int>(r + 1);
    QuestionDraft d;
    d.topic = cell(topic);
    d.text = cell(question);
    d.source = cell(source);
    for (int c : options)
      d.options.push_back(cell(c));
    // Trailing empty option columns (a 2-option question in a 4-option sheet) are not options.
    while (d.options.size() > static_cast<size_t>(kMinOptions) && d.options.back().empty()) {
      d.options.pop_back();
    }
    const std::string letter = core::AsciiLower(core::CleanText(cell(correct)));
    d.correct = letter.size() == 1 && letter[0] >= 'a' && letter[0] <= 'z' ? letter[0] - 'a' : -1;
    row.draft = CleanDraft(std::move(d));
    row.errors = CheckDraft(row.draft);
    if (letter.size() != 1 && row.errors.empty()) {
      row.errors.push_back("Cột correct phải là một chữ cái (A, B, C …).");
    }
    if (row.errors.empty() && !keys.insert(QuestionKey(row.draft.text)).second) {
      row.errors.push_back("Câu hỏi trùng với một câu hỏi ở dòng trước trong tệp.");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

core::Result<std::vector<ImportRow>> ReadQuestionCsv(std::string_view csv) {
  auto records = core::ParseCsv(csv);
  if (!records) return std::move(records).error();
  std::vector<std::vector<std::string>> table;
  std::vector<int> row_numbers;
  for (auto& rec : *records) {
    table.push_back(std::move(rec.fields));
    row_numbers.push_back(rec.row);
  }
  return ReadQuestionTable(table, row_numbers);
}

core::Result<std::int64_t> InsertQuestion(store::Connection& conn, std::int64_t contest_id,
                                          const QuestionDraft& d, core::TimePoint now,
                                          std::optional<std::int64_t> author) {
  if (auto errors = CheckDraft(d); !errors.empty()) {
    return core::MakeError(ErrorKind::kValidation, "invalid_question", errors.front());
  }
  const auto at = core::ToEpochMs(now);
  auto id = store::QueryInt(
      conn,
      "INSERT INTO questions (contest_id, topic, current_version, active, text_key, created_at,"
      " updated_at) VALUES ($1, $2, 1, 1, $3, $4, $4) RETURNING id",
      {contest_id, d.topic, QuestionKey(d.text), at});
  if (!id) {
    if (store::IsDuplicate(id.error())) {
      return core::MakeError(ErrorKind::kConflict, "duplicate_question",
                             "Câu hỏi này đã có trong ngân hàng câu hỏi.", "question");
    }
    return std::move(id).error();
  }
  const std::string options = nlohmann::json(d.options).dump();
  HOITHI_TRY(conn.Exec(
      "INSERT INTO question_versions (question_id, version, text, options, correct, source,"
      " created_at, created_by) VALUES ($1, 1, $2, $3, $4, $5, $6, $7)",
      {**id, d.text, options, d.correct, d.source, at, author}));
  return **id;
}

core::Result<bool> QuestionExists(store::Connection& conn, std::int64_t contest_id,
                                  std::string_view text) {
  auto n = store::QueryInt(conn, "SELECT 1 FROM questions WHERE contest_id = $1 AND text_key = $2",
                           {contest_id, QuestionKey(text)});
  if (!n) return std::move(n).error();
  return n->has_value();
}

core::Result<std::int64_t> CountQuestions(store::Connection& conn, std::int64_t contest_id) {
  auto n =
      store::QueryInt(conn, "SELECT COUNT(*) FROM questions WHERE contest_id = $1", {contest_id});
  if (!n) return std::move(n).error();
  return n->value_or(0);
}

}  // namespace hoithi::quiz
