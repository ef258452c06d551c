// The jobs table.
#include "jobs/queue.hpp"

namespace hoithi::jobs {
namespace {

constexpr std::string_view kColumns =
    "id, contest_id, kind, status, payload, COALESCE(result, ''), COALESCE(error, ''),"
    " progress_done, progress_total, created_by, unit_id, created_at, finished_at";

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
  return j;
}

core::Status Changed(core::Result<std::int64_t> r, const char* what) {
  if (!r) return std::move(r).error();
  if (*r == 0) {
    return core::MakeError(core::ErrorKind::kConflict, what,
                           "Công việc này không còn ở trạng thái cho phép thao tác đó.");
  }
  return core::Ok();
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
       job.result.empty() ? std::optional<std::string>() : std::optional<std::string>(job.result),
       job.progress_total, job.created_by, job.unit_id, core::ToEpochMs(now)});
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

core::Result<std::optional<Job>> ClaimNext(store::Connection& conn,
                                           const std::vector<std::string>& kinds,
                                           const std::string& worker, core::TimePoint now,
                                           core::TimePoint stale_before) {
  if (kinds.empty()) return std::optional<Job>();
  std::vector<store::Param> params = {worker, core::ToEpochMs(now), core::ToEpochMs(stale_before)};
  std::string in;
  for (const auto& k : kinds) {
    params.emplace_back(k);
    if (!in.empty()) in += ", ";
    in += store::Placeholder(params.size());
  }
  std::string sql =
      "UPDATE jobs SET status = 'running', claimed_by = $1, heartbeat_at = $2,"
      " started_at = COALESCE(started_at, $2), runs = runs + 1"
      " WHERE id = (SELECT id FROM jobs WHERE (status = 'queued' OR (status = 'running' AND"
      " heartbeat_at < $3)) AND kind IN (" +
      in + ") ORDER BY id LIMIT 1";
  if (conn.backend() == store::Backend::kPostgres) sql += " FOR UPDATE SKIP LOCKED";
  sql += ") RETURNING " + std::string(kColumns);
  std::optional<Job> out;
  HOITHI_TRY(conn.Query(sql, params, [&](const store::Row& r) { out = FromRow(r); }));
  return out;
}

core::Status ReportProgress(store::Connection& conn, std::int64_t id, const std::string& worker,
                            int done, int total, core::TimePoint now) {
  auto r = conn.Exec(
      "UPDATE jobs SET progress_done = $3, progress_total = $4, heartbeat_at = $5"
      " WHERE id = $1 AND claimed_by = $2 AND status = 'running'",
      {id, worker, done, total, core::ToEpochMs(now)});
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Status FinishJob(store::Connection& conn, std::int64_t id, const std::string& worker, bool ok,
                       const std::string& result, const std::string& error, core::TimePoint now) {
  return Changed(
      conn.Exec("UPDATE jobs SET status = $3, result = $4, error = $5, finished_at = $6,"
                " heartbeat_at = $6 WHERE id = $1 AND claimed_by = $2 AND status = 'running'",
                {id, worker, ok ? "done" : "failed",
                 result.empty() ? std::optional<std::string>() : std::optional<std::string>(result),
                 error.empty() ? std::optional<std::string>() : std::optional<std::string>(error),
                 core::ToEpochMs(now)}),
      "lost_claim");
}

core::Status SetResult(store::Connection& conn, std::int64_t id, const std::string& result) {
  auto r = conn.Exec("UPDATE jobs SET result = $2 WHERE id = $1", {id, result});
  if (!r) return std::move(r).error();
  return core::Ok();
}

}  // namespace hoithi::jobs
