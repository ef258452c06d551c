// ContestService: validated, audited changes of contests and their prizes; moved deadlines
// announced by notices.
#include "contest/contest_service.hpp"

#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "contest/audit_actions.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"

namespace hoithi::contest {
namespace {

using core::ErrorKind;
using nlohmann::json;

core::Error Invalid(std::string code, std::string message, std::string field) {
  auto e = core::MakeError(ErrorKind::kValidation, std::move(code), std::move(message),
                           std::move(field));
  e.fields = {{e.field, e.message}};
  return e;
}

std::optional<core::TimePoint> DeadlineOf(const Contest& c, Deadline d) {
  switch (d) {
    case Deadline::kQuizClose:
      return c.schedule.closes_at;
    case Deadline::kVideoClose:
      return c.schedule.video_closes_at;
    case Deadline::kResultsDue:
      return c.schedule.results_due_at;
  }
  return std::nullopt;
}

void SetDeadline(Contest& c, Deadline d, core::TimePoint to) {
  switch (d) {
    case Deadline::kQuizClose:
      c.schedule.closes_at = to;
      break;
    case Deadline::kVideoClose:
      c.schedule.video_closes_at = to;
      break;
    case Deadline::kResultsDue:
      c.schedule.results_due_at = to;
      break;
  }
}

/// The notice a moved deadline publishes.
Notice DeadlineNotice(const Contest& c, Deadline d, std::optional<core::TimePoint> from,
                      core::TimePoint to, const std::string& reason, core::TimePoint now) {
  Notice n;
  n.contest_id = c.id;
  n.kind = NoticeKind::kDeadline;
  n.pinned = true;
  n.publish_at = now;
  const bool later = !from || to > *from;
  const auto label = std::string(DeadlineLabel(d));
  n.title = fmt::format("{} {}", later ? "Gia hạn" : "Điều chỉnh", label);
  std::string body = fmt::format("Ban Tổ chức {} {}", later ? "gia hạn" : "điều chỉnh", label);
  if (from) body += " từ " + core::FormatDateTime(*from, c.time_zone, true);
  body += " đến " + core::FormatDateTime(to, c.time_zone, true) + " (giờ Việt Nam).";
  body += "\n\nLý do: " + reason;
  if (d == Deadline::kQuizClose) {
    body += "\n\nBài thi đang làm dở giữ nguyên thời hạn đã có khi bắt đầu làm bài.";
  }
  n.body = std::move(body);
  return n;
}

/// Writes `next` (by id, settings untouched) and its prizes, audited with `before`.
core::Status WriteContest(store::Connection& c, const ContestWithPrizes& next,
                          const std::optional<ContestWithPrizes>& before, const audit::Actor& actor,
                          audit::Action action, core::TimePoint now) {
  HOITHI_TRY(UpdateContest(c, next.contest, now));
  HOITHI_TRY(ReplacePrizes(c, next.contest.id, next.prizes));
  return audit::Record(
      c, actor,
      audit::Entry{
          next.contest.id, action, "contest", std::to_string(next.contest.id),
          before ? std::optional(ContestAuditJson(before->contest, before->prizes)) : std::nullopt,
          ContestAuditJson(next.contest, next.prizes)},
      now);
}

core::Result<ContestWithPrizes> LoadWithPrizes(store::Connection& c, std::int64_t id) {
  auto found = FindContestById(c, id);
  if (!found) return std::move(found).error();
  if (!*found) return ContestNotFound();
  auto prizes = ListPrizes(c, id);
  if (!prizes) return std::move(prizes).error();
  return ContestWithPrizes{std::move(**found), std::move(*prizes)};
}

void Clean(Contest& c) {
  c.name = core::CleanText(c.name);
  c.organiser = core::CleanText(c.organiser);
  c.contact_office = core::CleanText(c.contact_office);
  c.contact_phone = core::CleanText(c.contact_phone);
  c.contact_email = core::CleanText(c.contact_email);
  c.slug = core::CleanText(c.slug);
}

}  // namespace

std::string_view DeadlineLabel(Deadline d) {
  switch (d) {
    case Deadline::kQuizClose:
      return "thời gian kết thúc phần thi trắc nghiệm";
    case Deadline::kVideoClose:
      return "hạn nộp video dự thi";
    case Deadline::kResultsDue:
      return "thời gian công bố kết quả";
  }
  return "";
}

core::Status ValidatePrizes(const std::vector<Prize>& prizes) {
  for (std::size_t i = 0; i < prizes.size(); ++i) {
    const auto& p = prizes[i];
    const auto at = "prizes[" + std::to_string(i) + "]";
    if (p.title.empty() || !core::IsValidUtf8(p.title) || core::CodePointCount(p.title) > 200) {
      return Invalid("invalid_prize", "Vui lòng đặt tên cho giải thưởng (tối đa 200 ký tự).",
                     at + ".title");
    }
    if (p.quantity < 1 || p.quantity > 1000) {
      return Invalid("invalid_prize",
                     "Số lượng giải \"" + p.title + "\" phải là số nguyên từ 1 đến 1.000.",
                     at + ".quantity");
    }
    if (p.amount_vnd < 0 || p.amount_vnd > 1'000'000'000'000LL) {
      return Invalid("invalid_prize",
                     "Giá trị giải \"" + p.title + "\" phải là số tiền không âm (đồng).",
                     at + ".amount");
    }
  }
  return core::Ok();
}

std::int64_t PrizeBudget(const std::vector<Prize>& prizes) {
  std::int64_t total = 0;
  for (const auto& p : prizes)
    total += static_cast<std::int64_t>(p.quantity) * p.amount_vnd;
  return total;
}

std::string ContestAuditJson(const Contest& c, const std::vector<Prize>& prizes) {
  auto opt = [](const std::optional<core::TimePoint>& t) {
    return t ? json(core::FormatRfc3339(*t)) : json(nullptr);
  };
  json p = json::array();
  for (const auto& x : prizes) {
    p.push_back({{"category", std::string(PrizeCategoryName(x.category))},
                 {"title", x.title},
                 {"quantity", x.quantity},
                 {"amount", x.amount_vnd}});
  }
  return json{{"slug", c.slug},
              {"name", c.name},
              {"organiser", c.organiser},
              {"contact_office", c.contact_office},
              {"contact_phone", c.contact_phone},
              {"contact_email", c.contact_email},
              {"time_zone", c.time_zone},
              {"opens_at", core::FormatRfc3339(c.schedule.opens_at)},
              {"closes_at", core::FormatRfc3339(c.schedule.closes_at)},
              {"video_closes_at", opt(c.schedule.video_closes_at)},
              {"results_due_at", opt(c.schedule.results_due_at)},
              {"archived", c.archived_at.has_value()},
              {"prizes", p}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

ContestService::ContestService(store::Database& db, CurrentContestCache& current,
                               const core::Clock& clock)
    : db_(db), current_(current), clock_(clock) {}

void ContestService::Create(const audit::Actor& actor, ContestWithPrizes draft,
                            core::Callback<ContestWithPrizes> done) {
  Clean(draft.contest);
  draft.contest.archived_at.reset();
  if (auto st = Validate(draft.contest); !st) return done(st.error());
  if (auto st = ValidatePrizes(draft.prizes); !st) return done(st.error());
  const auto now = clock_.Now();
  auto saved = std::make_shared<ContestWithPrizes>(std::move(draft));
  db_.Write(
      [saved, actor, now](store::Connection& c) -> core::Status {
        auto id = InsertContest(c, saved->contest, now);
        if (!id) return std::move(id).error();
        saved->contest.id = *id;
        HOITHI_TRY(ReplacePrizes(c, *id, saved->prizes));
        return audit::Record(
            c, actor,
            audit::Entry{*id, actions::kContestCreate, "contest", std::to_string(*id), std::nullopt,
                         ContestAuditJson(saved->contest, saved->prizes)},
            now);
      },
      [this, saved, done](const core::Status& st) {
        if (!st) return done(st.error());
        current_.Invalidate();
        done(*saved);
      });
}

void ContestService::Update(const audit::Actor& actor, std::int64_t id, ContestWithPrizes next,
                            std::string reason, core::Callback<ContestWithPrizes> done) {
  Clean(next.contest);
  reason = core::CleanText(reason);
  next.contest.id = id;
  if (auto st = Validate(next.contest); !st) return done(st.error());
  if (auto st = ValidatePrizes(next.prizes); !st) return done(st.error());
  const auto now = clock_.Now();
  auto saved = std::make_shared<ContestWithPrizes>(std::move(next));
  db_.Write(
      [saved, actor, id, reason, now](store::Connection& c) -> core::Status {
        HOITHI_TRY(store::LockKey(c, "contest:" + std::to_string(id)));
        auto before = LoadWithPrizes(c, id);
        if (!before) return std::move(before).error();
        // What the console does not edit stays as stored.
        saved->contest.settings = before->contest.settings;
        saved->contest.archived_at = before->contest.archived_at;
        std::vector<std::pair<Deadline, std::optional<core::TimePoint>>> moved;
        if (PhaseAt(before->contest, now) != Phase::kNotOpen) {
          for (const auto d :
               {Deadline::kQuizClose, Deadline::kVideoClose, Deadline::kResultsDue}) {
            const auto from = DeadlineOf(before->contest, d);
            const auto to = DeadlineOf(saved->contest, d);
            if (from != to && to) moved.emplace_back(d, from);
          }
          if (!moved.empty() && reason.empty()) {
            return Invalid("reason_required",
                           "Hội thi đã bắt đầu: vui lòng ghi lý do thay đổi thời hạn (lý do được "
                           "đăng trong thông báo gửi các đơn vị).",
                           "reason");
          }
        }
        HOITHI_TRY(WriteContest(c, *saved, *before, actor, actions::kContestUpdate, now));
        for (const auto& [d, from] : moved) {
          const auto notice =
              DeadlineNotice(saved->contest, d, from, *DeadlineOf(saved->contest, d), reason, now);
          auto notice_id = InsertNotice(c, notice, now);
          if (!notice_id) return std::move(notice_id).error();
        }
        return core::Ok();
      },
      [this, saved, done](const core::Status& st) {
        if (!st) return done(st.error());
        current_.Invalidate();
        done(*saved);
      });
}

void ContestService::MoveDeadline(const audit::Actor& actor, std::int64_t id, Deadline which,
                                  core::TimePoint to, std::string reason,
                                  core::Callback<Contest> done) {
  reason = core::CleanText(reason);
  if (reason.empty()) {
    return done(Invalid("reason_required",
                        "Vui lòng ghi lý do thay đổi thời hạn (lý do được đăng trong thông báo).",
                        "reason"));
  }
  const auto now = clock_.Now();
  auto saved = std::make_shared<Contest>();
  db_.Write(
      [saved, actor, id, which, to, reason, now](store::Connection& c) -> core::Status {
        HOITHI_TRY(store::LockKey(c, "contest:" + std::to_string(id)));
        auto before = LoadWithPrizes(c, id);
        if (!before) return std::move(before).error();
        ContestWithPrizes next = *before;
        const auto from = DeadlineOf(before->contest, which);
        SetDeadline(next.contest, which, to);
        HOITHI_TRY(Validate(next.contest));
        HOITHI_TRY(WriteContest(c, next, *before, actor, actions::kDeadlineMove, now));
        auto notice_id =
            InsertNotice(c, DeadlineNotice(next.contest, which, from, to, reason, now), now);
        if (!notice_id) return std::move(notice_id).error();
        *saved = next.contest;
        return core::Ok();
      },
      [this, saved, done](const core::Status& st) {
        if (!st) return done(st.error());
        current_.Invalidate();
        done(*saved);
      });
}

void ContestService::SetArchived(const audit::Actor& actor, std::int64_t id, bool archived,
                                 core::Callback<Contest> done) {
  const auto now = clock_.Now();
  auto saved = std::make_shared<Contest>();
  db_.Write(
      [saved, actor, id, archived, now](store::Connection& c) -> core::Status {
        auto before = LoadWithPrizes(c, id);
        if (!before) return std::move(before).error();
        ContestWithPrizes next = *before;
        next.contest.archived_at = archived ? std::optional(now) : std::nullopt;
        HOITHI_TRY(WriteContest(c, next, *before, actor,
                                archived ? actions::kContestArchive : actions::kContestRestore,
                                now));
        *saved = next.contest;
        return core::Ok();
      },
      [this, saved, done](const core::Status& st) {
        if (!st) return done(st.error());
        current_.Invalidate();
        done(*saved);
      });
}

}  // namespace hoithi::contest
