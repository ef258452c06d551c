// Local time and Vietnamese formats.
#include "core/time_format.hpp"

#include <gtest/gtest.h>

namespace hoithi::core {
namespace {

constexpr std::string_view kTz = "Asia/Ho_Chi_Minh";

TEST(TimeFormat, PlanScheduleConvertsToUtc) {
  const auto opens = LocalToUtc(2021, 9, 15, 7, 0, kTz);
  ASSERT_TRUE(opens);
  EXPECT_EQ(FormatRfc3339(*opens), "2021-09-15T00:00:00.000Z");
  const auto closes = LocalToUtc(2021, 10, 15, 24, 0, kTz);  // "24 giờ 00 ngày 15/10/2021"
  ASSERT_TRUE(closes);
  EXPECT_EQ(FormatRfc3339(*closes), "2021-10-15T17:00:00.000Z");
}

TEST(TimeFormat, DisplaysDayMonthYearAnd24HourTime) {
  const auto t = *LocalToUtc(2021, 9, 5, 14, 30, kTz);
  EXPECT_EQ(FormatDate(t, kTz), "05/09/2021");
  EXPECT_EQ(FormatDateTime(t, kTz), "14:30 05/09/2021");
}

TEST(TimeFormat, ClosingMidnightIsWrittenAs24OfThePreviousDay) {
  const auto t = *LocalToUtc(2021, 10, 15, 24, 0, kTz);
  EXPECT_EQ(FormatDateTime(t, kTz, true), "24:00 15/10/2021");
  EXPECT_EQ(FormatDateTime(t, kTz, false), "00:00 16/10/2021");
}

TEST(TimeFormat, RejectsImpossibleDates) {
  EXPECT_FALSE(LocalToUtc(2021, 2, 30, 0, 0, kTz));
  EXPECT_FALSE(LocalToUtc(2021, 1, 1, 24, 30, kTz));
  EXPECT_FALSE(LocalToUtc(2021, 1, 1, 0, 0, "Mars/Olympus"));
}

TEST(TimeFormat, Rfc3339RoundTripsAndHonoursOffsets) {
  const auto t = ParseRfc3339("2021-09-15T07:00:00+07:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatRfc3339(*t), "2021-09-15T00:00:00.000Z");
  const auto u = ParseRfc3339("2021-09-15T00:00:00.25Z");
  ASSERT_TRUE(u);
  EXPECT_EQ(FormatRfc3339(*u), "2021-09-15T00:00:00.250Z");
  for (const char* text : {"1969-12-31T23:59:59.999Z", "2024-02-29T23:05:09.007Z",
                           "2021-12-31T16:59:59.999Z", "0001-01-01T00:00:00.000Z"}) {
    const auto v = ParseRfc3339(text);
    ASSERT_TRUE(v) << text;
    EXPECT_EQ(FormatRfc3339(*v), text);
  }
  EXPECT_FALSE(ParseRfc3339("15/09/2021"));
  EXPECT_FALSE(ParseRfc3339("2021-13-01T00:00:00Z"));
}

TEST(TimeFormat, AmountsUseDotsAndDong) {
  EXPECT_EQ(FormatVnd(10000000), "10.000.000 đồng");
  EXPECT_EQ(FormatVnd(500000), "500.000 đồng");
  EXPECT_EQ(FormatVnd(0), "0 đồng");
  EXPECT_EQ(FormatThousands(1234567), "1.234.567");
}

}  // namespace
}  // namespace hoithi::core
