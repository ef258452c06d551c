// The jobs table's transitions (jobs/queue.hpp) on SQLite and PostgreSQL: claims (one holder per
// job, also under concurrent claimants and an install-wide limit), drafts, takeover of a job whose
// holder stopped heartbeating and refusal of that holder, cancellation, retries and releases.
#include "jobs/queue.hpp"

#include <latch>
#include <set>

#include "jobs_fixture.hpp"

namespace hoithi::jobs {
namespace {

using JobQueue = JobsTest;

TEST_F(JobQueue, AQueuedJobIsClaimedOnceThenRecordsProgressAndItsResult) {
  const auto id = Insert("roster_import", R"({"rows":10})");
  auto job = Find(id);
  EXPECT_EQ(job.status, Status::kQueued);
  EXPECT_EQ(job.payload, R"({"rows":10})");
  EXPECT_EQ(job.runs, 0);
  EXPECT_EQ(job.attempts, 0);

  auto claimed = Claim({"roster_import"}, "a");
  ASSERT_TRUE(claimed) << claimed.error().detail;
  ASSERT_TRUE(*claimed);
  EXPECT_EQ((*claimed)->id, id);
  EXPECT_EQ((*claimed)->status, Status::kRunning);
  EXPECT_EQ((*claimed)->claimed_by, "a");
  EXPECT_EQ((*claimed)->runs, 1);
  auto again = Claim({"roster_import"}, "b");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again) << "a running job with a fresh heartbeat is nobody else's";

  clock_.Advance(5s);
  const auto at = clock_.Now();
  ASSERT_TRUE(
      DoStatus([&](store::Connection& c) { return ReportProgress(c, id, "a", 3, 10, at); }));
  job = Find(id);
  EXPECT_EQ(job.progress_done, 3);
  EXPECT_EQ(job.progress_total, 10);
  EXPECT_EQ(HeartbeatAt(id), core::ToEpochMs(at));

  ASSERT_TRUE(DoStatus([&](store::Connection& c) {
    return FinishJob(c, id, "a", true, R"({"created":10})", "", at);
  }));
  job = Find(id);
  EXPECT_EQ(job.status, Status::kDone);
  EXPECT_EQ(job.result, R"({"created":10})");
  EXPECT_EQ(job.error, "");
  EXPECT_EQ(job.finished_at, at);
  EXPECT_EQ(job.attempts, 1);

  auto twice =
      DoStatus([&](store::Connection& c) { return FinishJob(c, id, "a", true, "{}", "", at); });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "lost_claim");
  EXPECT_EQ(Find(id).result, R"({"created":10})");
}

TEST_F(JobQueue, AFailedJobKeepsTheHandlersMessage) {
  const auto id = Insert("transcode");
  ASSERT_TRUE(Claim({"transcode"}, "a"));
  const auto now = clock_.Now();
  ASSERT_TRUE(DoStatus([&](store::Connection& c) {
    return FinishJob(c, id, "a", false, "", "Tệp tải lên không phải là video.", now);
  }));
  const auto job = Find(id);
  EXPECT_EQ(job.status, Status::kFailed);
  EXPECT_EQ(job.error, "Tệp tải lên không phải là video.");
  EXPECT_EQ(job.result, "");
  EXPECT_EQ(job.attempts, 1);
}

TEST_F(JobQueue, AClaimTakesTheOldestJobOfTheGivenKindsOnly) {
  const auto t1 = Insert("transcode");
  const auto r1 = Insert("roster_import");
  const auto r2 = Insert("roster_import");
  auto c = Claim({"roster_import"}, "a");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->id, r1);
  c = Claim({"roster_import", "transcode"}, "b");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->id, t1);
  c = Claim({"certificate"}, "c");
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);
  c = Claim({}, "c");
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);
  EXPECT_EQ(Find(r2).status, Status::kQueued);
}

