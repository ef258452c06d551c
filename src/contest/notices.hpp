// The organisers' notices (thông báo) of a contest: a title, a body in plain text with paragraphs
// and links, a publish time (a notice can be scheduled), a pin, and a withdrawal. A deadline
// moved by the organisers publishes one by itself (ContestService::MoveDeadline).
//
// States, at a moment `now` (StateAt), and what moves a notice between them:
//   scheduled  -- publish_at is after now                       NoticeService::Create / Edit
//   published  -- publish_at has come, not withdrawn           (time passing)
//   withdrawn  -- taken down; kept, audited, no longer shown   NoticeService::Withdraw
// Only published notices are public (the home page, /thong-bao, the Atom feed).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/database.hpp"

namespace hoithi::contest {

enum class NoticeKind { kManual, kDeadline };

struct Notice {
  std::int64_t id = 0;
  std::int64_t contest_id = 0;
  std::string title;  // 1–200 characters
  std::string body;   // plain text: blank lines part paragraphs; http(s) addresses become links
  bool pinned = false;
  core::TimePoint publish_at;
  std::optional<core::TimePoint> withdrawn_at;
  NoticeKind kind = NoticeKind::kManual;
  core::TimePoint created_at;
  core::TimePoint updated_at;
};

enum class NoticeState { kScheduled, kPublished, kWithdrawn };
NoticeState StateAt(const Notice& notice, core::TimePoint now);
std::string_view NoticeStateLabel(NoticeState state);  // "Đã lên lịch", "Đã đăng", "Đã gỡ"

/// kNotFound "not_found": no such notice in the contest.
core::Error NoticeNotFound();

/// Title and body present and within bounds, valid UTF-8; kValidation naming the field.
core::Status ValidateNotice(const Notice& notice);

// Storage (the notices table). Reads take any connection; writes run inside a committer write.
core::Result<std::int64_t> InsertNotice(store::Connection& conn, const Notice& notice,
                                        core::TimePoint now);
core::Result<std::optional<Notice>> FindNotice(store::Connection& conn, std::int64_t contest_id,
                                               std::int64_t id);

struct NoticeQuery {
  std::int64_t contest_id = 0;
  /// Only what the public sees at `now`: published and not withdrawn; pinned first, then newest.
  /// Otherwise every notice, newest first (the organisers' list).
  bool published_only = true;
  core::TimePoint now;
  int limit = 50;
};
core::Result<std::vector<Notice>> ListNotices(store::Connection& conn, const NoticeQuery& query);

/// The organisers' changes, each one committed write with its audit entry.
class NoticeService {
 public:
  NoticeService(store::Database& db, const core::Clock& clock);

  /// `notice.publish_at` unset (epoch): now.
  void Create(const audit::Actor& actor, Notice notice, core::Callback<Notice> done);
  /// Title, body, pin and publish time of an existing notice (kNotFound otherwise); an unset
  /// `publish_at` keeps the stored one, so editing a scheduled notice does not publish it.
  void Edit(const audit::Actor& actor, Notice notice, core::Callback<Notice> done);
  void Withdraw(const audit::Actor& actor, std::int64_t contest_id, std::int64_t id,
                core::Callback<Notice> done);

 private:
  store::Database& db_;
  const core::Clock& clock_;
};

/// The notice as JSON text, for audit entries.
std::string NoticeAuditJson(const Notice& notice);

}  // namespace hoithi::contest
