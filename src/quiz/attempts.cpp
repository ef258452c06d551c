// AttemptService: starting, answering, grading and finalising attempts; counted results; ranks.
#include "quiz/attempts.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "contest/rounds.hpp"
#include "core/time_format.hpp"
#include "quiz/audit_actions.hpp"
#include "quiz/draw.hpp"
#include "quiz/ranking.hpp"

namespace hoithi::quiz {
namespace {

using core::ErrorKind;
using nlohmann::json;

constexpr std::string_view kAttemptColumns =
    "id, contest_id, round_key, user_id, unit_id, number, status, started_at, deadline_at,"
    " cutoff_at, finished_at, correct, total, duration_ms, prediction, option_ids";

AttemptStatus ParseStatus(std::string_view s) {
  if (s == "submitted") return AttemptStatus::kSubmitted;
  if (s == "expired") return AttemptStatus::kExpired;
  return AttemptStatus::kActive;
}

Attempt AttemptFromRow(const store::Row& r) {
  Attempt a;
  a.id = r.Int(0);
  a.contest_id = r.Int(1);
  a.round_key = r.Int(2);
  a.user_id = r.Int(3);
  a.unit_id = r.OptInt(4);
  a.number = static_cast<int>(r.Int(5));
  a.status = ParseStatus(r.Text(6));
  a.started_at = core::FromEpochMs(r.Int(7));
  a.deadline_at = core::FromEpochMs(r.Int(8));
  a.cutoff_at = core::FromEpochMs(r.Int(9));
  if (!r.IsNull(10)) a.finished_at = core::FromEpochMs(r.Int(10));
  if (!r.IsNull(11)) a.correct = static_cast<int>(r.Int(11));
  a.total = static_cast<int>(r.Int(12));
  a.duration_ms = r.OptInt(13);
  a.prediction = r.OptInt(14);
  a.positional_option_ids = r.Str(15) == "position";
  return a;
}

/// An item's option order as stored: "[2,0,3,1]" (written by json(...).dump() at the start).
std::vector<int> ParseOptionOrder(std::string_view text) {
  std::vector<int> out;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    if (*p < '0' || *p > '9') {
      ++p;
      continue;
    }
    int v = 0;
    p = std::from_chars(p, end, v).ptr;
    out.push_back(v);
  }
  return out;
}

core::Error NotFound() {
  return core::MakeError(ErrorKind::kNotFound, "not_found", "Không tìm thấy bài thi.");
}

core::Error Closed() {
  return core::MakeError(ErrorKind::kConflict, "attempt_closed",
                         "Bài thi đã kết thúc, không nhận thêm câu trả lời.");
}

/// The option an answer names (its id in the attempt) as its index in the question version; empty
/// when the attempt shows no such option.
std::optional<int> OptionIndex(const Attempt& a, const AttemptItem& item, int option_id) {
  if (option_id < 0 || option_id >= static_cast<int>(item.option_order.size())) return std::nullopt;
  if (!a.positional_option_ids) return option_id;  // an attempt from before per-attempt ids
  return item.option_order[static_cast<std::size_t>(option_id)];
}

/// The id in the attempt of the option at `index` in the version.
std::optional<int> OptionId(const Attempt& a, const AttemptItem& item, int index) {
  if (!a.positional_option_ids) return index;
  const auto at = std::find(item.option_order.begin(), item.option_order.end(), index);
  if (at == item.option_order.end()) return std::nullopt;
  return static_cast<int>(at - item.option_order.begin());
}

std::string Window(core::TimePoint from, core::TimePoint to, const std::string& tz) {
  return fmt::format("từ {} đến {}", core::FormatDateTime(from, tz),
                     core::FormatDateTime(to, tz, true));
}

std::uint64_t NewSeed() {
  static thread_local std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32 | device()) & 0x7fffffffffffffffULL;
}

/// Better by the counted-attempt comparison: more correct, then faster, then earlier.
bool Better(int correct, std::int64_t duration, std::int64_t finished, int other_correct,
            std::int64_t other_duration, std::int64_t other_finished) {
  if (correct != other_correct) return correct > other_correct;
  if (duration != other_duration) return duration < other_duration;
  return finished < other_finished;
}