TEST_F(JobQueue, ADraftIsNotClaimedUntilStartedAndStartsOrCancelsOnce) {
  const auto id = Insert("roster_import", "preview", /*draft=*/true);
  EXPECT_EQ(Find(id).status, Status::kDraft);
  auto c = Claim({"roster_import"}, "a");
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c) << "a draft waits for the person";

  const auto now = clock_.Now();
  ASSERT_TRUE(DoStatus([&](store::Connection& c) { return StartDraft(c, id, "full", 5, now); }));
  auto job = Find(id);
  EXPECT_EQ(job.status, Status::kQueued);
  EXPECT_EQ(job.payload, "full");
  EXPECT_EQ(job.progress_total, 5);
  auto st = DoStatus([&](store::Connection& c) { return StartDraft(c, id, "other", 1, now); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, core::ErrorKind::kConflict);
  EXPECT_EQ(st.error().code, "not_draft");
  st = DoStatus([&](store::Connection& c) { return CancelDraft(c, id, now); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "not_draft");
  EXPECT_EQ(Find(id).payload, "full");

  const auto dropped = Insert("roster_import", R"({"rows":[{"phone":"0912345678"}]})", true);
  ASSERT_TRUE(DoStatus([&](store::Connection& c) { return CancelDraft(c, dropped, now); }));
  job = Find(dropped);
  EXPECT_EQ(job.status, Status::kCancelled);
  EXPECT_EQ(job.payload, "{}") << "the personal data of a dropped draft goes";
  EXPECT_EQ(job.finished_at, now);
  st = DoStatus([&](store::Connection& c) { return StartDraft(c, dropped, "x", 1, now); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "not_draft");
  st = DoStatus([&](store::Connection& c) { return CancelDraft(c, dropped, now); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "not_draft");
}

TEST_F(JobQueue, ConcurrentClaimantsNeverShareAJob) {
  constexpr int kJobs = 40;
  constexpr int kClaimants = 4;
  std::set<std::int64_t> inserted;
  for (int i = 0; i < kJobs; ++i)
    inserted.insert(Insert("roster_import"));
  std::vector<std::vector<std::int64_t>> got(kClaimants);
  std::vector<std::string> errors(kClaimants);
  std::latch start(kClaimants);
  std::vector<std::thread> threads;
  for (int t = 0; t < kClaimants; ++t) {
    threads.emplace_back([&, t] {
      const std::string me = "w" + std::to_string(t);
      start.arrive_and_wait();
      for (;;) {
        auto c = Claim({"roster_import"}, me);
        if (!c) {
          errors[t] = c.error().code + " " + c.error().detail;
          return;
        }
        if (!*c) return;  // nothing left that nobody holds
        got[t].push_back((*c)->id);
      }
    });
  }
  for (auto& th : threads)
    th.join();
  std::multiset<std::int64_t> all;
  for (int t = 0; t < kClaimants; ++t) {
    EXPECT_EQ(errors[t], "") << "claimant " << t;
    for (auto id : got[t]) {
      all.insert(id);
      const auto job = Find(id);
      EXPECT_EQ(job.claimed_by, "w" + std::to_string(t)) << "job " << id;
      EXPECT_EQ(job.runs, 1) << "job " << id;
    }
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(std::set<std::int64_t>(all.begin(), all.end()), inserted)
      << "every job claimed, none twice";
}

TEST_F(JobQueue, AJobWhoseHolderStoppedHeartbeatingIsTakenOverAndTheOldHolderIsRefused) {
  const auto id = Insert("transcode");
  ASSERT_TRUE(Claim({"transcode"}, "dead"));  // ... and never heard of again

  clock_.Advance(kStale);  // the heartbeat is exactly as old as the limit: not yet stale
  auto c = Claim({"transcode"}, "alive");
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);
  clock_.Advance(1ms);
  c = Claim({"transcode"}, "alive");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->id, id);
  EXPECT_EQ((*c)->claimed_by, "alive");
  EXPECT_EQ((*c)->runs, 2);

  const auto now = clock_.Now();
  auto st =
      DoStatus([&](store::Connection& c) { return ReportProgress(c, id, "dead", 9, 10, now); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "lost_claim");
  st = DoStatus([&](store::Connection& c) { return FinishJob(c, id, "dead", true, "r", "", now); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "lost_claim");
  auto beat = Do<bool>([&](store::Connection& c) { return Heartbeat(c, id, "dead", now); });
  ASSERT_FALSE(beat);
  EXPECT_EQ(beat.error().code, "lost_claim");
  st = DoStatus([&](store::Connection& c) { return CheckClaim(c, id, "dead"); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "lost_claim");
  EXPECT_TRUE(DoStatus([&](store::Connection& c) { return CheckClaim(c, id, "alive"); }));
  auto job = Find(id);
  EXPECT_EQ(job.progress_done, 0);
  EXPECT_EQ(job.status, Status::kRunning);

  ASSERT_TRUE(DoStatus(
      [&](store::Connection& c) { return FinishJob(c, id, "alive", true, "r", "", now); }));
  job = Find(id);
  EXPECT_EQ(job.status, Status::kDone);
  EXPECT_EQ(job.claimed_by, "alive");
  EXPECT_EQ(job.attempts, 1) << "the dead holder's run reached no outcome";
}

TEST_F(JobQueue, AHeartbeatWithoutProgressKeepsTheClaim) {
  const auto id = Insert("transcode");
  ASSERT_TRUE(Claim({"transcode"}, "a"));
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(90s);
    const auto now = clock_.Now();
    auto beat = Do<bool>([&](store::Connection& c) { return Heartbeat(c, id, "a", now); });
    ASSERT_TRUE(beat) << beat.error().code;
    EXPECT_FALSE(*beat) << "no cancel requested";
    auto c = Claim({"transcode"}, "b");
    ASSERT_TRUE(c);
    EXPECT_FALSE(*c) << "after " << (i + 1) * 90 << " s of silence but heartbeats";
  }
  clock_.Advance(kStale + 1ms);
  auto c = Claim({"transcode"}, "b");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->id, id);
}

TEST_F(JobQueue, ADraftOrQueuedJobIsCancelledAtOnce) {
  const auto queued = Insert("transcode", R"({"file":"a.mp4"})");
  const auto draft = Insert("roster_import", "preview", true);
  clock_.Advance(1s);
  const auto now = clock_.Now();
  for (auto id : {queued, draft}) {
    auto r = Do<Status>([&](store::Connection& c) { return RequestCancel(c, id, now); });
    ASSERT_TRUE(r) << r.error().code;
    EXPECT_EQ(*r, Status::kCancelled);
    const auto job = Find(id);
    EXPECT_EQ(job.status, Status::kCancelled);
    EXPECT_EQ(job.finished_at, now);
  }
  EXPECT_EQ(Find(queued).payload, R"({"file":"a.mp4"})");
  auto c = Claim({"transcode", "roster_import"}, "a");
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);

  auto again = Do<Status>([&](store::Connection& c) { return RequestCancel(c, queued, now); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "job_finished");
  auto missing = Do<Status>([&](store::Connection& c) { return RequestCancel(c, 987654, now); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, core::ErrorKind::kNotFound);
}

TEST_F(JobQueue, ARunningJobIsMarkedForCancelAndItsHolderRecordsIt) {
  const auto id = Insert("transcode");
  ASSERT_TRUE(Claim({"transcode"}, "a"));
  clock_.Advance(1s);
  const auto now = clock_.Now();
  for (int i = 0; i < 2; ++i) {  // asking twice changes nothing more
    auto r = Do<Status>([&](store::Connection& c) { return RequestCancel(c, id, now); });
    ASSERT_TRUE(r) << r.error().code;
    EXPECT_EQ(*r, Status::kRunning);
  }
  auto job = Find(id);
  EXPECT_EQ(job.status, Status::kRunning);
  EXPECT_TRUE(job.cancel_requested);
  EXPECT_FALSE(job.finished_at);
  auto beat = Do<bool>([&](store::Connection& c) { return Heartbeat(c, id, "a", now); });
  ASSERT_TRUE(beat);
  EXPECT_TRUE(*beat) << "the holder learns of it with its heartbeat";

  auto st = DoStatus([&](store::Connection& c) { return FinishCancelled(c, id, "b", now); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, "lost_claim");
  ASSERT_TRUE(DoStatus([&](store::Connection& c) { return FinishCancelled(c, id, "a", now); }));
  job = Find(id);
  EXPECT_EQ(job.status, Status::kCancelled);
  EXPECT_EQ(job.finished_at, now);
  EXPECT_EQ(job.attempts, 0);
}

TEST_F(JobQueue, ARetryWaitsForItsTimeAndCountsTheAttempt) {
  const auto id = Insert("transcode");
  ASSERT_TRUE(Claim({"transcode"}, "a"));
  const auto now = clock_.Now();
  const auto later = now + 30s;
  ASSERT_TRUE(DoStatus([&](store::Connection& c) {
    return RetryJob(c, id, "a", "Máy chủ xử lý video tạm thời không trả lời.", later, now);
  }));
  auto job = Find(id);
  EXPECT_EQ(job.status, Status::kQueued);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(job.run_after, later);
  EXPECT_EQ(job.error, "Máy chủ xử lý video tạm thời không trả lời.");
  EXPECT_FALSE(job.finished_at);

  clock_.Advance(30s - 1ms);
  auto c = Claim({"transcode"}, "b");
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c) << "not before its time";
  clock_.Advance(1ms);
  c = Claim({"transcode"}, "b");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->runs, 2);
  EXPECT_EQ((*c)->attempts, 1);
  const auto end = clock_.Now();
  ASSERT_TRUE(
      DoStatus([&](store::Connection& c) { return FinishJob(c, id, "b", true, "ok", "", end); }));
  EXPECT_EQ(Find(id).attempts, 2);
}

TEST_F(JobQueue, AReleasedJobIsClaimableAtOnceWithoutCountingAnAttempt) {
  const auto id = Insert("transcode");
  ASSERT_TRUE(Claim({"transcode"}, "a"));
  const auto now = clock_.Now();
  ASSERT_TRUE(DoStatus([&](store::Connection& c) { return ReleaseJob(c, id, "a", now); }));
  auto job = Find(id);
  EXPECT_EQ(job.status, Status::kQueued);
  EXPECT_EQ(job.attempts, 0);
  auto st =
      DoStatus([&](store::Connection& c) { return FinishJob(c, id, "a", true, "", "", now); });
  ASSERT_FALSE(st) << "a released job is no longer its holder's";
  auto c = Claim({"transcode"}, "b");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->id, id);
  EXPECT_EQ((*c)->runs, 2);
}

TEST_F(JobQueue, ARetryOrReleaseOfAJobAskedToCancelCancelsIt) {
  const auto retried = Insert("transcode");
  const auto released = Insert("transcode");
  ASSERT_TRUE(Claim({"transcode"}, "a"));
  ASSERT_TRUE(Claim({"transcode"}, "b"));
  const auto now = clock_.Now();
  for (auto id : {retried, released}) {
    ASSERT_TRUE(Do<Status>([&](store::Connection& c) { return RequestCancel(c, id, now); }));
  }
  ASSERT_TRUE(DoStatus([&](store::Connection& c) {
    return RetryJob(c, retried, "a", "Lỗi tạm thời.", now + 1s, now);
  }));
  ASSERT_TRUE(DoStatus([&](store::Connection& c) { return ReleaseJob(c, released, "b", now); }));
  for (auto id : {retried, released}) {
    const auto job = Find(id);
    EXPECT_EQ(job.status, Status::kCancelled) << "job " << id;
    EXPECT_EQ(job.finished_at, now);
  }
}

TEST_F(JobQueue, AnInstallWideLimitCountsOnlyJobsWithAFreshHeartbeat) {
  const auto j1 = Insert("transcode");
  const auto j2 = Insert("transcode");
  const auto j3 = Insert("transcode");
  const auto r1 = Insert("roster_import");
  auto c = ClaimLimited("transcode", 2, "a");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->id, j1);
  c = ClaimLimited("transcode", 2, "b");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->id, j2);
  c = ClaimLimited("transcode", 2, "c");
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c) << "two run already";
  c = ClaimLimited("roster_import", 1, "c");
  ASSERT_TRUE(c && *c) << "another kind has its own limit";
  EXPECT_EQ((*c)->id, r1);

  clock_.Advance(kStale + 1ms);  // a and b died: their jobs no longer count, and are taken over
  c = ClaimLimited("transcode", 2, "d");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->id, j1);
  c = ClaimLimited("transcode", 2, "e");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->id, j2);
  c = ClaimLimited("transcode", 2, "f");
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);

  const auto now = clock_.Now();
  ASSERT_TRUE(
      DoStatus([&](store::Connection& c) { return FinishJob(c, j1, "d", true, "", "", now); }));
  c = ClaimLimited("transcode", 2, "f");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->id, j3);
}

