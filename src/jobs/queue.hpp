// The durable job queue: background work (roster imports now; video processing later) stored in
// the jobs table, so that it survives restarts and any instance can run it. A job runs at least
// once: a run cut short (its worker died or was stopped) is run again from the start.
//
// Lifecycle of a job and the function that moves it:
//   (new)    -> draft      created, waiting for the person to confirm     InsertJob(draft = true)
//   (new)    -> queued     waiting for a worker                           InsertJob
//   draft    -> queued     the person confirmed                           StartDraft
//   draft    -> cancelled  the person dropped it (payload dropped too)    CancelDraft
//   draft | queued -> cancelled  at once                                  RequestCancel
//   queued   -> running    claimed by one claimant, once its run_after    ClaimNext,
//                          has come and its kind is under its install-     ClaimNextOfKind
//                          wide limit; the claimant heartbeats it          Heartbeat,
//                          ReportProgress
//   running  -> running    taken over by another claimant when its        ClaimNext,
//                          heartbeat is older than the stale limit (the    ClaimNextOfKind
//                          holder died); the old claimant is refused from
//                          then on (kConflict "lost_claim")
//   running  -> running    cancel requested: marked, the holder sees it   RequestCancel
//                          at its next heartbeat and stops
//   running  -> done | failed  the handler's outcome (attempts + 1)        FinishJob
//   running  -> queued     a transient failure, to run again at           RetryJob
//                          run_after (attempts + 1)
//   running  -> queued     the worker is stopping; not an attempt          ReleaseJob
//   running  -> cancelled  the holder stopped because it was asked to     FinishCancelled
// RetryJob and ReleaseJob cancel instead when a cancel was requested meanwhile. Every transition
// of a running job names its claimant and fails with "lost_claim" when another holds it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::jobs {

enum class Status { kDraft, kQueued, kRunning, kDone, kFailed, kCancelled };
std::string_view StatusCode(Status s);   // "draft", "queued", ...
std::string_view StatusLabel(Status s);  // Vietnamese

struct Job {
  std::int64_t id = 0;
  std::optional<std::int64_t> contest_id;
  std::string kind;
  Status status = Status::kQueued;
  std::string payload;
  std::string result;
  std::string error;  // of the last failed attempt, also while queued for a retry
  int progress_done = 0;
  int progress_total = 0;
  std::optional<std::int64_t> created_by;
  std::optional<std::int64_t> unit_id;
  core::TimePoint created_at;
  std::optional<core::TimePoint> finished_at;
  std::string claimed_by;  // the claimant of the latest run ("" before the first)
  int runs = 0;            // claims, including takeovers
  int attempts = 0;        // runs that reached an outcome (see the migration 0011)
  std::optional<core::TimePoint> run_after;
  bool cancel_requested = false;
};

struct NewJob {
  std::optional<std::int64_t> contest_id;
  std::string kind;
  std::string payload;
  std::optional<std::int64_t> created_by;
  std::optional<std::int64_t> unit_id;
  bool draft = false;
  int progress_total = 0;
  std::string result;  // a draft may carry its preview here
};

core::Result<std::int64_t> InsertJob(store::Connection& conn, const NewJob& job,
                                     core::TimePoint now);
core::Result<std::optional<Job>> FindJob(store::Connection& conn, std::int64_t id);

/// The latest jobs of `kind` for a unit, newest first.
core::Result<std::vector<Job>> ListUnitJobs(store::Connection& conn, std::int64_t unit_id,
                                            std::string_view kind, int limit);

/// draft -> queued, replacing the payload. kConflict "not_draft" when it is no longer a draft.
core::Status StartDraft(store::Connection& conn, std::int64_t id, const std::string& payload,
                        int progress_total, core::TimePoint now);
/// draft -> cancelled, dropping the payload. kConflict "not_draft" when it is no longer a draft.
core::Status CancelDraft(store::Connection& conn, std::int64_t id, core::TimePoint now);