/// Updates the counted result of (contest, round_key, user) with a finalised attempt: replaces it
/// when the attempt counts instead, and counts the attempt in either case. Appends the result as
/// it now stands to `written`.
core::Status UpdateResult(store::Connection& c, const Attempt& a, std::int64_t round_key,
                          contest::CountedAttempt counted, std::vector<WrittenResult>& written) {
  std::optional<Standing> existing;
  HOITHI_TRY(
      c.Query(std::string("SELECT ") + kStandingColumns +
                  " FROM quiz_results WHERE contest_id = $1 AND round_key = $2 AND user_id = $3",
              {a.contest_id, round_key, a.user_id},
              [&](const store::Row& r) { existing = StandingFromRow(r); }));
  const auto finished = core::ToEpochMs(*a.finished_at);
  const bool replace = !existing || counted == contest::CountedAttempt::kLast ||
                       (counted == contest::CountedAttempt::kBest &&
                        Better(*a.correct, *a.duration_ms, finished, existing->correct,
                               existing->duration_ms, existing->finished_ms));
  Standing now;
  if (replace) {
    now.user_id = a.user_id;
    now.unit_id = a.unit_id.value_or(0);
    now.correct = *a.correct;
    now.duration_ms = *a.duration_ms;
    now.finished_ms = finished;
    now.prediction = a.prediction.value_or(Standing::kNoPrediction);
    now.attempts = existing ? existing->attempts + 1 : 1;
    auto r = c.Exec(
        "INSERT INTO quiz_results (contest_id, round_key, user_id, unit_id, attempt_id, correct,"
        " duration_ms, finished_at, prediction, attempts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
        " $9, $10) ON CONFLICT (contest_id, round_key, user_id) DO UPDATE SET"
        " unit_id = excluded.unit_id, attempt_id = excluded.attempt_id,"
        " correct = excluded.correct, duration_ms = excluded.duration_ms,"
        " finished_at = excluded.finished_at, prediction = excluded.prediction,"
        " attempts = excluded.attempts",
        {a.contest_id, round_key, a.user_id, a.unit_id, a.id, *a.correct, *a.duration_ms, finished,
         a.prediction, now.attempts});
    if (!r) return std::move(r).error();
  } else {
    now = *existing;
    ++now.attempts;
    auto r = c.Exec(
        "UPDATE quiz_results SET attempts = $4 WHERE contest_id = $1 AND round_key = $2 AND"
        " user_id = $3",
        {a.contest_id, round_key, a.user_id, now.attempts});
    if (!r) return std::move(r).error();
  }
  written.push_back(WrittenResult{a.contest_id, round_key, now});
  return core::Ok();
}

}  // namespace

std::string_view AttemptStatusCode(AttemptStatus s) {
  switch (s) {
    case AttemptStatus::kActive:
      return "active";
    case AttemptStatus::kSubmitted:
      return "submitted";
    case AttemptStatus::kExpired:
      return "expired";
  }
  return "active";
}

std::string_view AttemptStatusLabel(AttemptStatus s) {
  switch (s) {
    case AttemptStatus::kActive:
      return "Đang làm bài";
    case AttemptStatus::kSubmitted:
      return "Đã nộp bài";
    case AttemptStatus::kExpired:
      return "Hết giờ, hệ thống đã nộp bài";
  }
  return "";
}

core::Result<std::optional<Attempt>> LoadAttempt(store::Connection& conn, std::int64_t attempt_id) {
  std::optional<Attempt> out;
  HOITHI_TRY(conn.Query("SELECT " + std::string(kAttemptColumns) + " FROM attempts WHERE id = $1",
                        {attempt_id}, [&](const store::Row& r) { out = AttemptFromRow(r); }));
  if (!out) return out;
  HOITHI_TRY(conn.Query(
      "SELECT position, question_id, version, option_order, answer, correct FROM attempt_items"
      " WHERE attempt_id = $1 ORDER BY position",
      {attempt_id}, [&](const store::Row& r) {
        AttemptItem item;
        item.position = static_cast<int>(r.Int(0));
        item.question_id = r.Int(1);
        item.version = static_cast<int>(r.Int(2));
        item.option_order = ParseOptionOrder(r.Text(3));
        if (!r.IsNull(4)) item.answer = static_cast<int>(r.Int(4));
        if (!r.IsNull(5)) item.correct = r.Int(5) != 0;
        out->items.push_back(std::move(item));
      }));
  return out;
}

AttemptService::AttemptService(store::Database& db, QuestionCache& bank, const core::Clock& clock,
                               Standings& standings, std::chrono::milliseconds waiting_room)
    : db_(db), bank_(bank), clock_(clock), standings_(standings), waiting_room_(waiting_room) {}

void AttemptService::Publish(const std::vector<WrittenResult>& written) {
  for (const auto& w : written)
    standings_.Record(w.contest_id, w.round_key, w.standing);
}

