// Notices: their checks, the notices table and the audited changes.
#include "contest/notices.hpp"

#include <nlohmann/json.hpp>

#include "contest/audit_actions.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"

namespace hoithi::contest {
namespace {

using core::ErrorKind;

constexpr std::string_view kColumns =
    "id, contest_id, title, body, pinned, publish_at, withdrawn_at, kind, created_at, updated_at";

Notice FromRow(const store::Row& r) {
  Notice n;
  n.id = r.Int(0);
  n.contest_id = r.Int(1);
  n.title = r.Str(2);
  n.body = r.Str(3);
  n.pinned = r.Bool(4);
  n.publish_at = core::FromEpochMs(r.Int(5));
  if (!r.IsNull(6)) n.withdrawn_at = core::FromEpochMs(r.Int(6));
  n.kind = r.Text(7) == "deadline" ? NoticeKind::kDeadline : NoticeKind::kManual;
  n.created_at = core::FromEpochMs(r.Int(8));
  n.updated_at = core::FromEpochMs(r.Int(9));
  return n;
}

core::Error Invalid(std::string code, std::string message, std::string field) {
  auto e = core::MakeError(ErrorKind::kValidation, std::move(code), std::move(message),
                           std::move(field));
  e.fields = {{e.field, e.message}};
  return e;
}

}  // namespace

core::Error NoticeNotFound() {
  return core::MakeError(ErrorKind::kNotFound, "not_found", "Không tìm thấy thông báo.");
}

NoticeState StateAt(const Notice& n, core::TimePoint now) {
  if (n.withdrawn_at) return NoticeState::kWithdrawn;
  return n.publish_at > now ? NoticeState::kScheduled : NoticeState::kPublished;
}

std::string_view NoticeStateLabel(NoticeState state) {
  switch (state) {
    case NoticeState::kScheduled:
      return "Đã lên lịch";
    case NoticeState::kPublished:
      return "Đã đăng";
    case NoticeState::kWithdrawn:
      return "Đã gỡ";
  }
  return "";
}

core::Status ValidateNotice(const Notice& n) {
  if (!core::IsValidUtf8(n.title) || n.title.empty() || core::CodePointCount(n.title) > 200) {
    return Invalid("invalid_title", "Tiêu đề thông báo không được để trống và không quá 200 ký tự.",
                   "title");
  }
  if (!core::IsValidUtf8(n.body) || n.body.empty() || core::CodePointCount(n.body) > 20000) {
    return Invalid("invalid_body",
                   "Nội dung thông báo không được để trống và không quá 20.000 ký tự.", "body");
  }
  return core::Ok();
}

core::Result<std::int64_t> InsertNotice(store::Connection& conn, const Notice& n,
                                        core::TimePoint now) {
  HOITHI_TRY(ValidateNotice(n));
  auto id = store::QueryInt(
      conn,
      "INSERT INTO notices (contest_id, title, body, pinned, publish_at, kind, created_at,"
      " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
      {n.contest_id, n.title, n.body, n.pinned, core::ToEpochMs(n.publish_at),
       n.kind == NoticeKind::kDeadline ? "deadline" : "manual", core::ToEpochMs(now)});
  if (!id) return std::move(id).error();
  return id->value_or(0);
}

core::Result<std::optional<Notice>> FindNotice(store::Connection& conn, std::int64_t contest_id,
                                               std::int64_t id) {
  std::optional<Notice> out;
  HOITHI_TRY(conn.Query(
      "SELECT " + std::string(kColumns) + " FROM notices WHERE contest_id = $1 AND id = $2",
      {contest_id, id}, [&](const store::Row& r) { out = FromRow(r); }));
  return out;
}

core::Result<std::vector<Notice>> ListNotices(store::Connection& conn, const NoticeQuery& q) {
  std::vector<Notice> out;
  const std::string limit = " LIMIT " + std::to_string(std::clamp(q.limit, 1, 1000));
  const auto collect = [&](const store::Row& r) { out.push_back(FromRow(r)); };
  if (q.published_only) {
    HOITHI_TRY(conn.Query("SELECT " + std::string(kColumns) +
                              " FROM notices WHERE contest_id = $1 AND withdrawn_at IS NULL AND"
                              " publish_at <= $2 ORDER BY pinned DESC, publish_at DESC, id DESC" +
                              limit,
                          {q.contest_id, core::ToEpochMs(q.now)}, collect));
  } else {
    HOITHI_TRY(conn.Query("SELECT " + std::string(kColumns) +
                              " FROM notices WHERE contest_id = $1 ORDER BY publish_at DESC,"
                              " id DESC" +
                              limit,
                          {q.contest_id}, collect));
  }
  return out;
}

std::string NoticeAuditJson(const Notice& n) {
  return nlohmann::json{{"title", n.title},
                        {"body", n.body},
                        {"pinned", n.pinned},
                        {"publish_at", core::FormatRfc3339(n.publish_at)},
                        {"withdrawn", n.withdrawn_at.has_value()}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

NoticeService::NoticeService(store::Database& db, const core::Clock& clock)
    : db_(db), clock_(clock) {}

void NoticeService::Create(const audit::Actor& actor, Notice notice, core::Callback<Notice> done) {
  const auto now = clock_.Now();
  notice.title = core::CleanText(notice.title);
  if (notice.publish_at == core::TimePoint{}) notice.publish_at = now;
  notice.created_at = notice.updated_at = now;
  if (auto st = ValidateNotice(notice); !st) return done(st.error());
  auto saved = std::make_shared<Notice>(notice);
  db_.Write(
      [saved, actor, now](store::Connection& c) -> core::Status {
        auto id = InsertNotice(c, *saved, now);
        if (!id) return std::move(id).error();
        saved->id = *id;
        return audit::Record(
            c, actor,
            audit::Entry{saved->contest_id, actions::kNoticeCreate, "notice", std::to_string(*id),
                         std::nullopt, NoticeAuditJson(*saved)},
            now);
      },
      [saved, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(*saved);
      });
}

void NoticeService::Edit(const audit::Actor& actor, Notice notice, core::Callback<Notice> done) {
  const auto now = clock_.Now();
  notice.title = core::CleanText(notice.title);
  if (auto st = ValidateNotice(notice); !st) return done(st.error());
  auto saved = std::make_shared<Notice>(notice);
  db_.Write(
      [saved, actor, now](store::Connection& c) -> core::Status {
        auto before = FindNotice(c, saved->contest_id, saved->id);
        if (!before) return std::move(before).error();
        if (!*before) return NoticeNotFound();
        if (saved->publish_at == core::TimePoint{}) saved->publish_at = (*before)->publish_at;
        auto r = c.Exec(
            "UPDATE notices SET title = $3, body = $4, pinned = $5, publish_at = $6,"
            " updated_at = $7 WHERE contest_id = $1 AND id = $2",
            {saved->contest_id, saved->id, saved->title, saved->body, saved->pinned,
             core::ToEpochMs(saved->publish_at), core::ToEpochMs(now)});
        if (!r) return std::move(r).error();
        saved->kind = (*before)->kind;
        saved->withdrawn_at = (*before)->withdrawn_at;
        saved->created_at = (*before)->created_at;
        saved->updated_at = now;
        return audit::Record(c, actor,
                             audit::Entry{saved->contest_id, actions::kNoticeUpdate, "notice",
                                          std::to_string(saved->id), NoticeAuditJson(**before),
                                          NoticeAuditJson(*saved)},
                             now);
      },
      [saved, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(*saved);
      });
}

void NoticeService::Withdraw(const audit::Actor& actor, std::int64_t contest_id, std::int64_t id,
                             core::Callback<Notice> done) {
  const auto now = clock_.Now();
  auto saved = std::make_shared<Notice>();
  db_.Write(
      [saved, actor, contest_id, id, now](store::Connection& c) -> core::Status {
        auto before = FindNotice(c, contest_id, id);
        if (!before) return std::move(before).error();
        if (!*before) return NoticeNotFound();
        *saved = **before;
        if (saved->withdrawn_at) return core::Ok();  // already withdrawn: nothing to do
        auto r = c.Exec(
            "UPDATE notices SET withdrawn_at = $3, updated_at = $3 WHERE contest_id = $1 AND"
            " id = $2",
            {contest_id, id, core::ToEpochMs(now)});
        if (!r) return std::move(r).error();
        saved->withdrawn_at = now;
        return audit::Record(
            c, actor,
            audit::Entry{contest_id, actions::kNoticeWithdraw, "notice", std::to_string(id),
                         NoticeAuditJson(**before), NoticeAuditJson(*saved)},
            now);
      },
      [saved, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(*saved);
      });
}

}  // namespace hoithi::contest
