// The worker (jobs/worker.hpp) on SQLite and PostgreSQL: it runs registered handlers and records
// their outcomes; several instances run every job once; a per-kind limit of slots keeps a long
// kind from starving a short one; an install-wide limit holds across instances; the heartbeat
// keeps a quiet job; cancel, stop (with and without a deadline), retries with backoff.
#include "jobs/worker.hpp"

#include <set>

#include "jobs_fixture.hpp"

namespace hoithi::jobs {
namespace {

using JobWorker = JobsTest;

/// Fast enough for tests; the database times come from the manual clock.
WorkerOptions Quick() {
  WorkerOptions o;
  o.poll = 10ms;
  o.heartbeat_every = 10ms;
  o.stale_after = kStale;
  return o;
}

TEST_F(JobWorker, RunTheRegisteredHandlerAndRecordItsResultAndProgress) {
  Worker worker(*db_, clock_, "w", Quick());
  worker.Register("echo", [](JobContext& context) -> core::Result<std::string> {
    context.progress(1, 2);
    context.progress(2, 2);
    return "đã xử lý " + context.job.payload;
  });
  const auto id = Insert("echo", "tệp.mp4");
  worker.Start();
  worker.Wake();
  ASSERT_TRUE(WaitFor([&] { return Find(id).status == Status::kDone; }));
  const auto job = Find(id);
  EXPECT_EQ(job.result, "đã xử lý tệp.mp4");
  EXPECT_EQ(job.progress_done, 2);
  EXPECT_EQ(job.progress_total, 2);
  EXPECT_EQ(job.claimed_by, "w/echo#0");
  EXPECT_EQ(job.attempts, 1);
}

TEST_F(JobWorker, RecordAFinalFailureWithTheHandlersMessageWithoutRetrying) {
  int calls = 0;
  KindOptions retrying;
  retrying.max_attempts = 3;
  Worker worker(*db_, clock_, "w", Quick());
  worker.Register(
      "transcode",
      [&](JobContext&) -> core::Result<std::string> {
        ++calls;
        return core::MakeError(core::ErrorKind::kValidation, "not_a_video",
                               "Tệp tải lên không phải là video.");
      },
      retrying);
  worker.Register(
      "crash", [](JobContext&) -> core::Result<std::string> { throw std::runtime_error("bug"); });
  const auto id = Insert("transcode");
  const auto crashed = Insert("crash");
  worker.Start();
  worker.Wake();
  ASSERT_TRUE(WaitFor([&] {
    return Find(id).status == Status::kFailed && Find(crashed).status == Status::kFailed;
  }));
  auto job = Find(id);
  EXPECT_EQ(job.error, "Tệp tải lên không phải là video.");
  EXPECT_EQ(job.attempts, 1);
  worker.Stop();
  EXPECT_EQ(calls, 1) << "bad input is not retried";
  EXPECT_EQ(Find(crashed).error, "Đã xảy ra lỗi hệ thống khi xử lý. Vui lòng thử lại.");
}

TEST_F(JobWorker, SeveralInstancesRunEveryJobExactlyOnce) {
  constexpr int kJobs = 30;
  std::mutex mu;
  std::multiset<std::int64_t> ran;
  const Handler handler = [&](JobContext& context) -> core::Result<std::string> {
    std::lock_guard lock(mu);
    ran.insert(context.job.id);
    return std::string("ok");
  };
  KindOptions two;
  two.slots = 2;
  std::set<std::int64_t> ids;
  for (int i = 0; i < kJobs; ++i)
    ids.insert(Insert("import"));
  {
    Worker a(*db_, clock_, "a", Quick());
    Worker b(*db_, clock_, "b", Quick());
    a.Register("import", handler, two);
    b.Register("import", handler, two);
    a.Start();
    b.Start();
    a.Wake();
    b.Wake();
    ASSERT_TRUE(WaitFor([&] {
      for (auto id : ids) {
        if (Find(id).status != Status::kDone) return false;
      }
      return true;
    }));
  }
  std::lock_guard lock(mu);
  EXPECT_EQ(ran.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(std::set<std::int64_t>(ran.begin(), ran.end()), ids);
}

TEST_F(JobWorker, StopLetsTheJobInHandFinishAndClaimsNothingMore) {
  Probe probe;
  bool asked_to_stop = true;
  Worker worker(*db_, clock_, "w", Quick());
  Probe::OpenAtExit open_at_exit{probe};
  worker.Register("import", [&](JobContext& context) -> core::Result<std::string> {
    probe.Enter();
    probe.AwaitOpen();
    asked_to_stop = context.stop_requested();
    probe.Leave();
    return std::string("xong");
  });
  const auto first = Insert("import");
  worker.Start();
  worker.Wake();
  ASSERT_TRUE(probe.WaitUntil([](const Probe& p) { return p.started() == 1; }));
  std::thread stopper([&] { worker.Stop(); });
  EXPECT_TRUE(WaitFor([&] { return worker.stopping(); }));
  const auto second = Insert("import");
  worker.Wake();
  probe.Open();
  stopper.join();
  const auto job = Find(first);
  EXPECT_EQ(job.status, Status::kDone) << "recorded before Stop returned";
  EXPECT_EQ(job.result, "xong");
  EXPECT_FALSE(asked_to_stop) << "Stop() without a deadline does not interrupt";
  EXPECT_EQ(Find(second).status, Status::kQueued);
  EXPECT_EQ(Find(second).runs, 0);
}

TEST_F(JobWorker, ALimitOfOneSlotRunsOneTranscodeAtATimeWhileRosterImportsRunBesideIt) {
  Probe transcodes;
  Worker worker(*db_, clock_, "w", Quick());
  Probe::OpenAtExit open_at_exit{transcodes};
  worker.Register("transcode", [&](JobContext&) -> core::Result<std::string> {
    transcodes.Enter();
    transcodes.AwaitOpen();
    transcodes.Leave();
    return std::string("video");
  });  // one slot: the default
  worker.Register("roster_import",
                  [](JobContext&) -> core::Result<std::string> { return std::string("accounts"); });
  std::vector<std::int64_t> videos, rosters;
  for (int i = 0; i < 3; ++i)
    videos.push_back(Insert("transcode"));
  for (int i = 0; i < 3; ++i)
    rosters.push_back(Insert("roster_import"));
  worker.Start();
  worker.Wake();
  ASSERT_TRUE(transcodes.WaitUntil([](const Probe& p) { return p.started() == 1; }));
  // The first transcode is held open: the imports queued after it all finish meanwhile.
  ASSERT_TRUE(WaitFor([&] {
    for (auto id : rosters) {
      if (Find(id).status != Status::kDone) return false;
    }
    return true;
  }));
  EXPECT_EQ(transcodes.Running(), 1);
  EXPECT_EQ(CountRunning("transcode"), 1);
  EXPECT_EQ(Find(videos[1]).status, Status::kQueued);
  EXPECT_EQ(Find(videos[2]).status, Status::kQueued);
  transcodes.Open();
  ASSERT_TRUE(WaitFor([&] {
    for (auto id : videos) {
      if (Find(id).status != Status::kDone) return false;
    }
    return true;
  }));
  EXPECT_EQ(transcodes.MaxRunning(), 1);
}

TEST_F(JobWorker, AnInstallWideLimitHoldsAcrossInstancesWithSpareSlots) {
  Probe probe;
  KindOptions options;
  options.slots = 2;
  options.install_limit = 1;
  const Handler handler = [&](JobContext&) -> core::Result<std::string> {
    probe.Enter();
    probe.AwaitOpen();
    probe.Leave();
    return std::string("video");
  };
  Worker a(*db_, clock_, "a", Quick());
  Worker b(*db_, clock_, "b", Quick());
  Probe::OpenAtExit open_at_exit{probe};
  a.Register("transcode", handler, options);
  b.Register("transcode", handler, options);
  std::vector<std::int64_t> videos;
  for (int i = 0; i < 3; ++i)
    videos.push_back(Insert("transcode"));
  a.Start();
  b.Start();
  for (int i = 1; i <= 3; ++i) {
    a.Wake();
    b.Wake();
    ASSERT_TRUE(probe.WaitUntil([&](const Probe& p) { return p.started() == i; }));
    // Hold the job open for two heartbeats (each at a later clock time), while the three idle
    // slots keep polling.
    for (int beat = 0; beat < 2; ++beat) {
      clock_.Advance(1s);
      const auto now = core::ToEpochMs(clock_.Now());
      ASSERT_TRUE(WaitFor([&] {
        for (auto id : videos) {
          if (HeartbeatAt(id) == now) return true;
        }
        return false;
      }));
    }
    EXPECT_EQ(CountRunning("transcode"), 1);
    EXPECT_EQ(probe.Running(), 1);
    probe.Open(1);
  }
  ASSERT_TRUE(WaitFor([&] {
    for (auto id : videos) {
      if (Find(id).status != Status::kDone) return false;
    }
    return true;
  }));
  EXPECT_EQ(probe.MaxRunning(), 1);
}

TEST_F(JobWorker, TheHeartbeatKeepsAQuietLongJobFromBeingTakenOver) {
  Probe probe;
  Worker worker(*db_, clock_, "a", Quick());
  Probe::OpenAtExit open_at_exit{probe};
  worker.Register("transcode", [&](JobContext&) -> core::Result<std::string> {
    probe.Enter();
    probe.AwaitOpen();  // like ffmpeg: minutes without a word of progress
    probe.Leave();
    return std::string("video");
  });
  const auto id = Insert("transcode");
  worker.Start();
  worker.Wake();
  ASSERT_TRUE(probe.WaitUntil([](const Probe& p) { return p.started() == 1; }));
  for (int i = 0; i < 4; ++i) {  // six minutes, three times the stale limit
    clock_.Advance(90s);
    const auto now = core::ToEpochMs(clock_.Now());
    ASSERT_TRUE(WaitFor([&] { return HeartbeatAt(id) == now; })) << "beat " << i;
    auto c = Claim({"transcode"}, "b");
    ASSERT_TRUE(c);
    EXPECT_FALSE(*c) << "taken over after " << (i + 1) * 90 << " s";
  }
  probe.Open();
  ASSERT_TRUE(WaitFor([&] { return Find(id).status == Status::kDone; }));
  EXPECT_EQ(Find(id).claimed_by, "a/transcode#0");
  EXPECT_EQ(Find(id).runs, 1);
}

TEST_F(JobWorker, ACancelledRunningJobStopsItsHandlerAndIsRecordedCancelled) {
  Probe probe;
  std::atomic<int> callbacks{0};
  StopReason seen = StopReason::kNone;
  KindOptions retrying;
  retrying.max_attempts = 5;
  Worker worker(*db_, clock_, "w", Quick());
  Probe::OpenAtExit open_at_exit{probe};
  worker.Register(
      "transcode",
      [&](JobContext& context) -> core::Result<std::string> {
        // What a subprocess runner does: kill the child the moment a stop is asked for.
        std::stop_callback kill(context.stop_token(), [&] { ++callbacks; });
        probe.Enter();
        const bool opened = probe.AwaitOpen(context.stop_token());
        seen = context.stop_reason();
        probe.Leave();
        if (!opened) return Transient("killed", "Tiến trình xử lý video đã bị dừng.");
        return std::string("video");
      },
      retrying);
  const auto id = Insert("transcode");
  worker.Start();
  worker.Wake();
  ASSERT_TRUE(probe.WaitUntil([](const Probe& p) { return p.started() == 1; }));
  clock_.Advance(1s);
  const auto now = clock_.Now();
  auto r = Do<Status>([&](store::Connection& c) { return RequestCancel(c, id, now); });
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, Status::kRunning);
  ASSERT_TRUE(WaitFor([&] { return Find(id).status == Status::kCancelled; }));
  worker.Stop();
  EXPECT_EQ(seen, StopReason::kCancel);
  EXPECT_EQ(callbacks.load(), 1);
  const auto job = Find(id);
  EXPECT_EQ(job.attempts, 0) << "a cancelled run is not retried";
  EXPECT_TRUE(job.finished_at);
  EXPECT_EQ(probe.Started(), 1);
}

TEST_F(JobWorker, AJobAskedToCancelWhoseHolderDiedIsCancelledWithoutRunningIt) {
  const auto id = Insert("transcode");
  ASSERT_TRUE(Claim({"transcode"}, "dead"));
  const auto at = clock_.Now();
  ASSERT_TRUE(Do<Status>([&](store::Connection& c) { return RequestCancel(c, id, at); }));
  clock_.Advance(kStale + 1ms);
  Probe probe;
  Worker worker(*db_, clock_, "w", Quick());
  worker.Register("transcode", [&](JobContext&) -> core::Result<std::string> {
    probe.Enter();
    probe.Leave();
    return std::string("video");
  });
  worker.Start();
  worker.Wake();
  ASSERT_TRUE(WaitFor([&] { return Find(id).status == Status::kCancelled; }));
  worker.Stop();
  EXPECT_EQ(probe.Started(), 0);
  EXPECT_EQ(Find(id).claimed_by, "w/transcode#0");
}

TEST_F(JobWorker, StopWithADeadlineReleasesTheJobOfAHandlerThatStops) {
  Probe probe;
  StopReason seen = StopReason::kNone;
  const auto id = Insert("transcode");
  {
    Worker worker(*db_, clock_, "a", Quick());
    Probe::OpenAtExit open_at_exit{probe};
    worker.Register("transcode", [&](JobContext& context) -> core::Result<std::string> {
      probe.Enter();
      const bool opened = probe.AwaitOpen(context.stop_token());
      seen = context.stop_reason();
      probe.Leave();
      if (!opened) return core::MakeError(core::ErrorKind::kUnavailable, "stopped", "Đã dừng.");
      return std::string("video");
    });
    worker.Start();
    worker.Wake();
    ASSERT_TRUE(probe.WaitUntil([](const Probe& p) { return p.started() == 1; }));
    EXPECT_TRUE(worker.Stop(std::chrono::steady_clock::now() + 60s));
  }
  EXPECT_EQ(seen, StopReason::kShutdown);
  auto job = Find(id);
  EXPECT_EQ(job.status, Status::kQueued) << "neither failed nor waiting for the stale limit";
  EXPECT_EQ(job.attempts, 0);
  EXPECT_EQ(job.error, "");
  auto c = Claim({"transcode"}, "b");  // at once: no clock advance
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->id, id);
  EXPECT_EQ((*c)->runs, 2);
}

TEST_F(JobWorker, StopWithADeadlineReleasesTheJobOfAHandlerThatIgnoresItAndRefusesItsOutcome) {
  Probe probe;
  const auto id = Insert("transcode");
  {
    Worker worker(*db_, clock_, "a", Quick());
    Probe::OpenAtExit open_at_exit{probe};
    worker.Register("transcode", [&](JobContext&) -> core::Result<std::string> {
      probe.Enter();
      probe.AwaitOpen();  // deaf to stop requests
      probe.Leave();
      return std::string("late video");
    });
    worker.Start();
    worker.Wake();
    ASSERT_TRUE(probe.WaitUntil([](const Probe& p) { return p.started() == 1; }));
    EXPECT_FALSE(worker.Stop(std::chrono::steady_clock::now() + 50ms));
    EXPECT_EQ(Find(id).status, Status::kQueued);
    auto c = Claim({"transcode"}, "b");
    ASSERT_TRUE(c && *c) << "claimable at once by another instance";
    probe.Open();
  }  // the destructor waits for the late handler
  EXPECT_EQ(probe.Started(), 1);
  const auto job = Find(id);
  EXPECT_EQ(job.status, Status::kRunning);
  EXPECT_EQ(job.claimed_by, "b");
  EXPECT_EQ(job.result, "") << "the abandoned run's outcome is not recorded";
}

TEST_F(JobWorker, ATransientFailureIsRetriedWithExponentialBackoffThenFails) {
  std::atomic<int> calls{0};
  KindOptions options;
  options.max_attempts = 3;
  options.backoff = 10s;
  Worker worker(*db_, clock_, "w", Quick());
  worker.Register(
      "transcode",
      [&](JobContext&) -> core::Result<std::string> {
        ++calls;
        return Transient("database_unavailable", "Cơ sở dữ liệu tạm thời không truy cập được.");
      },
      options);
  const auto id = Insert("transcode");
  const auto t0 = clock_.Now();
  worker.Start();
  worker.Wake();
  ASSERT_TRUE(WaitFor([&] { return Find(id).attempts == 1; }));
  auto job = Find(id);
  EXPECT_EQ(job.status, Status::kQueued);
  EXPECT_EQ(job.run_after, t0 + 10s);
  EXPECT_EQ(job.error, "Cơ sở dữ liệu tạm thời không truy cập được.");
  auto c = Claim({"transcode"}, "probe");
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c) << "waits for its backoff";

  clock_.Advance(10s);
  worker.Wake();
  ASSERT_TRUE(WaitFor([&] { return Find(id).attempts == 2; }));
  job = Find(id);
  EXPECT_EQ(job.status, Status::kQueued);
  EXPECT_EQ(job.run_after, t0 + 10s + 20s) << "the wait doubles";
  clock_.Advance(20s - 1ms);
  c = Claim({"transcode"}, "probe");
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);

  clock_.Advance(1ms);
  worker.Wake();
  ASSERT_TRUE(WaitFor([&] { return Find(id).status == Status::kFailed; }));
  job = Find(id);
  EXPECT_EQ(job.attempts, 3);
  EXPECT_EQ(job.error, "Cơ sở dữ liệu tạm thời không truy cập được.");
  worker.Stop();
  EXPECT_EQ(calls.load(), 3);
}

}  // namespace
}  // namespace hoithi::jobs