namespace {

/// Serialises the writes of one participant's attempts until the transaction ends, across the
/// committers of a process and across instances (store::LockKey): two starts cannot both find no
/// attempt and insert one; two submits cannot both grade.
core::Status LockParticipant(store::Connection& c, std::int64_t user_id) {
  return store::LockKey(c, "quiz.participant:" + std::to_string(user_id));
}

/// LoadAttempt inside a write, under the lock of its participant (see LockParticipant), so that
/// what it reads is what the write may change. Nothing when the attempt is not theirs.
core::Result<std::optional<Attempt>> LoadOwnAttemptLocked(store::Connection& c,
                                                          std::int64_t user_id,
                                                          std::int64_t attempt_id) {
  HOITHI_TRY(LockParticipant(c, user_id));
  auto a = LoadAttempt(c, attempt_id);
  if (!a) return std::move(a).error();
  if (*a && (*a)->user_id != user_id) return std::optional<Attempt>();
  return a;
}

/// The quiz rules of the contest as stored, inside a write.
core::Result<contest::QuizRules> RulesInWrite(store::Connection& c, std::int64_t contest_id) {
  auto contest = contest::FindContestById(c, contest_id);
  if (!contest) return std::move(contest).error();
  if (!*contest) return NotFound();
  return (*contest)->quiz_rules();
}

/// Grades and finalises `a` (active) inside the write, as `status` at `finished_at`; updates the
/// counted results (appended to `written`). Leaves `a` as stored.
core::Status FinalizeInWrite(store::Connection& c, QuestionCache& bank,
                             const contest::QuizRules& rules, Attempt& a, AttemptStatus status,
                             core::TimePoint finished_at, std::vector<WrittenResult>& written) {
  // One statement marks every item: a statement per item was a tenth of a submit's work.
  int correct = 0;
  std::string right;  // the positions answered correctly, as parameters
  std::vector<store::Param> params{a.id};
  for (auto& item : a.items) {
    auto version = bank.Version(item.question_id, item.version);
    if (!version) return std::move(version).error();
    item.correct = item.answer && *item.answer == (*version)->correct;
    if (!*item.correct) continue;
    ++correct;
    params.emplace_back(item.position);
    if (!right.empty()) right += ", ";
    right += store::Placeholder(params.size());
  }
  auto graded =
      c.Exec(right.empty() ? "UPDATE attempt_items SET correct = 0 WHERE attempt_id = $1"
                           : "UPDATE attempt_items SET correct = CASE WHEN position IN (" + right +
                                 ") THEN 1 ELSE 0 END WHERE attempt_id = $1",
             params);
  if (!graded) return std::move(graded).error();
  const auto limit = a.deadline_at - a.started_at;
  const auto taken = std::min(finished_at - a.started_at, limit);
  a.status = status;
  a.finished_at = finished_at;
  a.correct = correct;
  a.duration_ms = std::max<std::int64_t>(0, taken.count());
  auto r = c.Exec(
      "UPDATE attempts SET status = $2, finished_at = $3, correct = $4, duration_ms = $5,"
      " prediction = $6 WHERE id = $1 AND status = 'active'",
      {a.id, AttemptStatusCode(status), core::ToEpochMs(finished_at), correct, *a.duration_ms,
       a.prediction});
  if (!r) return std::move(r).error();
  if (*r != 1) return Closed();  // finalised meanwhile by another instance
  HOITHI_TRY(UpdateResult(c, a, a.round_key, rules.counted, written));
  if (a.round_key != 0) HOITHI_TRY(UpdateResult(c, a, 0, rules.counted, written));
  return core::Ok();
}

/// Checks that every answer names a question of the attempt and one of its options.
core::Status CheckAnswers(const Attempt& a, const std::vector<AnswerInput>& answers) {
  for (const auto& answer : answers) {
    const auto item = std::find_if(a.items.begin(), a.items.end(), [&](const AttemptItem& i) {
      return i.question_id == answer.question_id;
    });
    if (item == a.items.end()) {
      return core::MakeError(ErrorKind::kValidation, "unknown_question",
                             "Câu trả lời nhắc đến một câu hỏi không có trong bài thi này.",
                             "answers");
    }
    if (!OptionIndex(a, *item, answer.option_id)) {
      return core::MakeError(ErrorKind::kValidation, "unknown_option",
                             "Câu trả lời chọn một phương án không thuộc câu hỏi.", "answers");
    }
  }
  return core::Ok();
}

/// How many questions `answers` would change in `a` (the last answer given for one counts).
int ChangedAnswers(const Attempt& a, const std::vector<AnswerInput>& answers) {
  std::map<std::int64_t, int> given;  // question -> option id
  for (const auto& answer : answers)
    given[answer.question_id] = answer.option_id;
  int changed = 0;
  for (const auto& item : a.items) {
    const auto it = given.find(item.question_id);
    if (it != given.end() && item.answer != OptionIndex(a, item, it->second)) ++changed;
  }
  return changed;
}

/// Stores the answers that differ from what `a` holds (the last one given for a question counts),
/// in one statement; an answer sent again unchanged keeps the moment it was first given.
core::Status StoreAnswers(store::Connection& c, Attempt& a, const std::vector<AnswerInput>& answers,
                          core::TimePoint now) {
  std::map<int, int> given;  // position -> option index in the version
  for (const auto& answer : answers) {
    for (const auto& item : a.items) {
      if (item.question_id != answer.question_id) continue;
      if (const auto index = OptionIndex(a, item, answer.option_id)) given[item.position] = *index;
    }
  }
  std::string set = "UPDATE attempt_items SET answer = CASE position";
  std::string positions;
  std::vector<store::Param> params{a.id, core::ToEpochMs(now)};
  for (auto& item : a.items) {
    const auto it = given.find(item.position);
    if (it == given.end() || item.answer == it->second) continue;
    item.answer = it->second;
    params.emplace_back(item.position);
    params.emplace_back(it->second);
    set += fmt::format(" WHEN {} THEN CAST({} AS INTEGER)", store::Placeholder(params.size() - 1),
                       store::Placeholder(params.size()));
    if (!positions.empty()) positions += ", ";
    positions += store::Placeholder(params.size() - 1);
  }
  if (positions.empty()) return core::Ok();
  set += " END, answered_at = $2 WHERE attempt_id = $1 AND position IN (" + positions + ")";
  auto r = c.Exec(set, params);
  if (!r) return std::move(r).error();
  return core::Ok();
}

}  // namespace

