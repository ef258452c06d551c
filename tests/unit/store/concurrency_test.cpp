// Shared state under many threads, for ThreadSanitizer (tsan.concurrency runs this binary built
// with -fsanitize=thread; make test also runs it under ASan): the change counters polled while
// writers bump them, the rate limiter and the work pool used from several threads at once. The
// committer's own tests (committer_test.cpp) are part of the same binary.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "core/rate_limiter.hpp"
#include "core/work_pool.hpp"
#include "store/data_versions.hpp"
#include "store/database.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace hoithi::store {
namespace {

using namespace std::chrono_literals;

TEST(Concurrency, ChangeCountersOnlyMoveForwardWhilePolledAndBumped) {
  testing::TempDir dir;
  DatabaseOptions o;
  o.url = testing::DatabaseUrlFor(dir.str(), "v.db");
  o.read_connections = 3;
  auto db = Database::Open(o, nullptr);
  ASSERT_TRUE(db.ok()) << db.error().detail;
  {
    auto migrated = (*db)->Migrate();
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }
  DataVersions versions(**db, 2ms);
  versions.Start();
  const auto base = versions.Current(Cached::kQuestions);

  constexpr int kWriters = 3, kBumps = 40;
  std::atomic<bool> done{false};
  std::atomic<int> backwards{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      std::int64_t last = 0;
      while (!done.load()) {
        const auto now = versions.Current(Cached::kQuestions);
        if (now < last) backwards.fetch_add(1);
        last = now;
        if (r == 0) versions.Refresh();
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&] {
      for (int i = 0; i < kBumps; ++i) {
        auto st = (*db)->WriteAndWait([](Connection& c) -> core::Status {
          auto n = c.Exec("UPDATE data_versions SET version = version + 1 WHERE name = $1",
                          {"questions"});
          if (!n) return std::move(n).error();
          return core::Ok();
        });
        EXPECT_TRUE(st) << st.error().detail;
      }
    });
  }
  for (auto& t : writers)
    t.join();
  versions.Refresh();
  done = true;
  for (auto& t : readers)
    t.join();
  versions.Stop();
  EXPECT_EQ(backwards.load(), 0);
  EXPECT_EQ(versions.Current(Cached::kQuestions), base + kWriters * kBumps);
}

TEST(Concurrency, TheRateLimiterCountsEveryTakeOnceAcrossThreads) {
  core::RateLimiter limiter(1 << 17);
  constexpr int kThreads = 4, kTakes = 5000;
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  const auto at = core::RateLimiter::Clock::now();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTakes; ++i) {
        if (limiter.Take("shared", {1000}, at) == 0) allowed.fetch_add(1);
        limiter.Take("spray:" + std::to_string(t) + ":" + std::to_string(i), {10}, at);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(allowed.load(), 1000);  // the burst, exactly, at one instant
  EXPECT_EQ(limiter.size(), 1u + kThreads * kTakes);
}

TEST(Concurrency, TheWorkPoolRunsEveryAcceptedTaskOnceAndStopDrainsTheQueue) {
  core::WorkPool pool("test", 3, 100000);
  std::atomic<int> ran{0};
  std::atomic<int> accepted{0};
  std::vector<std::thread> submitters;
  for (int s = 0; s < 3; ++s) {
    submitters.emplace_back([&] {
      for (int i = 0; i < 2000; ++i)
        if (pool.TrySubmit([&] { ran.fetch_add(1); })) accepted.fetch_add(1);
    });
  }
  for (auto& t : submitters)
    t.join();
  pool.Stop();
  EXPECT_EQ(ran.load(), accepted.load());
  EXPECT_EQ(accepted.load(), 6000);
}

/// Occupies a one-thread pool until `release` is set; returns once the task is running.
void HoldTheOnlyThread(core::WorkPool& pool, std::shared_future<void> release) {
  std::atomic<bool> holding{false};
  ASSERT_TRUE(pool.TrySubmit([release, &holding] {
    holding = true;
    release.wait();
  }));
  while (!holding)
    std::this_thread::sleep_for(1ms);
}

TEST(Concurrency, TheWorkPoolRefusesATaskThatWouldWaitLongerThanItsMaxWait) {
  core::WorkPool pool("test", 1, 1000, {std::chrono::milliseconds(200), 10});
  std::atomic<int> nice_seen{-100};
  ASSERT_TRUE(pool.TrySubmit([&] {
    std::this_thread::sleep_for(20ms);
    nice_seen = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  }));
  while (pool.mean_run_time().count() == 0)
    std::this_thread::sleep_for(1ms);
  const auto mean = pool.mean_run_time();
  EXPECT_GE(mean, 20ms);
  EXPECT_EQ(nice_seen.load(), 10) << "the workers yield to the network threads";

  // A task that holds the only thread; then the queue fills until the wait would pass 200 ms.
  std::promise<void> release;
  HoldTheOnlyThread(pool, release.get_future().share());
  std::atomic<int> ran{0};
  int accepted = 0;
  while (accepted < 1000 && pool.TrySubmit([&] { ran.fetch_add(1); }))
    ++accepted;
  // The k-th queued task waits for k tasks of the mean run time (the held one included).
  EXPECT_LE(accepted * mean, 200ms);
  EXPECT_GT((accepted + 1) * mean, 200ms);
  EXPECT_LT(accepted, 1000) << "the queue length was the only bound";
  release.set_value();
  pool.Stop();
  EXPECT_EQ(ran.load(), accepted);
}

TEST(Concurrency, AWorkPoolTaskWhoseTurnComesAfterItsMaxWaitRunsItsExpiredInstead) {
  core::WorkPool pool("test", 1, 1000, {std::chrono::milliseconds(50), 0});
  std::promise<void> release;
  HoldTheOnlyThread(pool, release.get_future().share());
  std::atomic<int> ran{0}, expired{0}, plain{0};
  ASSERT_TRUE(pool.TrySubmit([&] { ran.fetch_add(1); }, [&] { expired.fetch_add(1); }));
  ASSERT_TRUE(pool.TrySubmit([&] { plain.fetch_add(1); }));  // no expiry: it always runs
  std::this_thread::sleep_for(120ms);
  release.set_value();
  pool.Stop();
  EXPECT_EQ(ran.load(), 0);
  EXPECT_EQ(expired.load(), 1);
  EXPECT_EQ(plain.load(), 1);
}

}  // namespace
}  // namespace hoithi::store