TEST_F(JobQueue, ConcurrentClaimsUnderAnInstallWideLimitNeverExceedIt) {
  constexpr int kLimit = 2;
  constexpr int kClaimants = 6;
  constexpr int kRounds = 5;
  for (int i = 0; i < kLimit * kRounds; ++i)
    Insert("transcode");
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::optional<Job>> got(kClaimants);
    std::vector<std::string> errors(kClaimants);
    std::latch start(kClaimants);
    std::vector<std::thread> threads;
    for (int t = 0; t < kClaimants; ++t) {
      threads.emplace_back([&, t] {
        start.arrive_and_wait();
        // Nothing may mean "the limit is reached" or "another claim holds the lock": try on.
        for (int i = 0; i < 50 && !got[t]; ++i) {
          auto c = ClaimLimited("transcode", kLimit, "w" + std::to_string(t));
          if (!c) {
            errors[t] = c.error().code + " " + c.error().detail;
            return;
          }
          got[t] = *c;
        }
      });
    }
    for (auto& th : threads)
      th.join();
    int claimed = 0;
    for (int t = 0; t < kClaimants; ++t) {
      EXPECT_EQ(errors[t], "");
      if (got[t]) ++claimed;
    }
    EXPECT_EQ(claimed, kLimit) << "round " << round;
    EXPECT_EQ(CountRunning("transcode"), kLimit) << "round " << round;
    const auto now = clock_.Now();
    for (int t = 0; t < kClaimants; ++t) {
      if (!got[t]) continue;
      ASSERT_TRUE(DoStatus([&](store::Connection& c) {
        return FinishJob(c, got[t]->id, "w" + std::to_string(t), true, "", "", now);
      }));
    }
  }
}

}  // namespace
}  // namespace hoithi::jobs