void AttemptService::Start(const Participant& who, const contest::Contest& contest,
                           Callback<StartResult> done) {
  const auto now = clock_.Now();
  const auto& tz = contest.time_zone;
  if (who.registration_pending) {
    return done(core::MakeError(ErrorKind::kForbidden, "registration_pending",
                                "Đăng ký của bạn đang chờ đơn vị xác nhận (bạn chưa có trong danh "
                                "sách cán bộ đơn vị đã gửi). Bạn sẽ làm bài được ngay khi đơn vị "
                                "xác nhận."));
  }
  // An attempt under way is resumed before anything else is checked: a pause or the window's close
  // stops new attempts, never one that has started. This read also spares a resume the write
  // queue; the write below checks again, for two starts that race.
  {
    auto lease = db_.Read();
    auto active = store::QueryInt(
        *lease,
        "SELECT id FROM attempts WHERE contest_id = $1 AND user_id = $2 AND status = 'active'",
        {contest.id, who.user_id});
    if (!active) return done(std::move(active).error());
    if (*active) {
      auto a = LoadAttempt(*lease, **active);
      if (!a) return done(std::move(a).error());
      if (*a && now <= (*a)->cutoff_at) return done(StartResult{std::move(**a), true});
    }
  }
  // Admission control: rather than queue a new attempt behind a backlog that would make it (and
  // every write after it) late, send the participant to the waiting room. Their attempt has not
  // started, so no time of theirs runs meanwhile.
  if (waiting_room_.count() > 0) {
    const auto backlog = db_.ExpectedWriteWait();
    if (backlog > waiting_room_) {
      auto e = core::MakeError(ErrorKind::kTooManyRequests, "waiting_room",
                               "Rất nhiều thí sinh đang bắt đầu thi cùng lúc nên bạn đang ở phòng "
                               "chờ. Thời gian làm bài của bạn chưa bắt đầu tính.");
      e.retry_after_s =
          static_cast<int>(std::clamp<std::int64_t>(backlog / std::chrono::seconds(1) + 1, 1, 30));
      return done(e);
    }
  }
  if (contest::PhaseAt(contest, now) != contest::Phase::kOpen) {
    return done(core::MakeError(
        ErrorKind::kForbidden, "outside_window",
        "Phần thi chỉ mở " + Window(contest.schedule.opens_at, contest.schedule.closes_at, tz) +
            " (giờ Việt Nam)."));
  }
  const auto* rules = &contest.quiz_rules();
  if (rules->paused) {
    auto e = core::MakeError(ErrorKind::kForbidden, "paused",
                             "Ban Tổ chức đang tạm dừng phần thi. Vui lòng quay lại sau.");
    e.retry_after_s = 60;
    return done(e);
  }
  core::Result<std::vector<contest::Round>> rounds = std::vector<contest::Round>{};
  {
    auto lease = db_.Read();
    rounds = contest::ListRounds(*lease, contest);
  }
  if (!rounds) return done(std::move(rounds).error());
  const auto round = contest::RoundAt(*rounds, now);
  if (!round) {
    std::string next;
    for (const auto& r : *rounds) {
      if (r.opens_at > now) {
        next = " " + r.name + " mở " + Window(r.opens_at, r.closes_at, tz) + ".";
        break;
      }
    }
    return done(core::MakeError(ErrorKind::kForbidden, "outside_window",
                                "Hiện không có đợt thi nào đang mở." + next));
  }
  auto bank = bank_.Active(contest.id);
  if (!bank) return done(std::move(bank).error());
  const DrawRules draw_rules{rules->questions_per_attempt, rules->topic_quotas,
                             rules->shuffle_questions, rules->shuffle_options};
  const auto seed = NewSeed();
  auto drawn = Draw(**bank, draw_rules, seed);
  if (!drawn) return done(std::move(drawn).error());

  auto result = std::make_shared<StartResult>();
  auto written = std::make_shared<std::vector<WrittenResult>>();
  const int allowance = round->attempts_allowed.value_or(rules->attempts_allowed);
  const auto limit = std::chrono::seconds(rules->time_limit_s);
  const auto grace = std::chrono::seconds(rules->grace_s);
  db_.Write(
      [this, who, contest_id = contest.id, round = *round, allowance, limit, grace, seed,
       items = std::move(*drawn), now, result, written, tz](store::Connection& c) -> core::Status {
        written->clear();
        HOITHI_TRY(LockParticipant(c, who.user_id));
        // One active attempt per participant: resume it, unless its time ran out.
        auto active = store::QueryInt(
            c,
            "SELECT id FROM attempts WHERE contest_id = $1 AND user_id = $2 AND status = 'active'",
            {contest_id, who.user_id});
        if (!active) return std::move(active).error();
        if (*active) {
          auto a = LoadAttempt(c, **active);  // under the participant's lock taken above
          if (!a) return std::move(a).error();
          if (now <= (*a)->cutoff_at) {
            result->attempt = std::move(**a);
            result->resumed = true;
            return core::Ok();
          }
          auto rules = RulesInWrite(c, contest_id);
          if (!rules) return std::move(rules).error();
          HOITHI_TRY(FinalizeInWrite(c, bank_, *rules, **a, AttemptStatus::kExpired,
                                     (*a)->deadline_at, *written));
        }
        auto used = store::QueryInt(
            c,
            "SELECT COUNT(*) FROM attempts WHERE contest_id = $1 AND round_key = $2 AND"
            " user_id = $3",
            {contest_id, round.key, who.user_id});
        if (!used) return std::move(used).error();
        if (allowance > 0) {
          auto extra = store::QueryInt(
              c,
              "SELECT COALESCE(SUM(amount), 0) FROM quiz_grants WHERE contest_id = $1 AND"
              " user_id = $2 AND kind = 'extra_attempt'",
              {contest_id, who.user_id});
          if (!extra) return std::move(extra).error();
          if (used->value_or(0) >= allowance + extra->value_or(0)) {
            return core::MakeError(
                ErrorKind::kForbidden, "no_attempts_left",
                fmt::format("Bạn đã dùng hết {} lượt thi của {} ({}).",
                            allowance + extra->value_or(0), round.key == 0 ? "hội thi" : round.name,
                            Window(round.opens_at, round.closes_at, tz)));
          }
        }
        Attempt a;
        a.contest_id = contest_id;
        a.round_key = round.key;
        a.user_id = who.user_id;
        a.unit_id = who.unit_id;
        a.number = static_cast<int>(used->value_or(0)) + 1;
        a.started_at = now;
        a.deadline_at = now + limit;
        a.cutoff_at = a.deadline_at + grace;
        a.total = static_cast<int>(items.size());
        auto id = store::QueryInt(
            c,
            "INSERT INTO attempts (contest_id, round_key, user_id, unit_id, number, status, seed,"
            " started_at, deadline_at, cutoff_at, total, option_ids) VALUES ($1, $2, $3, $4, $5,"
            " 'active', $6, $7, $8, $9, $10, 'position') RETURNING id",
            {contest_id, round.key, who.user_id, who.unit_id, a.number,
             static_cast<std::int64_t>(seed), core::ToEpochMs(a.started_at),
             core::ToEpochMs(a.deadline_at), core::ToEpochMs(a.cutoff_at), a.total});
        if (!id) return std::move(id).error();
        a.id = id->value_or(0);
        // The items in one statement: a statement each cost PostgreSQL a round trip apiece.
        std::string insert =
            "INSERT INTO attempt_items (attempt_id, position, question_id, version, option_order)"
            " VALUES ";
        std::vector<std::string> orders;  // the text a Param borrows must outlive the Exec
        orders.reserve(items.size());
        std::vector<store::Param> params;
        params.reserve(items.size() * 5);
        for (std::size_t i = 0; i < items.size(); ++i) {
          AttemptItem item;
          item.position = static_cast<int>(i) + 1;
          item.question_id = items[i].question_id;
          item.version = items[i].version;
          item.option_order = items[i].option_order;
          const auto n = params.size();
          insert += fmt::format("{}(${}, ${}, ${}, ${}, ${})", i > 0 ? ", " : "", n + 1, n + 2,
                                n + 3, n + 4, n + 5);
          params.emplace_back(a.id);
          params.emplace_back(item.position);
          params.emplace_back(item.question_id);
          params.emplace_back(item.version);
          orders.push_back(json(item.option_order).dump());
          params.emplace_back(orders.back());
          a.items.push_back(std::move(item));
        }
        if (!items.empty()) {
          auto r = c.Exec(insert, params);
          if (!r) return std::move(r).error();
        }
        result->attempt = std::move(a);
        return core::Ok();
      },
      [this, result, written, done](const core::Status& st) {
        if (!st) return done(st.error());
        Publish(*written);
        done(std::move(*result));
      });
}

