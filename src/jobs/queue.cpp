// The jobs table: every transition of queue.hpp's lifecycle as one statement (two for a claim
// under an install-wide limit), guarded by the state it starts from and, for a running job, by
// its claimant.
#include "jobs/queue.hpp"

namespace hoithi::jobs {
namespace {

constexpr std::string_view kColumns =
    "id, contest_id, kind, status, payload, COALESCE(result, ''), COALESCE(error, ''),"
    " progress_done, progress_total, created_by, unit_id, created_at, finished_at,"
    " COALESCE(claimed_by, ''), runs, attempts, run_after, cancel_requested_at";

Status ParseStatus(std::string_view s) {
  for (auto st : {Status::kDraft, Status::kQueued, Status::kRunning, Status::kDone, Status::kFailed,
                  Status::kCancelled}) {
    if (StatusCode(st) == s) return st;
  }
  return Status::kFailed;
}

Job FromRow(const store::Row& r) {
  Job j;
  j.id = r.Int(0);
  j.contest_id = r.OptInt(1);
  j.kind = r.Str(2);
  j.status = ParseStatus(r.Text(3));
  j.payload = r.Str(4);
  j.result = r.Str(5);
  j.error = r.Str(6);
  j.progress_done = static_cast<int>(r.Int(7));
  j.progress_total = static_cast<int>(r.Int(8));
  j.created_by = r.OptInt(9);
  j.unit_id = r.OptInt(10);
  j.created_at = core::FromEpochMs(r.Int(11));
  if (!r.IsNull(12)) j.finished_at = core::FromEpochMs(r.Int(12));
  j.claimed_by = r.Str(13);
  j.runs = static_cast<int>(r.Int(14));
  j.attempts = static_cast<int>(r.Int(15));
  if (!r.IsNull(16)) j.run_after = core::FromEpochMs(r.Int(16));
  j.cancel_requested = !r.IsNull(17);
  return j;
}

core::Error NotAllowedNow(const char* code) {
  return core::MakeError(core::ErrorKind::kConflict, code,
                         "Công việc này không còn ở trạng thái cho phép thao tác đó.");
}

core::Status Changed(core::Result<std::int64_t> r, const char* what) {
  if (!r) return std::move(r).error();
  if (*r == 0) return NotAllowedNow(what);
  return core::Ok();
}

/// A statement on a running job, guarded by its claimant.
core::Status Held(core::Result<std::int64_t> r) {
  return Changed(std::move(r), "lost_claim");
}

std::optional<std::string> NullIfEmpty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace

std::string_view StatusCode(Status s) {
  switch (s) {
    case Status::kDraft:
      return "draft";
    case Status::kQueued:
      return "queued";
    case Status::kRunning:
      return "running";
    case Status::kDone:
      return "done";
    case Status::kFailed:
      return "failed";
    case Status::kCancelled:
      return "cancelled";
  }
  return "failed";
}

std::string_view StatusLabel(Status s) {
  switch (s) {
    case Status::kDraft:
      return "Chờ xác nhận";
    case Status::kQueued:
      return "Đang chờ xử lý";
    case Status::kRunning:
      return "Đang xử lý";
    case Status::kDone:
      return "Đã xong";
    case Status::kFailed:
      return "Không thành công";
    case Status::kCancelled:
      return "Đã hủy";
  }
  return "";
}

core::Result<std::int64_t> InsertJob(store::Connection& conn, const NewJob& job,
                                     core::TimePoint now) {
  auto id = store::QueryInt(
      conn,
      "INSERT INTO jobs (contest_id, kind, status, payload, result, progress_total, created_by,"
      " unit_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      {job.contest_id, job.kind, job.draft ? "draft" : "queued", job.payload,
       NullIfEmpty(job.result), job.progress_total, job.created_by, job.unit_id,
       core::ToEpochMs(now)});
  if (!id) return std::move(id).error();
  return id->value_or(0);
}

core::Result<std::optional<Job>> FindJob(store::Connection& conn, std::int64_t id) {
  std::optional<Job> out;
  HOITHI_TRY(conn.Query("SELECT " + std::string(kColumns) + " FROM jobs WHERE id = $1", {id},
                        [&](const store::Row& r) { out = FromRow(r); }));
  return out;
}

core::Result<std::vector<Job>> ListUnitJobs(store::Connection& conn, std::int64_t unit_id,
                                            std::string_view kind, int limit) {
  std::vector<Job> out;
  HOITHI_TRY(conn.Query("SELECT " + std::string(kColumns) +
                            " FROM jobs WHERE unit_id = $1 AND kind = $2 ORDER BY id DESC LIMIT " +
                            std::to_string(limit),
                        {unit_id, kind}, [&](const store::Row& r) { out.push_back(FromRow(r)); }));
  return out;
}

core::Status StartDraft(store::Connection& conn, std::int64_t id, const std::string& payload,
                        int progress_total, core::TimePoint) {
  return Changed(conn.Exec("UPDATE jobs SET status = 'queued', payload = $2, progress_total = $3"
                           " WHERE id = $1 AND status = 'draft'",
                           {id, payload, progress_total}),
                 "not_draft");
}

core::Status CancelDraft(store::Connection& conn, std::int64_t id, core::TimePoint now) {
  return Changed(conn.Exec("UPDATE jobs SET status = 'cancelled', finished_at = $2, payload = '{}'"
                           " WHERE id = $1 AND status = 'draft'",
                           {id, core::ToEpochMs(now)}),
                 "not_draft");
}

core::Result<Status> RequestCancel(store::Connection& conn, std::int64_t id, core::TimePoint now) {
  // SET expressions read the row as it was: a running job stays running, marked.
  std::optional<Status> after;
  HOITHI_TRY(conn.Query(
      "UPDATE jobs SET status = CASE WHEN status = 'running' THEN 'running' ELSE 'cancelled' END,"
      " finished_at = CASE WHEN status = 'running' THEN finished_at ELSE CAST($2 AS BIGINT) END,"
      " cancel_requested_at = COALESCE(cancel_requested_at, CAST($2 AS BIGINT))"
      " WHERE id = $1 AND status IN ('draft', 'queued', 'running') RETURNING status",
      {id, core::ToEpochMs(now)}, [&](const store::Row& r) { after = ParseStatus(r.Text(0)); }));
  if (after) return *after;
  auto job = FindJob(conn, id);
  if (!job) return std::move(job).error();
  if (!*job)
    return core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy công việc.");
  return core::MakeError(core::ErrorKind::kConflict, "job_finished",
                         "Công việc này đã kết thúc nên không thể hủy.");
}

core::Result<std::optional<Job>> ClaimNext(store::Connection& conn,
                                           const std::vector<std::string>& kinds,
                                           const std::string& claimant, core::TimePoint now,
                                           core::TimePoint stale_before) {
  if (kinds.empty()) return std::optional<Job>();
  std::vector<store::Param> params = {claimant, core::ToEpochMs(now),
                                      core::ToEpochMs(stale_before)};
  std::string in;
  for (const auto& k : kinds) {
    params.emplace_back(k);
    if (!in.empty()) in += ", ";
    in += store::Placeholder(params.size());
  }
  std::string sql =
      "UPDATE jobs SET status = 'running', claimed_by = $1, heartbeat_at = $2,"
      " started_at = COALESCE(started_at, $2), runs = runs + 1"
      " WHERE id = (SELECT id FROM jobs WHERE ((status = 'queued' AND (run_after IS NULL OR"
      " run_after <= $2)) OR (status = 'running' AND heartbeat_at < $3)) AND kind IN (" +
      in + ") ORDER BY id LIMIT 1";
  if (conn.backend() == store::Backend::kPostgres) sql += " FOR UPDATE SKIP LOCKED";
  sql += ") RETURNING " + std::string(kColumns);
  std::optional<Job> out;
  HOITHI_TRY(conn.Query(sql, params, [&](const store::Row& r) { out = FromRow(r); }));
  return out;
}

core::Result<std::optional<Job>> ClaimNextOfKind(store::Connection& conn, const std::string& kind,
                                                 int install_limit, const std::string& claimant,
                                                 core::TimePoint now,
                                                 core::TimePoint stale_before) {
  if (install_limit > 0) {
    // Held until the claim commits: the next claimant of this kind counts after it (READ
    // COMMITTED takes a snapshot per statement, so the count below sees the committed claim).
    // Not waited for: this runs amid a batch of other writes, whose row locks a wait could
    // deadlock with; a claimant that finds it taken claims nothing now and looks again later.
    auto locked = store::TryLockKey(conn, "jobs.kind:" + kind);
    if (!locked) return std::move(locked).error();
    if (!*locked) return std::optional<Job>();
    auto running =
        store::QueryInt(conn,
                        "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND status = 'running'"
                        " AND heartbeat_at >= $2",
                        {kind, core::ToEpochMs(stale_before)});
    if (!running) return std::move(running).error();
    if (running->value_or(0) >= install_limit) return std::optional<Job>();
  }
  return ClaimNext(conn, {kind}, claimant, now, stale_before);
}

core::Result<bool> Heartbeat(store::Connection& conn, std::int64_t id, const std::string& claimant,
                             core::TimePoint now) {
  std::optional<bool> cancel_requested;
  HOITHI_TRY(conn.Query(
      "UPDATE jobs SET heartbeat_at = $3 WHERE id = $1 AND claimed_by = $2 AND status = 'running'"
      " RETURNING cancel_requested_at",
      {id, claimant, core::ToEpochMs(now)},
      [&](const store::Row& r) { cancel_requested = !r.IsNull(0); }));
  if (!cancel_requested) return NotAllowedNow("lost_claim");
  return *cancel_requested;
}

core::Status ReportProgress(store::Connection& conn, std::int64_t id, const std::string& claimant,
                            int done, int total, core::TimePoint now) {
  return Held(
      conn.Exec("UPDATE jobs SET progress_done = $3, progress_total = $4, heartbeat_at = $5"
                " WHERE id = $1 AND claimed_by = $2 AND status = 'running'",
                {id, claimant, done, total, core::ToEpochMs(now)}));
}

core::Status CheckClaim(store::Connection& conn, std::int64_t id, const std::string& claimant) {
  // An UPDATE rather than a SELECT: it locks the row on PostgreSQL (SQLite has no FOR UPDATE).
  return Held(
      conn.Exec("UPDATE jobs SET heartbeat_at = heartbeat_at WHERE id = $1 AND claimed_by = $2"
                " AND status = 'running'",
                {id, claimant}));
}

core::Status FinishJob(store::Connection& conn, std::int64_t id, const std::string& claimant,
                       bool ok, const std::string& result, const std::string& error,
                       core::TimePoint now) {
  return Held(conn.Exec(
      "UPDATE jobs SET status = $3, result = $4, error = $5, finished_at = $6, heartbeat_at = $6,"
      " attempts = attempts + 1 WHERE id = $1 AND claimed_by = $2 AND status = 'running'",
      {id, claimant, ok ? "done" : "failed", NullIfEmpty(result), NullIfEmpty(error),
       core::ToEpochMs(now)}));
}

core::Status RetryJob(store::Connection& conn, std::int64_t id, const std::string& claimant,
                      const std::string& error, core::TimePoint run_after, core::TimePoint now) {
  return Held(conn.Exec(
      "UPDATE jobs SET"
      " status = CASE WHEN cancel_requested_at IS NULL THEN 'queued' ELSE 'cancelled' END,"
      " finished_at = CASE WHEN cancel_requested_at IS NULL THEN NULL ELSE CAST($5 AS BIGINT) END,"
      " attempts = attempts + 1, error = $3, run_after = $4, heartbeat_at = NULL"
      " WHERE id = $1 AND claimed_by = $2 AND status = 'running'",
      {id, claimant, NullIfEmpty(error), core::ToEpochMs(run_after), core::ToEpochMs(now)}));
}

core::Status ReleaseJob(store::Connection& conn, std::int64_t id, const std::string& claimant,
                        core::TimePoint now) {
  return Held(conn.Exec(
      "UPDATE jobs SET"
      " status = CASE WHEN cancel_requested_at IS NULL THEN 'queued' ELSE 'cancelled' END,"
      " finished_at = CASE WHEN cancel_requested_at IS NULL THEN NULL ELSE CAST($3 AS BIGINT) END,"
      " run_after = NULL, heartbeat_at = NULL"
      " WHERE id = $1 AND claimed_by = $2 AND status = 'running'",
      {id, claimant, core::ToEpochMs(now)}));
}

core::Status FinishCancelled(store::Connection& conn, std::int64_t id, const std::string& claimant,
                             core::TimePoint now) {
  return Held(
      conn.Exec("UPDATE jobs SET status = 'cancelled', finished_at = $3, heartbeat_at = $3"
                " WHERE id = $1 AND claimed_by = $2 AND status = 'running'",
                {id, claimant, core::ToEpochMs(now)}));
}

core::Status SetResult(store::Connection& conn, std::int64_t id, const std::string& result) {
  auto r = conn.Exec("UPDATE jobs SET result = $2 WHERE id = $1", {id, result});
  if (!r) return std::move(r).error();
  return core::Ok();
}

}  // namespace hoithi::jobs
