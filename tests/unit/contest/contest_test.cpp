// Contest phases and which contest the site shows.
#include "contest/contest.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "store/database.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace hoithi::contest {
namespace {

core::TimePoint At(int y, int m, int d, int h = 0) {
  return *core::LocalToUtc(y, m, d, h, 0, core::kDefaultTimeZone);
}

Contest Make(std::string slug, core::TimePoint opens, core::TimePoint closes) {
  Contest c;
  c.slug = std::move(slug);
  c.name = "Hội thi " + c.slug;
  c.schedule.opens_at = opens;
  c.schedule.closes_at = closes;
  return c;
}

TEST(Contest, PhaseFollowsTheWindow) {
  const auto c = Make("a", At(2021, 9, 15, 7), At(2021, 10, 16));
  EXPECT_EQ(PhaseAt(c, At(2021, 9, 15, 6)), Phase::kNotOpen);
  EXPECT_EQ(PhaseAt(c, At(2021, 9, 15, 7)), Phase::kOpen);
  EXPECT_EQ(PhaseAt(c, At(2021, 10, 16)), Phase::kClosed);
  EXPECT_EQ(PhaseLabel(Phase::kOpen), "đang diễn ra");
}

TEST(Contest, ValidationNamesTheField) {
  auto c = Make("Bad Slug", At(2021, 1, 1), At(2021, 2, 1));
  EXPECT_EQ(Validate(c).error().field, "slug");
  c = Make("ok", At(2021, 2, 1), At(2021, 1, 1));
  EXPECT_EQ(Validate(c).error().field, "closes_at");
  c = Make("ok", At(2021, 1, 1), At(2021, 2, 1));
  c.time_zone = "Asia/Nowhere";
  EXPECT_EQ(Validate(c).error().field, "time_zone");
}

TEST(Contest, TheSiteShowsTheOpenContestElseTheNextElseTheLast) {
  testing::TempDir dir;
  auto db = *store::Database::Open({testing::DatabaseUrlFor(dir.str(), "c.db"), 1, 1000, 100, 100},
                                   nullptr);
  ASSERT_TRUE(db->Migrate().ok());
  const auto now = At(2022, 6, 1);
  ASSERT_TRUE(db->WriteAndWait([&](store::Connection& c) -> core::Status {
    for (const auto& x : {Make("y2021", At(2021, 9, 15), At(2021, 10, 16)),
                          Make("y2023", At(2023, 1, 1), At(2023, 2, 1))}) {
      auto id = SaveContest(c, x, now);
      if (!id) return std::move(id).error();
    }
    return core::Ok();
  }));
  auto lease = db->Read();
  EXPECT_EQ((*CurrentContest(*lease, now))->slug, "y2023");              // the next to open
  EXPECT_EQ((*CurrentContest(*lease, At(2024, 1, 1)))->slug, "y2023");   // the last to close
  EXPECT_EQ((*CurrentContest(*lease, At(2021, 10, 1)))->slug, "y2021");  // the open one
}

TEST(Contest, SavingTwiceUpdatesTheSameRow) {
  testing::TempDir dir;
  auto db = *store::Database::Open({testing::DatabaseUrlFor(dir.str(), "c.db"), 1, 1000, 100, 100},
                                   nullptr);
  ASSERT_TRUE(db->Migrate().ok());
  std::int64_t first = 0, second = 0;
  ASSERT_TRUE(db->WriteAndWait([&](store::Connection& c) -> core::Status {
    auto x = Make("same", At(2021, 1, 1), At(2021, 2, 1));
    first = *SaveContest(c, x, At(2021, 1, 1));
    x.name = "Tên mới";
    second = *SaveContest(c, x, At(2021, 1, 2));
    return core::Ok();
  }));
  EXPECT_EQ(first, second);
  auto lease = db->Read();
  EXPECT_EQ((*FindContestBySlug(*lease, "same"))->name, "Tên mới");
}

}  // namespace
}  // namespace hoithi::contest