void AttemptService::Find(const Participant& who, std::int64_t attempt_id, Callback<Attempt> done) {
  core::Result<std::optional<Attempt>> loaded = std::optional<Attempt>();
  {
    auto lease = db_.Read();
    loaded = LoadAttempt(*lease, attempt_id);
  }
  if (!loaded) return done(std::move(loaded).error());
  if (!*loaded || (*loaded)->user_id != who.user_id) return done(NotFound());
  if ((*loaded)->status != AttemptStatus::kActive || clock_.Now() <= (*loaded)->cutoff_at) {
    return done(std::move(**loaded));
  }
  // Past its cut-off and not finalised yet: finalise now, with the answers saved by then.
  auto result = std::make_shared<Attempt>();
  auto written = std::make_shared<std::vector<WrittenResult>>();
  db_.Write(
      [this, who, attempt_id, result, written](store::Connection& c) -> core::Status {
        written->clear();
        auto a = LoadOwnAttemptLocked(c, who.user_id, attempt_id);
        if (!a) return std::move(a).error();
        if (!*a) return NotFound();
        if ((*a)->status == AttemptStatus::kActive) {
          auto rules = RulesInWrite(c, (*a)->contest_id);
          if (!rules) return std::move(rules).error();
          HOITHI_TRY(FinalizeInWrite(c, bank_, *rules, **a, AttemptStatus::kExpired,
                                     (*a)->deadline_at, *written));
        }
        *result = std::move(**a);
        return core::Ok();
      },
      [this, result, written, done](const core::Status& st) {
        if (!st) return done(st.error());
        Publish(*written);
        done(std::move(*result));
      });
}

