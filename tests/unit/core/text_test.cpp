// Vietnamese text helpers.
#include "core/text.hpp"

#include <gtest/gtest.h>

namespace hoithi::core {
namespace {

TEST(Text, NfcComposesDecomposedVietnamese) {
  // "ế" typed as e + combining circumflex + combining acute.
  const std::string decomposed =
      "Ke\xCC\x82\xCC\x81 Sa\xCC\x81"
      "ch";
  EXPECT_EQ(ToNfc(decomposed), "Kế Sách");
}

TEST(Text, FoldingIgnoresCaseDiacriticsAndDStroke) {
  EXPECT_EQ(FoldForSearch("Nguyễn Văn A"), "nguyen van a");
  EXPECT_EQ(FoldForSearch("UBND huyện Kế Sách"), "ubnd huyen ke sach");
  EXPECT_EQ(FoldForSearch("Đoàn Đại biểu"), "doan dai bieu");
  EXPECT_EQ(FoldForSearch("  Trần   Thị\tBích  "), "tran thi bich");
}

TEST(Text, CleanTextTrimsCollapsesAndDropsControls) {
  EXPECT_EQ(CleanText("  Lê \t Văn\x01  Tám \n"), "Lê Văn Tám");
}

TEST(Text, RejectsInvalidUtf8) {
  EXPECT_TRUE(IsValidUtf8("Sở Nội vụ"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("abc\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xE1\xBB"));  // truncated
}

TEST(Text, CountsCodePoints) {
  EXPECT_EQ(CodePointCount("Việt"), 4u);
}

}  // namespace
}  // namespace hoithi::core
