// The durable job queue: background work (roster imports now; video processing later) stored in
// the jobs table, so that it survives restarts and any instance can run it.
//
// Lifecycle of a job and the function that moves it:
//   draft     -- created, waiting for the person to confirm          InsertJob(draft = true)
//   queued    -- confirmed, waiting for a worker                     InsertJob / StartDraft
//   running   -- claimed by one worker, which heartbeats             ClaimNext
//   done | failed                                                    FinishJob
//   cancelled -- a draft the person dropped                          CancelDraft
// A running job whose heartbeat is older than the stale limit is claimed again (its worker died).
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
  std::string error;
  int progress_done = 0;
  int progress_total = 0;
  std::optional<std::int64_t> created_by;
  std::optional<std::int64_t> unit_id;
  core::TimePoint created_at;
  std::optional<core::TimePoint> finished_at;
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
core::Status CancelDraft(store::Connection& conn, std::int64_t id, core::TimePoint now);

/// Claims the oldest queued job of `kinds` (or a running one whose heartbeat is older than
/// `stale_before`) for `worker`. PostgreSQL skips rows another worker holds (SKIP LOCKED).
core::Result<std::optional<Job>> ClaimNext(store::Connection& conn,
                                           const std::vector<std::string>& kinds,
                                           const std::string& worker, core::TimePoint now,
                                           core::TimePoint stale_before);

/// Progress and heartbeat of a running job held by `worker`.
core::Status ReportProgress(store::Connection& conn, std::int64_t id, const std::string& worker,
                            int done, int total, core::TimePoint now);

/// running -> done (with `result`) or failed (with `error`, a Vietnamese sentence).
core::Status FinishJob(store::Connection& conn, std::int64_t id, const std::string& worker, bool ok,
                       const std::string& result, const std::string& error, core::TimePoint now);

/// Replaces the stored result (e.g. to drop sealed initial passwords once handed over).
core::Status SetResult(store::Connection& conn, std::int64_t id, const std::string& result);

}  // namespace hoithi::jobs