void AttemptService::SaveAnswers(const Participant& who, std::int64_t attempt_id,
                                 std::vector<AnswerInput> answers,
                                 std::function<void(core::Status)> done) {
  db_.Write(
      [this, who, attempt_id, answers = std::move(answers),
       now = clock_.Now()](store::Connection& c) -> core::Status {
        auto a = LoadOwnAttemptLocked(c, who.user_id, attempt_id);
        if (!a) return std::move(a).error();
        if (!*a) return NotFound();
        // The grace period covers a submit delayed by the network, never a later answer.
        if ((*a)->status != AttemptStatus::kActive || now > (*a)->deadline_at) return Closed();
        HOITHI_TRY(CheckAnswers(**a, answers));
        return StoreAnswers(c, **a, answers, now);
      },
      [done](const core::Status& st) { done(st); });
}

namespace {

/// Whether a submit of `answers` and `prediction` to the finalised `a` asks for nothing other
/// than what is stored.
bool RepeatsStoredSubmit(const Attempt& a, const std::vector<AnswerInput>& answers,
                         std::optional<std::int64_t> prediction) {
  if (prediction && prediction != a.prediction) return false;
  for (const auto& in : answers) {
    const auto item = std::find_if(a.items.begin(), a.items.end(), [&](const AttemptItem& i) {
      return i.question_id == in.question_id;
    });
    if (item == a.items.end() || item->answer != OptionIndex(a, *item, in.option_id)) return false;
  }
  return true;
}

}  // namespace

void AttemptService::Submit(const Participant& who, std::int64_t attempt_id,
                            std::vector<AnswerInput> answers,
                            std::optional<std::int64_t> prediction, Callback<SubmitResult> done) {
  auto result = std::make_shared<SubmitResult>();
  auto written = std::make_shared<std::vector<WrittenResult>>();
  auto rules = std::make_shared<contest::QuizRules>();
  db_.Write(
      [this, who, attempt_id, answers = std::move(answers), prediction, result, written, rules,
       now = clock_.Now()](store::Connection& c) -> core::Status {
        written->clear();
        auto loaded = LoadOwnAttemptLocked(c, who.user_id, attempt_id);
        if (!loaded) return std::move(loaded).error();
        if (!*loaded) return NotFound();
        Attempt& a = **loaded;
        auto stored_rules = RulesInWrite(c, a.contest_id);
        if (!stored_rules) return std::move(stored_rules).error();
        *rules = std::move(*stored_rules);
        if (a.status != AttemptStatus::kActive) {
          result->already_final = true;
          result->repeated =
              a.status == AttemptStatus::kSubmitted && RepeatsStoredSubmit(a, answers, prediction);
        } else if (now > a.cutoff_at) {
          // Too late: the answers saved by the deadline are what counts.
          result->already_final = true;
          HOITHI_TRY(FinalizeInWrite(c, bank_, *rules, a, AttemptStatus::kExpired, a.deadline_at,
                                     *written));
        } else {
          HOITHI_TRY(CheckAnswers(a, answers));
          if (now <= a.deadline_at) {
            HOITHI_TRY(StoreAnswers(c, a, answers, now));
          } else {
            // Within the grace period: the submit counts, its new answers do not (they could
            // have been chosen after the deadline).
            result->late_answers = ChangedAnswers(a, answers);
          }
          if (prediction) a.prediction = prediction;
          HOITHI_TRY(
              FinalizeInWrite(c, bank_, *rules, a, AttemptStatus::kSubmitted, now, *written));
        }
        result->attempt = std::move(a);
        return core::Ok();
      },
      [this, result, written, rules, done](const core::Status& st) {
        if (!st) return done(st.error());
        // The rank once the result is committed, from the standings (this write included).
        Publish(*written);
        // The submission is committed: failing to rank it (a first load of the standings that
        // fails) leaves the rank unknown (0) rather than reporting the submission as failed.
        const auto& a = result->attempt;
        if (contest::LiveRanksShown(*rules, clock_.Now())) {
          store::Database::OnDemandRead conn(db_);  // the committer's thread: no wait for nothing
          auto rank = standings_.RankOf(conn, a.contest_id, a.round_key, a.user_id, *rules);
          if (rank) {
            result->rank = *rank;
          } else {
            spdlog::warn("ranking attempt {}: {} {}", a.id, rank.error().code, rank.error().detail);
          }
        }
        done(std::move(*result));
      });
}

