// JudgingService: who scores what, the sheets, the board, the lock and the scores.
#include "judging/judging_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "accounts/users.hpp"
#include "audit/audit_log.hpp"
#include "core/reason.hpp"
#include "core/text.hpp"
#include "judging/audit_actions.hpp"
#include "judging/score_sheets.hpp"

namespace hoithi::judging {
namespace {

using accounts::Role;
using core::ErrorKind;
using nlohmann::json;

bool IsFollower(const accounts::SignedIn& actor, std::int64_t contest_id) {
  return (actor.role == Role::kAdmin || actor.role == Role::kSecretary) &&
         actor.WorksIn(contest_id);
}

bool IsJudge(const accounts::SignedIn& actor, std::int64_t contest_id) {
  return actor.role == Role::kJudge && actor.WorksIn(contest_id);
}

core::Error Forbidden(std::string code, std::string message) {
  return core::MakeError(ErrorKind::kForbidden, std::move(code), std::move(message));
}

core::Error OrganisersOnly() {
  return Forbidden("forbidden", "Chỉ Ban Tổ chức được thực hiện thao tác này.");
}

core::Error Locked() {
  return Forbidden("judging_locked",
                   "Việc chấm điểm video đã khóa: không thể thay đổi điểm hay phân công nữa.");
}

core::Error Invalid(std::string field, std::string message) {
  auto e = core::MakeError(ErrorKind::kValidation, "validation", std::move(message), field);
  e.fields = {{e.field, e.message}};
  return e;
}

std::string JudgingKey(std::int64_t contest_id) {
  return "judging:" + std::to_string(contest_id);
}

audit::Entry AuditOf(std::int64_t contest_id, const audit::Action& action, std::string target_type,
                     std::string target_id, std::optional<std::string> before,
                     std::optional<std::string> after) {
  return audit::Entry{
      contest_id,        action,          std::move(target_type), std::move(target_id),
      std::move(before), std::move(after)};
}

std::string SheetJson(const Sheet& s) {
  json points = json::object();
  for (const auto& [key, value] : s.points)
    points[key] = contest::PointsToNumber(value);
  return json{
      {"entry_id", s.entry_id}, {"judge_id", s.judge_id}, {"status", SheetStatusCode(s.status)},
      {"points", points},       {"comment", s.comment},   {"abstain_reason", s.abstain_reason}}
      .dump();
}

/// Whether a sheet scored under `before` would mean something else under `after`: a criterion
/// added, removed or given another maximum, or another step. (Names and descriptions may be
/// reworded.)
bool ScoringChanged(const contest::JudgingRules& before, const contest::JudgingRules& after) {
  if (before.step != after.step || before.criteria.size() != after.criteria.size()) return true;
  for (std::size_t i = 0; i < before.criteria.size(); ++i) {
    if (before.criteria[i].key != after.criteria[i].key ||
        before.criteria[i].max != after.criteria[i].max) {
      return true;
    }
  }
  return false;
}

/// The write of a judge's sheet: under the contest's judging lock key, refused once locked.
core::Status WriteSheet(store::Connection& c, const Sheet& sheet) {
  HOITHI_TRY(store::LockKey(c, JudgingKey(sheet.contest_id)));
  auto lock = FindLock(c, sheet.contest_id);
  if (!lock) return std::move(lock).error();
  if (*lock) return Locked();
  return SaveSheet(c, sheet);
}

}  // namespace

std::string_view CellStateCode(CellState s) {
  switch (s) {
    case CellState::kNotStarted:
      return "not_started";
    case CellState::kDraft:
      return "draft";
    case CellState::kSubmitted:
      return "submitted";
    case CellState::kAbstained:
      return "abstained";
  }
  return "not_started";
}

std::string_view CellStateLabel(CellState s) {
  switch (s) {
    case CellState::kNotStarted:
      return "Chưa chấm";
    case CellState::kDraft:
      return "Đang chấm (bản nháp)";
    case CellState::kSubmitted:
      return "Đã nộp điểm";
    case CellState::kAbstained:
      return "Xin không chấm";
  }
  return "";
}

CellState Board::StateOf(const Pair& pair) const {
  const auto it = sheets.find(pair);
  if (it == sheets.end()) return CellState::kNotStarted;
  switch (it->second.status) {
    case SheetStatus::kDraft:
      return CellState::kDraft;
    case SheetStatus::kSubmitted:
      return CellState::kSubmitted;
    case SheetStatus::kAbstained:
      return CellState::kAbstained;
  }
  return CellState::kNotStarted;
}

std::vector<Pair> Board::Missing() const {
  std::vector<Pair> out;
  for (const auto& pair : assigned) {
    const auto state = StateOf(pair);
    if (state != CellState::kSubmitted && state != CellState::kAbstained) out.push_back(pair);
  }
  return out;
}

const Judge* Board::FindJudge(std::int64_t id) const {
  for (const auto& j : judges) {
    if (j.id == id) return &j;
  }
  return nullptr;
}

const video::Entry* Board::FindEntry(std::int64_t id) const {
  for (const auto& e : entries) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

JudgingService::JudgingService(store::Database& db, const core::Clock& clock,
                               contest::SettingsService& settings)
    : db_(db), clock_(clock), settings_(settings) {}

core::Result<Board> JudgingService::LoadBoard(store::Connection& conn,
                                              const contest::Contest& contest) {
  Board b;
  b.rules = contest.settings->judging;
  auto users = accounts::ActiveUsersWithRole(conn, contest.id, Role::kJudge);
  if (!users) return std::move(users).error();
  for (auto& u : *users)
    b.judges.push_back({u.id, std::move(u.login), std::move(u.full_name), u.unit_id});
  auto entries = video::ListEntries(conn, contest.id);
  if (!entries) return std::move(entries).error();
  for (auto& e : *entries) {
    if (e.status == video::EntryStatus::kReady) b.entries.push_back(std::move(e));
  }
  std::set<Pair> explicit_pairs;
  if (b.rules.assignment == contest::Assignment::kExplicit) {
    auto listed = ListAssignments(conn, contest.id);
    if (!listed) return std::move(listed).error();
    explicit_pairs = std::move(*listed);
  }
  for (const auto& j : b.judges) {
    for (const auto& e : b.entries) {
      const Pair pair{j.id, e.id};
      if (j.unit_id && *j.unit_id == e.unit_id) {
        b.conflicts.insert(pair);
      } else if (b.rules.assignment == contest::Assignment::kAll || explicit_pairs.contains(pair)) {
        b.assigned.insert(pair);
      }
    }
  }
  auto sheets = ListSheets(conn, contest.id);
  if (!sheets) return std::move(sheets).error();
  b.sheets = std::move(*sheets);
  auto lock = FindLock(conn, contest.id);
  if (!lock) return std::move(lock).error();
  b.lock = *lock;
  return b;
}

core::Result<Board> JudgingService::Progress(const accounts::SignedIn& actor,
                                             const contest::Contest& contest) {
  if (!IsFollower(actor, contest.id)) {
    return Forbidden("forbidden", "Chỉ Ban Tổ chức và Tổ Thư ký theo dõi tiến độ chấm.");
  }
  return Load(contest);
}

core::Result<std::vector<QueueItem>> JudgingService::Queue(const accounts::SignedIn& judge,
                                                           const contest::Contest& contest) {
  if (!IsJudge(judge, contest.id)) {
    return Forbidden("forbidden", "Chỉ thành viên Ban Giám khảo có danh sách video để chấm.");
  }
  auto board = Load(contest);
  if (!board) return std::move(board).error();
  std::vector<QueueItem> out;
  for (auto& e : board->entries) {
    const Pair pair{judge.user_id, e.id};
    if (!board->assigned.contains(pair)) continue;
    QueueItem item{std::move(e), board->StateOf(pair), std::nullopt, board->lock.has_value()};
    if (const auto it = board->sheets.find(pair); it != board->sheets.end())
      item.sheet = it->second;
    out.push_back(std::move(item));
  }
  return out;
}

core::Result<QueueItem> JudgingService::ForJudge(const accounts::SignedIn& judge,
                                                 const contest::Contest& contest,
                                                 std::int64_t entry_id) {
  if (!IsJudge(judge, contest.id)) {
    return Forbidden("forbidden", "Chỉ thành viên Ban Giám khảo chấm điểm video.");
  }
  auto lease = db_.Read();
  auto entry = video::FindEntry(*lease, entry_id);
  if (!entry) return std::move(entry).error();
  if (!*entry || (*entry)->contest_id != contest.id ||
      (*entry)->status != video::EntryStatus::kReady) {
    return core::MakeError(ErrorKind::kNotFound, "not_found", "Không tìm thấy video cần chấm.");
  }
  if (judge.unit_id && *judge.unit_id == (*entry)->unit_id) {
    return Forbidden("conflict_of_interest",
                     "Giám khảo không chấm video của đơn vị mình (xung đột lợi ích).");
  }
  if (contest.settings->judging.assignment == contest::Assignment::kExplicit) {
    auto assigned = ListAssignments(*lease, contest.id);
    if (!assigned) return std::move(assigned).error();
    if (!assigned->contains({judge.user_id, entry_id})) {
      return Forbidden("not_assigned", "Video này không được phân công cho bạn chấm.");
    }
  }
  auto sheet = FindSheet(*lease, entry_id, judge.user_id);
  if (!sheet) return std::move(sheet).error();
  auto lock = FindLock(*lease, contest.id);
  if (!lock) return std::move(lock).error();
  QueueItem item{std::move(**entry), CellState::kNotStarted, *sheet, lock->has_value()};
  if (*sheet) {
    item.state = (*sheet)->status == SheetStatus::kSubmitted   ? CellState::kSubmitted
                 : (*sheet)->status == SheetStatus::kAbstained ? CellState::kAbstained
                                                               : CellState::kDraft;
  }
  return item;
}

void JudgingService::Save(const accounts::SignedIn& judge, const accounts::ClientInfo& client,
                          const contest::Contest& contest, std::int64_t entry_id, SheetInput input,
                          bool submit, core::Callback<Sheet> done) {
  auto item = ForJudge(judge, contest, entry_id);
  if (!item) return done(std::move(item).error());
  const auto& rules = contest.settings->judging;
  if (rules.criteria.empty()) {
    return done(core::MakeError(ErrorKind::kConflict, "no_rubric",
                                "Ban Tổ chức chưa công bố thang điểm chấm video."));
  }
  auto sheet = std::make_shared<Sheet>();
  sheet->contest_id = contest.id;
  sheet->entry_id = entry_id;
  sheet->judge_id = judge.user_id;
  // Every value at fault is named, the first one also as the error's field.
  std::vector<std::pair<std::string, std::string>> faults;
  for (const auto& [key, value] : input.points) {
    const auto field = "points." + key;
    const auto* criterion = rules.Find(key);
    if (!criterion) {
      faults.emplace_back(field, "Tiêu chí \"" + key + "\" không có trong thang điểm.");
      continue;
    }
    if (!value) {
      faults.emplace_back(field, "Điểm " + criterion->name + " phải là một số.");
      continue;
    }
    const auto points = contest::PointsFromNumber(*value);
    if (!points || *points < 0 || *points > criterion->max) {
      faults.emplace_back(field, "Điểm " + criterion->name + " phải từ 0 đến " +
                                     contest::FormatPoints(criterion->max) + ".");
      continue;
    }
    if (*points % rules.step != 0) {
      faults.emplace_back(field, "Điểm " + criterion->name + " chấm theo bước " +
                                     contest::FormatPoints(rules.step) + " điểm.");
      continue;
    }
    sheet->points[key] = *points;
  }
  if (submit) {
    for (const auto& c : rules.criteria) {
      if (!input.points.contains(c.key)) {
        faults.emplace_back("points." + c.key, "Hãy chấm tiêu chí " + c.name + ".");
      }
    }
  }
  if (!core::IsValidUtf8(input.comment))
    faults.emplace_back("comment", "Nhận xét không đúng mã UTF-8.");
  else if (core::CodePointCount(input.comment) > 5000) {
    faults.emplace_back("comment", "Nhận xét tối đa 5.000 ký tự.");
  }
  if (!faults.empty()) {
    auto e = Invalid(faults.front().first, faults.front().second);
    e.fields = std::move(faults);
    return done(std::move(e));
  }
  sheet->comment = core::ToNfc(input.comment);
  const auto now = clock_.Now();
  sheet->status = submit ? SheetStatus::kSubmitted : SheetStatus::kDraft;
  sheet->updated_at = now;
  if (submit) sheet->submitted_at = now;
  const auto actor = accounts::ActorOf(judge, client);
  db_.Write(
      [sheet, submit, actor, now](store::Connection& c) -> core::Status {
        HOITHI_TRY(WriteSheet(c, *sheet));
        if (!submit) return core::Ok();
        return audit::Record(
            c, actor,
            AuditOf(sheet->contest_id, actions::kSubmit, "video_entry",
                    std::to_string(sheet->entry_id), std::nullopt, SheetJson(*sheet)),
            now);
      },
      [sheet, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(*sheet);
      });
}

void JudgingService::Abstain(const accounts::SignedIn& judge, const accounts::ClientInfo& client,
                             const contest::Contest& contest, std::int64_t entry_id,
                             std::string reason, core::Callback<Sheet> done) {
  auto item = ForJudge(judge, contest, entry_id);
  if (!item) return done(std::move(item).error());
  auto cleaned = core::CleanReason(std::move(reason));
  if (!cleaned) return done(std::move(cleaned).error());
  const auto now = clock_.Now();
  auto sheet = std::make_shared<Sheet>();
  sheet->contest_id = contest.id;
  sheet->entry_id = entry_id;
  sheet->judge_id = judge.user_id;
  sheet->status = SheetStatus::kAbstained;
  sheet->abstain_reason = std::move(*cleaned);
  sheet->updated_at = now;
  const auto actor = accounts::ActorOf(judge, client);
  db_.Write(
      [sheet, actor, now](store::Connection& c) -> core::Status {
        HOITHI_TRY(WriteSheet(c, *sheet));
        return audit::Record(
            c, actor,
            AuditOf(sheet->contest_id, actions::kAbstain, "video_entry",
                    std::to_string(sheet->entry_id), std::nullopt, SheetJson(*sheet)),
            now);
      },
      [sheet, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(*sheet);
      });
}

void JudgingService::SaveRules(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                               const contest::Contest& contest, contest::JudgingRules rules,
                               bool reopen_submitted, core::Callback<contest::JudgingRules> done) {
  if (!actor.Organises(contest.id)) return done(OrganisersOnly());
  const auto audit_actor = accounts::ActorOf(actor, client);
  const auto contest_id = contest.id;
  const auto now = clock_.Now();
  settings_.EditJudgingRules(
      audit_actor, contest.id,
      [rules = std::move(rules), reopen_submitted, audit_actor, contest_id, now](
          store::Connection& c,
          const contest::JudgingRules& stored) -> core::Result<contest::JudgingRules> {
        HOITHI_TRY(store::LockKey(c, JudgingKey(contest_id)));
        auto lock = FindLock(c, contest_id);
        if (!lock) return std::move(lock).error();
        if (*lock) return Locked();
        // How scores are combined, blind judging and assignment may change under submitted
        // sheets; what a sheet's points mean (the criteria's keys and maxima, the step) may not.
        if (!ScoringChanged(stored, rules)) return rules;
        auto submitted = CountSubmitted(c, contest_id);
        if (!submitted) return std::move(submitted).error();
        if (*submitted > 0 && !reopen_submitted) {
          return core::MakeError(
              ErrorKind::kConflict, "rubric_in_use",
              fmt::format("Đã có {} phiếu chấm được nộp theo thang điểm hiện tại. Đổi thang "
                          "điểm sẽ mở lại các phiếu đó để giám khảo chấm lại; hãy xác nhận nếu "
                          "muốn tiếp tục.",
                          *submitted));
        }
        if (*submitted > 0) {
          auto reopened = ReopenSubmitted(c, contest_id, now);
          if (!reopened) return std::move(reopened).error();
          HOITHI_TRY(audit::Record(
              c, audit_actor,
              AuditOf(contest_id, actions::kReopen, "contest", std::to_string(contest_id),
                      std::nullopt, json{{"reopened_sheets", *reopened}}.dump()),
              now));
        }
        return rules;
      },
      std::move(done));
}

core::Result<std::set<Pair>> JudgingService::Balanced(const Board& board, int per_video) {
  if (per_video < 1) return Invalid("per_video", "Mỗi video cần ít nhất 1 giám khảo chấm.");
  std::map<std::int64_t, int> load;
  for (const auto& j : board.judges)
    load[j.id] = 0;
  std::set<Pair> out;
  for (const auto& e : board.entries) {
    std::vector<std::int64_t> eligible;
    for (const auto& j : board.judges) {
      if (!(j.unit_id && *j.unit_id == e.unit_id)) eligible.push_back(j.id);
    }
    if (static_cast<int>(eligible.size()) < per_video) {
      return Invalid("per_video",
                     fmt::format("Video \"{}\" chỉ có {} giám khảo được phép chấm (không cùng đơn "
                                 "vị), ít hơn {} giám khảo yêu cầu.",
                                 e.fields.title, eligible.size(), per_video));
    }
    std::stable_sort(eligible.begin(), eligible.end(), [&](std::int64_t a, std::int64_t b) {
      return load[a] != load[b] ? load[a] < load[b] : a < b;
    });
    for (int i = 0; i < per_video; ++i) {
      out.insert({eligible[static_cast<std::size_t>(i)], e.id});
      ++load[eligible[static_cast<std::size_t>(i)]];
    }
  }
  return out;
}

void JudgingService::Assign(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                            const contest::Contest& contest, std::set<Pair> pairs,
                            core::Callback<Board> done) {
  if (!actor.Organises(contest.id)) return done(OrganisersOnly());
  const auto audit_actor = accounts::ActorOf(actor, client);
  const auto now = clock_.Now();
  auto board = std::make_shared<Board>();
  db_.Write(
      [board, pairs = std::move(pairs), contest, audit_actor,
       now](store::Connection& c) -> core::Status {
        HOITHI_TRY(store::LockKey(c, JudgingKey(contest.id)));
        auto loaded = LoadBoard(c, contest);
        if (!loaded) return std::move(loaded).error();
        if (loaded->lock) return Locked();
        for (const auto& [judge_id, entry_id] : pairs) {
          const auto* judge = loaded->FindJudge(judge_id);
          const auto* entry = loaded->FindEntry(entry_id);
          if (!judge || !entry) {
            return Invalid(
                "assignments",
                "Phân công phải nêu một giám khảo và một video đã sẵn sàng của hội thi.");
          }
          if (judge->unit_id && *judge->unit_id == entry->unit_id) {
            return Invalid("assignments", "Giám khảo " + judge->full_name +
                                              " không thể chấm video của đơn vị mình.");
          }
        }
        auto before = ListAssignments(c, contest.id);
        if (!before) return std::move(before).error();
        HOITHI_TRY(ReplaceAssignments(c, contest.id, pairs));
        const auto as_json = [](const std::set<Pair>& ps) {
          json list = json::array();
          for (const auto& [j, e] : ps)
            list.push_back({j, e});
          return list.dump();
        };
        HOITHI_TRY(
            audit::Record(c, audit_actor,
                          AuditOf(contest.id, actions::kAssign, "contest",
                                  std::to_string(contest.id), as_json(*before), as_json(pairs)),
                          now));
        auto after = LoadBoard(c, contest);
        if (!after) return std::move(after).error();
        *board = std::move(*after);
        return core::Ok();
      },
      [board, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(std::move(*board));
      });
}

void JudgingService::Lock(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                          const contest::Contest& contest, core::Callback<Board> done) {
  if (!actor.Organises(contest.id)) return done(OrganisersOnly());
  const auto audit_actor = accounts::ActorOf(actor, client);
  const auto now = clock_.Now();
  const auto by = actor.user_id;
  auto board = std::make_shared<Board>();
  db_.Write(
      [board, contest, audit_actor, now, by](store::Connection& c) -> core::Status {
        HOITHI_TRY(store::LockKey(c, JudgingKey(contest.id)));
        auto loaded = LoadBoard(c, contest);
        if (!loaded) return std::move(loaded).error();
        if (loaded->lock) {
          return core::MakeError(ErrorKind::kConflict, "already_locked",
                                 "Việc chấm điểm video đã được khóa trước đó.");
        }
        if (loaded->rules.criteria.empty() || loaded->entries.empty()) {
          return core::MakeError(ErrorKind::kConflict, "nothing_to_lock",
                                 "Chưa có thang điểm hoặc chưa có video nào để chấm.");
        }
        if (const auto missing = loaded->Missing(); !missing.empty()) {
          auto e = core::MakeError(
              ErrorKind::kConflict, "scores_missing",
              fmt::format("Còn {} phiếu chấm chưa nộp; chưa thể khóa việc chấm điểm.",
                          missing.size()));
          for (const auto& [judge_id, entry_id] : missing) {
            const auto* judge = loaded->FindJudge(judge_id);
            const auto* entry = loaded->FindEntry(entry_id);
            e.fields.emplace_back(
                fmt::format("{}:{}", judge_id, entry_id),
                fmt::format("{} chưa nộp điểm video \"{}\"", judge ? judge->full_name : "",
                            entry ? entry->fields.title : ""));
          }
          return e;
        }
        HOITHI_TRY(SetLock(c, contest.id, by, now));
        HOITHI_TRY(
            audit::Record(c, audit_actor,
                          AuditOf(contest.id, actions::kLock, "contest", std::to_string(contest.id),
                                  std::nullopt, json{{"sheets", loaded->sheets.size()}}.dump()),
                          now));
        loaded->lock = judging::Lock{now, by};
        *board = std::move(*loaded);
        return core::Ok();
      },
      [board, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(std::move(*board));
      });
}

void JudgingService::Unlock(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                            const contest::Contest& contest, std::string reason,
                            core::Callback<Board> done) {
  if (!actor.Organises(contest.id)) {
    return done(Forbidden("forbidden", "Chỉ quản trị viên được mở khóa việc chấm điểm."));
  }
  auto cleaned = core::CleanReason(std::move(reason));
  if (!cleaned) return done(std::move(cleaned).error());
  const auto audit_actor = accounts::ActorOf(actor, client);
  const auto now = clock_.Now();
  auto board = std::make_shared<Board>();
  db_.Write(
      [board, contest, audit_actor, now,
       why = std::move(*cleaned)](store::Connection& c) -> core::Status {
        HOITHI_TRY(store::LockKey(c, JudgingKey(contest.id)));
        auto lock = FindLock(c, contest.id);
        if (!lock) return std::move(lock).error();
        if (!*lock) {
          return core::MakeError(ErrorKind::kConflict, "not_locked",
                                 "Việc chấm điểm video chưa bị khóa.");
        }
        HOITHI_TRY(ClearLock(c, contest.id));
        HOITHI_TRY(audit::Record(
            c, audit_actor,
            AuditOf(contest.id, actions::kUnlock, "contest", std::to_string(contest.id),
                    std::nullopt, json{{"reason", why}}.dump()),
            now));
        auto loaded = LoadBoard(c, contest);
        if (!loaded) return std::move(loaded).error();
        *board = std::move(*loaded);
        return core::Ok();
      },
      [board, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(std::move(*board));
      });
}

core::Result<Board> JudgingService::Load(const contest::Contest& contest) {
  auto lease = db_.Read();
  return LoadBoard(*lease, contest);
}

Standing JudgingService::Aggregate(const Board& board) {
  Standing out;
  out.rules = board.rules;
  out.locked = board.lock.has_value();
  std::map<std::int64_t, std::int64_t> unit_of;
  for (const auto& e : board.entries)
    unit_of[e.id] = e.unit_id;
  for (const auto& [pair, sheet] : board.sheets) {
    // Only sheets still owed count: a judge since disabled, or a pair no longer assigned, not.
    if (sheet.status != SheetStatus::kSubmitted || !board.assigned.contains(pair)) continue;
    out.totals.push_back(
        {pair.first, pair.second, contest::PointsToNumber(SheetTotal(sheet, board.rules))});
  }
  out.videos = ScoreVideos(board.rules.aggregation, out.totals, unit_of,
                           contest::PointsToNumber(board.rules.Total()));
  out.units = ScoreUnits(board.rules.unit_score, out.videos);
  return out;
}

core::Result<Standing> JudgingService::Scores(const accounts::SignedIn& actor,
                                              const contest::Contest& contest) {
  const bool judge = IsJudge(actor, contest.id);
  if (!judge && !IsFollower(actor, contest.id)) {
    return Forbidden("forbidden", "Bạn không có quyền xem điểm chấm video.");
  }
  auto board = Load(contest);
  if (!board) return std::move(board).error();
  // Before the lock a judge sees no one's totals, their own included (the same answer for all).
  if (judge && !board->lock) {
    return Forbidden("judging_not_locked",
                     "Kết quả chấm chỉ được xem sau khi Ban Tổ chức khóa việc chấm điểm.");
  }
  return Aggregate(*board);
}

core::Result<spreadsheet::Sheet> JudgingService::SummarySheet(const accounts::SignedIn& actor,
                                                              const contest::Contest& contest) {
  if (!IsFollower(actor, contest.id)) {
    return Forbidden("forbidden", "Chỉ Ban Tổ chức và Tổ Thư ký tải bảng tổng hợp điểm.");
  }
  auto board = Load(contest);
  if (!board) return std::move(board).error();
  auto lease = db_.Read();
  auto units = units::UnitsById(*lease, contest.id);
  if (!units) return std::move(units).error();
  return judging::SummarySheet(*board, Aggregate(*board), *units);
}

core::Result<spreadsheet::Sheet> JudgingService::JudgeSheet(const accounts::SignedIn& actor,
                                                            const contest::Contest& contest,
                                                            std::int64_t judge_id) {
  const bool self = IsJudge(actor, contest.id) && actor.user_id == judge_id;
  if (!self && !IsFollower(actor, contest.id)) {
    return Forbidden("forbidden", "Bạn chỉ tải được phiếu chấm của chính mình.");
  }
  auto board = Load(contest);
  if (!board) return std::move(board).error();
  if (!board->FindJudge(judge_id)) {
    return core::MakeError(ErrorKind::kNotFound, "not_found", "Không tìm thấy giám khảo.");
  }
  auto lease = db_.Read();
  auto units = units::UnitsById(*lease, contest.id);
  if (!units) return std::move(units).error();
  return JudgeScoreSheet(*board, judge_id, *units, self && board->rules.blind);
}

}  // namespace hoithi::judging
