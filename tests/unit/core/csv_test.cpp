// RFC 4180 reading.
#include "core/csv.hpp"

#include <gtest/gtest.h>

#include "core/assets.hpp"

namespace hoithi::core {
namespace {

TEST(Csv, ReadsQuotedFieldsWithCommasQuotesAndLineBreaks) {
  auto r = ParseCsv("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"1", "x, y", "say \"hi\""}));
  EXPECT_EQ((*r)[2].fields, (std::vector<std::string>{"2", "two\nlines", "z"}));
  EXPECT_EQ((*r)[2].row, 3);
}

TEST(Csv, AcceptsCrlfBomAndMissingFinalNewline) {
  auto r = ParseCsv("\xEF\xBB\xBFh1,h2\r\nv1,v2");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].fields[0], "h1");
  EXPECT_EQ((*r)[1].fields[1], "v2");
}

TEST(Csv, DetectsSemicolonSeparatorFromTheHeader) {
  auto r = ParseCsv("code;name\nso-noi-vu;Sở Nội vụ\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[1].fields[1], "Sở Nội vụ");
}

TEST(Csv, SkipsBlankLinesButCountsThemInRowNumbers) {
  auto r = ParseCsv("h\n\nx\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].row, 3);
}

TEST(Csv, UnterminatedQuoteIsAnErrorWithItsLine) {
  auto r = ParseCsv("h\n\"open\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "csv_malformed");
}

TEST(Csv, StrayQuoteIsAnError) {
  auto r = ParseCsv("h,i\nab\"c,d\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Dòng 2"), std::string::npos);
}

TEST(Csv, ReadsTheDemoQuestionBank) {
  auto text = FindAsset("demo/questions.csv");
  ASSERT_TRUE(text.has_value());
  auto r = ParseCsv(*text);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 61u);
  for (const auto& rec : *r)
    EXPECT_EQ(rec.fields.size(), 8u) << "row " << rec.row;
}

TEST(Csv, FieldQuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"x\""), "\"say \"\"x\"\"\"");
}

}  // namespace
}  // namespace hoithi::core