core::Result<int> AttemptService::FinalizeDue(int limit) {
  const auto now = clock_.Now();
  std::vector<std::pair<std::int64_t, std::int64_t>> due;  // (participant, attempt)
  {
    auto lease = db_.Read();
    HOITHI_TRY(
        lease->Query("SELECT user_id, id FROM attempts WHERE status = 'active' AND cutoff_at < $1"
                     " ORDER BY cutoff_at LIMIT " +
                         std::to_string(limit),
                     {core::ToEpochMs(now)},
                     [&](const store::Row& r) { due.emplace_back(r.Int(0), r.Int(1)); }));
  }
  if (due.empty()) return 0;
  // Participants' locks in one order, so that sweepers of several instances never deadlock.
  std::sort(due.begin(), due.end());
  int finalized = 0;
  std::vector<WrittenResult> written;
  HOITHI_TRY(db_.WriteAndWait([&](store::Connection& c) -> core::Status {
    finalized = 0;
    written.clear();
    std::map<std::int64_t, contest::QuizRules> rules;  // by contest
    for (const auto& [user, id] : due) {
      auto a = LoadOwnAttemptLocked(c, user, id);
      if (!a) return std::move(a).error();
      if (!*a || (*a)->status != AttemptStatus::kActive || (*a)->cutoff_at >= now) continue;
      if (!rules.contains((*a)->contest_id)) {
        auto r = RulesInWrite(c, (*a)->contest_id);
        if (!r) return std::move(r).error();
        rules.emplace((*a)->contest_id, std::move(*r));
      }
      HOITHI_TRY(FinalizeInWrite(c, bank_, rules.at((*a)->contest_id), **a, AttemptStatus::kExpired,
                                 (*a)->deadline_at, written));
      ++finalized;
    }
    return core::Ok();
  }));
  Publish(written);
  return finalized;
}

core::Result<std::vector<Attempt>> AttemptService::History(const Participant& who,
                                                           std::int64_t contest_id) {
  std::vector<Attempt> out;
  auto lease = db_.Read();
  HOITHI_TRY(lease->Query(
      "SELECT " + std::string(kAttemptColumns) +
          " FROM attempts WHERE contest_id = $1 AND user_id = $2 ORDER BY id DESC",
      {contest_id, who.user_id}, [&](const store::Row& r) { out.push_back(AttemptFromRow(r)); }));
  return out;
}

core::Result<StartOutlook> AttemptService::Outlook(const contest::Contest& contest,
                                                   const std::vector<Attempt>& history) {
  StartOutlook o;
  for (const auto& a : history) {
    if (a.status == AttemptStatus::kActive) o.active_id = a.id;
  }
  const auto now = clock_.Now();
  const auto& rules = contest.quiz_rules();
  if (contest::PhaseAt(contest, now) != contest::Phase::kOpen || rules.paused) return o;
  core::Result<std::vector<contest::Round>> rounds = std::vector<contest::Round>{};
  {
    auto lease = db_.Read();
    rounds = contest::ListRounds(*lease, contest);
  }
  if (!rounds) return std::move(rounds).error();
  const auto round = contest::RoundAt(*rounds, now);
  if (!round) return o;
  o.open = true;
  if (round->key != 0) o.round_name = round->name;
  // As Start counts: every attempt of the round, whatever became of it.
  o.allowance = round->attempts_allowed.value_or(rules.attempts_allowed);
  o.used = static_cast<int>(std::count_if(
      history.begin(), history.end(), [&](const Attempt& a) { return a.round_key == round->key; }));
  return o;
}

core::Result<bool> AttemptService::AllAttemptsSettled(const contest::Contest& contest,
                                                      core::TimePoint now) {
  if (contest::PhaseAt(contest, now) != contest::Phase::kClosed) return false;
  const auto closes_ms = core::ToEpochMs(contest.schedule.closes_at);
  {
    std::lock_guard lock(settled_mu_);
    const auto it = settled_.find(contest.id);
    if (it != settled_.end() && it->second == closes_ms) return true;
  }
  // An attempt may still be answered until its cut-off: until then an extra-time grant can move
  // its deadline again. Past every cut-off, with the window closed, none can start or be extended,
  // so the answer stays true for as long as the window's close stays where it is.
  auto open = store::QueryInt(*db_.Read(),
                              "SELECT COUNT(*) FROM attempts WHERE status = 'active' AND"
                              " cutoff_at >= $2 AND contest_id = $1",
                              {contest.id, core::ToEpochMs(now)});
  if (!open) return std::move(open).error();
  if (open->value_or(0) > 0) return false;
  std::lock_guard lock(settled_mu_);
  settled_[contest.id] = closes_ms;
  return true;
}

