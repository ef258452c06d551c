// Reading and checking question-bank imports.
#include "quiz/questions.hpp"

#include <gtest/gtest.h>

#include "core/assets.hpp"

namespace hoithi::quiz {
namespace {

constexpr std::string_view kHeader =
    "topic,question,option_a,option_b,option_c,option_d,correct,source\n";

TEST(QuestionImport, TheDemoBankIsClean) {
  auto rows = ReadQuestionCsv(*core::FindAsset("demo/questions.csv"));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 60u);
  for (const auto& r : *rows)
    EXPECT_TRUE(r.errors.empty()) << "row " << r.row;
  EXPECT_EQ((*rows)[0].row, 2);
  EXPECT_EQ((*rows)[0].draft.correct, 1);  // B
  EXPECT_EQ((*rows)[0].draft.options.size(), 4u);
}

TEST(QuestionImport, EveryBadRowIsReportedWithItsRowNumberAndReason) {
  std::string csv(kHeader);
  csv += "mot-cua,,A,B,C,D,A,src\n";                // row 2: no text
  csv += "mot-cua,Câu hỏi hai?,A,,C,D,A,src\n";     // row 3: option B missing
  csv += "mot-cua,Câu hỏi ba?,A,B,C,D,E,src\n";     // row 4: key out of range
  csv += "mot-cua,Câu hỏi bốn?,Có,có,C,D,A,src\n";  // row 5: duplicate option
  csv += "mot-cua,Câu hỏi năm?,A,B,C,D,B,src\n";    // row 6: fine
  csv += "mot-cua,CÂU HỎI NĂM?,A,B,C,D,B,src\n";    // row 7: same question again
  csv += "Một Cửa,Câu hỏi sáu?,A,B,C,D,A,src\n";    // row 8: topic not a slug
  auto rows = ReadQuestionCsv(csv);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 7u);
  auto first_error = [&](size_t i) {
    return (*rows)[i].errors.empty() ? std::string() : (*rows)[i].errors.front();
  };
  EXPECT_EQ((*rows)[0].row, 2);
  EXPECT_NE(first_error(0).find("Thiếu nội dung câu hỏi"), std::string::npos);
  EXPECT_NE(first_error(1).find("phương án B"), std::string::npos);
  EXPECT_NE(first_error(2).find("A–D"), std::string::npos);
  EXPECT_NE(first_error(3).find("trùng"), std::string::npos);
  EXPECT_TRUE((*rows)[4].errors.empty());
  EXPECT_NE(first_error(5).find("dòng trước"), std::string::npos);
  EXPECT_NE(first_error(6).find("Chủ đề"), std::string::npos);
}

TEST(QuestionImport, TwoOptionQuestionsInAFourColumnSheetAreFine) {
  std::string csv(kHeader);
  csv += "mot-cua,Đúng hay sai?,Đúng,Sai,,,A,src\n";
  auto rows = ReadQuestionCsv(csv);
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE((*rows)[0].errors.empty());
  EXPECT_EQ((*rows)[0].draft.options.size(), 2u);
}

TEST(QuestionImport, AHeaderWithoutTheColumnsIsRefused) {
  auto rows = ReadQuestionCsv("a,b,c\n1,2,3\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().code, "bad_header");
}

TEST(QuestionImport, TextsAreTrimmedAndNormalised) {
  std::string csv(kHeader);
  csv += "mot-cua,\"  Câu   hỏi \",\" A \",B,C,D,a,src\n";
  auto rows = ReadQuestionCsv(csv);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].draft.text, "Câu hỏi");
  EXPECT_EQ((*rows)[0].draft.options[0], "A");
  EXPECT_EQ((*rows)[0].draft.correct, 0);
}

}  // namespace
}  // namespace hoithi::quiz
