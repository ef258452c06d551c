// The current-contest cache read by many threads while a writer changes the contest and the
// change counters move (part of concurrency_test, which tsan.concurrency runs under
// ThreadSanitizer): every read is a whole contest, and the last change is seen once it is
// committed and the counters are read.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "contest/current_contest_cache.hpp"
#include "core/time_format.hpp"
#include "store/data_versions.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace hoithi::contest {
namespace {

TEST(Concurrency, TheCurrentContestCacheServesWholeContestsWhileTheContestChanges) {
  testing::TempDir dir;
  store::DatabaseOptions o;
  o.url = testing::DatabaseUrlFor(dir.str(), "cc.db");
  o.read_connections = 3;
  auto db = store::Database::Open(o, nullptr);
  ASSERT_TRUE(db.ok()) << db.error().detail;
  ASSERT_TRUE((*db)->Migrate().ok());
  core::SystemClock clock;
  const auto now = clock.Now();
  Contest c;
  c.slug = "dong-thoi";
  c.name = "Hội thi 0";
  c.schedule.opens_at = now - std::chrono::hours(1);
  c.schedule.closes_at = now + std::chrono::hours(24);
  ASSERT_TRUE((*db)->WriteAndWait([&](store::Connection& conn) -> core::Status {
    auto id = SaveContest(conn, c, now);
    if (!id) return std::move(id).error();
    return core::Ok();
  }));

  store::DataVersions versions(**db, std::chrono::milliseconds(2));
  versions.Start();
  CurrentContestCache cache(**db, versions, clock, std::chrono::milliseconds(5));
  constexpr int kChanges = 30;
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      while (!done.load()) {
        const auto got = cache.Get();
        if (!got || got->slug != "dong-thoi" || !got->name.starts_with("Hội thi "))
          torn.fetch_add(1);
        if (r == 0) cache.Invalidate();
      }
    });
  }
  for (int i = 1; i <= kChanges; ++i) {
    c.name = "Hội thi " + std::to_string(i);
    auto st = (*db)->WriteAndWait([&](store::Connection& conn) -> core::Status {
      auto id = SaveContest(conn, c, now);
      if (!id) return std::move(id).error();
      return core::Ok();
    });
    ASSERT_TRUE(st) << st.error().detail;
  }
  versions.Refresh();
  cache.Invalidate();
  const auto last = cache.Get();
  done = true;
  for (auto& t : readers)
    t.join();
  versions.Stop();
  EXPECT_EQ(torn.load(), 0);
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->name, "Hội thi " + std::to_string(kChanges));
}

}  // namespace
}  // namespace hoithi::contest