/// Asks to cancel a job: a draft or queued one is cancelled at once (its payload is kept); a
/// running one is marked, and its claimant records `cancelled` once its handler stopped (or the
/// outcome the handler reached first). Returns the job's status afterwards: kCancelled or
/// kRunning. kConflict "job_finished" when it was already done, failed or cancelled; kNotFound
/// "not_found" when there is no such job. Repeating the request on a running job changes nothing.
core::Result<Status> RequestCancel(store::Connection& conn, std::int64_t id, core::TimePoint now);

/// Claims the oldest claimable job of `kinds` for `claimant`: a queued one whose run_after has
/// come, or a running one whose heartbeat is older than `stale_before` (its holder died). The
/// claim sets the heartbeat to `now` and counts a run. PostgreSQL skips rows another transaction
/// holds (SKIP LOCKED). A claimed job may carry cancel_requested (taken over from a dead holder):
/// the claimant then records FinishCancelled without running it.
core::Result<std::optional<Job>> ClaimNext(store::Connection& conn,
                                           const std::vector<std::string>& kinds,
                                           const std::string& claimant, core::TimePoint now,
                                           core::TimePoint stale_before);

/// As ClaimNext for one kind, but claims nothing while `install_limit` jobs of `kind` already run
/// with a fresh heartbeat (not older than `stale_before`) anywhere in the install: a limit shared
/// by every instance of one database, kept under a lock on the kind (store::TryLockKey) so that
/// concurrent claims count one after the other. A claim that finds the lock taken by another
/// transaction claims nothing (try again later). `install_limit` <= 0: no limit.
core::Result<std::optional<Job>> ClaimNextOfKind(store::Connection& conn, const std::string& kind,
                                                 int install_limit, const std::string& claimant,
                                                 core::TimePoint now, core::TimePoint stale_before);

/// The heartbeat of a running job held by `claimant`, independent of its progress. Returns
/// whether a cancel was requested; kConflict "lost_claim" when `claimant` no longer holds it.
core::Result<bool> Heartbeat(store::Connection& conn, std::int64_t id, const std::string& claimant,
                             core::TimePoint now);

/// Progress of a running job held by `claimant`; also a heartbeat. kConflict "lost_claim" when
/// `claimant` no longer holds it.
core::Status ReportProgress(store::Connection& conn, std::int64_t id, const std::string& claimant,
                            int done, int total, core::TimePoint now);

/// Inside a handler's own write transaction: kConflict "lost_claim" unless `claimant` still
/// holds job `id`. The row stays locked until that transaction ends (on PostgreSQL; SQLite has
/// one writer), so no takeover commits in between: a handler whose effect must happen once
/// checks its claim in the transaction that makes the effect.
core::Status CheckClaim(store::Connection& conn, std::int64_t id, const std::string& claimant);

/// running -> done (with `result`) or failed (with `error`, a Vietnamese sentence); counts the
/// attempt. kConflict "lost_claim" when `claimant` no longer holds the job.
core::Status FinishJob(store::Connection& conn, std::int64_t id, const std::string& claimant,
                       bool ok, const std::string& result, const std::string& error,
                       core::TimePoint now);

/// running -> queued after a transient failure: counts the attempt, keeps `error` and makes the
/// job claimable from `run_after`. running -> cancelled instead when a cancel was requested.
/// kConflict "lost_claim" when `claimant` no longer holds the job.
core::Status RetryJob(store::Connection& conn, std::int64_t id, const std::string& claimant,
                      const std::string& error, core::TimePoint run_after, core::TimePoint now);

/// running -> queued, claimable at once, without counting an attempt: the claimant stops (its
/// worker shuts down) before the handler reached an outcome. running -> cancelled instead when a
/// cancel was requested. kConflict "lost_claim" when `claimant` no longer holds the job.
core::Status ReleaseJob(store::Connection& conn, std::int64_t id, const std::string& claimant,
                        core::TimePoint now);

/// running -> cancelled: the handler stopped because a cancel was requested. kConflict
/// "lost_claim" when `claimant` no longer holds the job.
core::Status FinishCancelled(store::Connection& conn, std::int64_t id, const std::string& claimant,
                             core::TimePoint now);

/// Replaces the stored result (e.g. to drop sealed initial passwords once handed over).
core::Status SetResult(store::Connection& conn, std::int64_t id, const std::string& result);

}  // namespace hoithi::jobs
