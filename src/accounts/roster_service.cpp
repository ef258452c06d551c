// RosterService: drafts, confirmation and the hand-over of initial passwords.
#include "accounts/roster_service.hpp"

#include <nlohmann/json.hpp>

#include "accounts/audit_actions.hpp"
#include "audit/audit_log.hpp"
#include "units/units.hpp"

namespace hoithi::accounts {
namespace {

using core::ErrorKind;
using nlohmann::json;

core::Error JobNotFound() {
  return core::MakeError(ErrorKind::kNotFound, "not_found", "Không tìm thấy công việc.");
}

}  // namespace

RosterService::RosterService(store::Database& db, const core::Clock& clock, std::string seal_key,
                             std::function<void()> wake)
    : db_(db), clock_(clock), seal_key_(std::move(seal_key)), wake_(std::move(wake)) {}

RosterCheck RosterService::PreviewOf(const jobs::Job& job) {
  RosterCheck check;
  const auto r = json::parse(job.result.empty() ? "{}" : job.result, nullptr, false);
  if (r.is_discarded() || !r.contains("preview")) return check;
  const auto& p = r["preview"];
  check.data_rows = p.value("rows", 0);
  check.already_registered = p.value("already_registered", 0);
  check.accepted.resize(p.value("valid", 0u));
  for (const auto& x : p.value("rejected", json::array())) {
    check.rejected.push_back({x.value("row", 0), x.value("reason", "")});
  }
  return check;
}

void RosterService::Upload(const SignedIn& actor, ClientInfo client, const units::Unit& unit,
                           std::string_view file, bool create_accounts,
                           Callback<RosterDraft> done) {
  auto table = spreadsheet::ReadTable(file);
  if (!table) return done(table.error());
  core::Result<RosterCheck> check = RosterCheck{};
  {
    auto lease = db_.Read();
    check = CheckRoster(*lease, unit.contest_id, *table, create_accounts);
  }
  if (!check) return done(check.error());
  jobs::NewJob job;
  job.contest_id = unit.contest_id;
  job.kind = std::string(kRosterJobKind);
  job.payload =
      RosterPayload(unit.contest_id, unit.id, *check, ActorOf(actor, client), create_accounts);
  job.created_by = actor.user_id;
  job.unit_id = unit.id;
  job.draft = true;
  job.progress_total = static_cast<int>(check->accepted.size());
  job.result = json{{"preview", RosterPreview(*check)}}.dump();
  auto draft = std::make_shared<RosterDraft>();
  draft->check = std::move(*check);
  const auto now = clock_.Now();
  db_.Write(
      [job, now, draft](store::Connection& c) -> core::Status {
        auto id = jobs::InsertJob(c, job, now);
        if (!id) return std::move(id).error();
        draft->job_id = *id;
        return core::Ok();
      },
      [draft, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(std::move(*draft));
      });
}

core::Result<jobs::Job> RosterService::Find(const SignedIn& actor, std::int64_t job_id) {
  auto lease = db_.Read();
  auto job = jobs::FindJob(*lease, job_id);
  if (!job) return std::move(job).error();
  // By the caller's role and unit now, not when the job was made: a focal point moved to another
  // unit or relieved of the role no longer sees the jobs (and passwords) of the old one.
  if (!*job || (*job)->kind != kRosterJobKind) return JobNotFound();
  const auto& j = **job;
  const bool admin =
      actor.role == Role::kAdmin && (!actor.contest_id || actor.contest_id == j.contest_id);
  const bool own_unit = actor.role == Role::kFocalPoint && j.created_by == actor.user_id &&
                        actor.unit_id && actor.unit_id == j.unit_id;
  if (!admin && !own_unit) return JobNotFound();
  return **job;
}

void RosterService::Start(const SignedIn& actor, std::int64_t job_id, bool skip_invalid,
                          std::function<void(core::Status)> done) {
  auto job = Find(actor, job_id);
  if (!job) return done(job.error());
  const auto preview = PreviewOf(*job);
  if (job->status == jobs::Status::kDraft && !preview.rejected.empty() && !skip_invalid) {
    return done(core::MakeError(ErrorKind::kValidation, "invalid_rows",
                                "Danh sách có " + std::to_string(preview.rejected.size()) +
                                    " dòng lỗi; chưa tạo tài khoản nào. Hãy sửa tệp và tải lên "
                                    "lại, hoặc xác nhận bỏ qua các dòng lỗi.",
                                "skip_invalid"));
  }
  const auto now = clock_.Now();
  db_.Write(
      [job = *job, now](store::Connection& c) {
        return jobs::StartDraft(c, job.id, job.payload, job.progress_total, now);
      },
      [this, done](const core::Status& st) {
        if (st && wake_) wake_();
        done(st);
      });
}

void RosterService::Cancel(const SignedIn& actor, std::int64_t job_id,
                           std::function<void(core::Status)> done) {
  auto job = Find(actor, job_id);
  if (!job) return done(job.error());
  db_.Write([id = job->id,
             now = clock_.Now()](store::Connection& c) { return jobs::CancelDraft(c, id, now); },
            [done](const core::Status& st) { done(st); });
}

void RosterService::Passwords(const SignedIn& actor, ClientInfo client, std::int64_t job_id,
                              Callback<std::vector<InitialPassword>> done) {
  auto job = Find(actor, job_id);
  if (!job) return done(job.error());
  if (job->status != jobs::Status::kDone) {
    return done(
        core::MakeError(ErrorKind::kConflict, "not_done", "Việc nhập danh sách chưa xong."));
  }
  auto passwords = UnsealPasswords(job->result, seal_key_);
  if (!passwords) return done(passwords.error());
  const auto now = clock_.Now();
  db_.Write(
      [actor, client, now, job = *job](store::Connection& c) {
        return audit::Record(c, ActorOf(actor, client),
                             audit::Entry{job.contest_id, actions::kPasswordsExport, "job",
                                          std::to_string(job.id), std::nullopt, std::nullopt},
                             now);
      },
      [passwords = std::move(*passwords), done](const core::Status& st) mutable {
        if (!st) return done(st.error());
        done(std::move(passwords));
      });
}

void RosterService::ForgetPasswords(const SignedIn& actor, std::int64_t job_id,
                                    std::function<void(core::Status)> done) {
  auto job = Find(actor, job_id);
  if (!job) return done(job.error());
  db_.Write(
      [job = *job](store::Connection& c) {
        return jobs::SetResult(c, job.id, accounts::ForgetPasswords(job.result));
      },
      [done](const core::Status& st) { done(st); });
}

}  // namespace hoithi::accounts