core::Result<std::vector<ShownQuestion>> AttemptService::Show(const Attempt& a,
                                                              const contest::Contest& contest,
                                                              const contest::QuizRules& rules,
                                                              core::TimePoint now) {
  const bool final = a.status != AttemptStatus::kActive;
  bool reveal = final && rules.reveal == contest::AnswerReveal::kAfterSubmit;
  if (final && rules.reveal == contest::AnswerReveal::kAfterClose) {
    auto settled = AllAttemptsSettled(contest, now);
    if (!settled) return std::move(settled).error();
    reveal = *settled;
  }
  std::vector<ShownQuestion> out;
  for (const auto& item : a.items) {
    auto version = bank_.Version(item.question_id, item.version);
    if (!version) return std::move(version).error();
    const auto& v = **version;
    ShownQuestion q;
    q.position = item.position;
    q.question_id = item.question_id;
    q.version = *version;
    q.text = v.text;
    for (std::size_t k = 0; k < item.option_order.size(); ++k) {
      const int index = item.option_order[k];
      if (index >= 0 && index < static_cast<int>(v.options.size())) {
        q.options.push_back(
            ShownOption{static_cast<int>(k), index, v.options[static_cast<std::size_t>(index)]});
      }
    }
    if (item.answer) q.answer = OptionId(a, item, *item.answer);
    // Right or wrong per question tells as much as the key once a second attempt is allowed, so
    // both wait for the reveal; the score alone is known at once.
    if (reveal) {
      q.correct = item.correct;
      q.correct_option = OptionId(a, item, v.correct);
      q.source = v.source;
    }
    out.push_back(std::move(q));
  }
  return out;
}

void AttemptService::Grant(const audit::Actor& actor, std::int64_t contest_id, std::int64_t user_id,
                           bool extra_time, int amount, std::string reason,
                           std::function<void(core::Status)> done) {
  if (amount <= 0 || amount > (extra_time ? 7200 : 100)) {
    return done(core::MakeError(
        ErrorKind::kValidation, "invalid_amount",
        extra_time ? "Thời gian thêm phải từ 1 đến 7200 giây." : "Số lượt thêm phải từ 1 đến 100.",
        "amount"));
  }
  if (reason.empty()) {
    return done(core::MakeError(ErrorKind::kValidation, "required",
                                "Vui lòng ghi lý do (ví dụ: sự cố kỹ thuật đã được xác minh).",
                                "reason"));
  }
  const auto now = clock_.Now();
  db_.Write(
      [=](store::Connection& c) -> core::Status {
        if (!extra_time) {
          auto rules = RulesInWrite(c, contest_id);
          if (!rules) return std::move(rules).error();
          if (rules->reveal == contest::AnswerReveal::kAfterSubmit) {
            // A second attempt would draw from a bank whose key the first one revealed.
            return core::MakeError(
                ErrorKind::kConflict, "reveal_after_submit",
                "Không thể cho thêm lượt thi khi đáp án được công bố ngay sau khi nộp bài: lượt "
                "thêm sẽ biết trước đáp án. Có thể cộng thêm thời gian cho lượt đang làm dở.");
          }
        }
        if (extra_time) {
          auto r = c.Exec(
              "UPDATE attempts SET deadline_at = deadline_at + $3, cutoff_at = cutoff_at + $3"
              " WHERE contest_id = $1 AND user_id = $2 AND status = 'active' AND cutoff_at >= $4",
              {contest_id, user_id, static_cast<std::int64_t>(amount) * 1000,
               core::ToEpochMs(now)});
          if (!r) return std::move(r).error();
          if (*r == 0) {
            return core::MakeError(
                ErrorKind::kConflict, "no_active_attempt",
                "Thí sinh không có lượt thi đang làm dở để cộng thêm thời gian.");
          }
        }
        auto r = c.Exec(
            "INSERT INTO quiz_grants (contest_id, user_id, kind, amount, reason, granted_by,"
            " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {contest_id, user_id, extra_time ? "extra_time" : "extra_attempt", amount, reason,
             actor.user_id, core::ToEpochMs(now)});
        if (!r) return std::move(r).error();
        return audit::Record(
            c, actor,
            audit::Entry{contest_id, extra_time ? actions::kGrantTime : actions::kGrantAttempt,
                         "user", std::to_string(user_id), std::nullopt,
                         json{{"amount", amount}, {"reason", reason}}.dump()},
            now);
      },
      [done](const core::Status& st) { done(st); });
}

}  // namespace hoithi::quiz
