// Contest phases, which contest the site shows, and concurrent changes of its settings.
#include "contest/contest.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "contest/current_contest_cache.hpp"
#include "contest/settings_service.hpp"
#include "core/time_format.hpp"
#include "store/data_versions.hpp"
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

TEST(Contest, SavingSettingsConcurrentlyKeepsEveryChange) {
  // Concurrent edits of the same contest's settings, of different keys, through every committer
  // (four on PostgreSQL, as several instances would be): each reads the settings as stored
  // under the contest's lock, so none drops another's change.
  testing::TempDir dir;
  store::DatabaseOptions options;
  options.url = testing::DatabaseUrlFor(dir.str(), "s.db");
  options.read_connections = 4;
  options.write_connections = 4;
  auto db = *store::Database::Open(options, nullptr);
  ASSERT_TRUE(db->Migrate().ok());
  const auto now = At(2021, 9, 1);
  std::int64_t contest_id = 0;
  ASSERT_TRUE(db->WriteAndWait([&](store::Connection& c) -> core::Status {
    auto id = SaveContest(c, Make("cai-dat", At(2021, 9, 15), At(2021, 10, 16)), now);
    if (!id) return std::move(id).error();
    contest_id = *id;
    return core::Ok();
  }));
  core::SystemClock clock;
  store::DataVersions versions(*db);
  CurrentContestCache current(*db, versions, clock);
  SettingsService settings(*db, current, clock);
  const audit::Actor actor = audit::Actor::Cli();

  constexpr int kFields = 24;
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  std::vector<std::string> failures;
  auto finished = [&](std::string failure) {
    std::lock_guard lock(mu);
    if (!failure.empty()) failures.push_back(std::move(failure));
    ++done;
    cv.notify_all();
  };
  for (int i = 0; i < kFields; ++i) {
    // Each edit adds its own registration field; every other one also sets a quiz key.
    RegistrationField field;
    field.key = "truong_" + std::to_string(i);
    field.label = "Trường " + std::to_string(i);
    settings.EditRegistrationFields(
        actor, contest_id,
        [field](const std::vector<RegistrationField>& stored) {
          auto next = stored;
          next.push_back(field);
          return core::Result<std::vector<RegistrationField>>(std::move(next));
        },
        [&](core::Result<std::vector<RegistrationField>> r) {
          finished(r ? "" : r.error().code + " " + r.error().detail);
        });
    if (i % 2 == 0) {
      settings.EditQuizRules(
          actor, contest_id,
          [i](const QuizRules& stored) {
            auto next = stored;
            if (i == 0) next.grace_s = 45;
            if (i == 2) next.time_limit_s = 900;
            if (i == 4) next.questions_per_attempt = 12;
            return core::Result<QuizRules>(std::move(next));
          },
          [&](core::Result<QuizRules> r) { finished(r ? "" : r.error().code); });
    }
  }
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(
        cv.wait_for(lock, std::chrono::seconds(60), [&] { return done == kFields + kFields / 2; }));
  }
  EXPECT_TRUE(failures.empty()) << failures.front();
  auto lease = db->Read();
  const auto stored = FindContestById(*lease, contest_id);
  ASSERT_TRUE(stored && *stored);
  const auto& s = *(*stored)->settings;
  EXPECT_EQ(s.registration_fields.size(), static_cast<std::size_t>(kFields)) << "an edit was lost";
  EXPECT_EQ(s.quiz.grace_s, 45);
  EXPECT_EQ(s.quiz.time_limit_s, 900);
  EXPECT_EQ(s.quiz.questions_per_attempt, 12);
  // Each change is audited with the section before and after.
  EXPECT_EQ(store::QueryInt(*lease, "SELECT COUNT(*) FROM audit_log WHERE action = $1",
                            {"contest.settings_update"})
                ->value_or(0),
            kFields);
}

}  // namespace
}  // namespace hoithi::contest
