// Rounds: the rounds table, the round open at a moment, and their audited replacement.
#include "contest/rounds.hpp"

#include <nlohmann/json.hpp>

#include "contest/audit_actions.hpp"
#include "core/time_format.hpp"

namespace hoithi::contest {
namespace {

using core::ErrorKind;
using nlohmann::json;

core::Error Invalid(std::string message, std::string field) {
  auto e = core::MakeError(ErrorKind::kValidation, "invalid_rules", message, field);
  e.fields = {{e.field, e.message}};
  return e;
}

constexpr std::string_view kRoundColumns =
    "id, number, name, opens_at, closes_at, attempts_allowed";

}  // namespace

core::Result<std::vector<Round>> StoredRounds(store::Connection& conn, std::int64_t contest_id) {
  std::vector<Round> out;
  HOITHI_TRY(conn.Query(
      "SELECT " + std::string(kRoundColumns) + " FROM rounds WHERE contest_id = $1 ORDER BY number",
      {contest_id}, [&](const store::Row& row) {
        Round r;
        r.key = row.Int(0);
        r.number = static_cast<int>(row.Int(1));
        r.name = row.Str(2);
        r.opens_at = core::FromEpochMs(row.Int(3));
        r.closes_at = core::FromEpochMs(row.Int(4));
        if (!row.IsNull(5)) r.attempts_allowed = static_cast<int>(row.Int(5));
        out.push_back(std::move(r));
      }));
  return out;
}

core::Status CheckRevealAfterSubmit(const QuizRules& rules, const std::vector<Round>& rounds) {
  if (rules.reveal != AnswerReveal::kAfterSubmit) return core::Ok();
  if (rounds.size() > 1) {
    return Invalid(
        "Không thể công bố đáp án ngay sau khi nộp bài khi phần thi có nhiều đợt: bài thi của đợt "
        "sau rút câu hỏi từ cùng ngân hàng, nên đáp án đã công bố sẽ lộ cho người thi đợt sau. "
        "Hãy chọn công bố đáp án sau khi hội thi kết thúc.",
        "reveal_answers");
  }
  for (const auto& r : rounds) {
    if (r.attempts_allowed && *r.attempts_allowed != 1) {
      return Invalid("Không thể công bố đáp án ngay sau khi nộp bài khi đợt \"" + r.name +
                         "\" cho thi nhiều lượt: lượt sau sẽ biết trước đáp án. Hãy chọn công bố "
                         "đáp án sau khi hội thi kết thúc.",
                     "reveal_answers");
    }
  }
  return core::Ok();
}

core::Result<std::vector<Round>> ListRounds(store::Connection& conn, const Contest& contest) {
  auto out = StoredRounds(conn, contest.id);
  if (!out) return out;
  if (out->empty()) {
    Round whole;
    whole.name = "Toàn hội thi";
    whole.opens_at = contest.schedule.opens_at;
    whole.closes_at = contest.schedule.closes_at;
    out->push_back(std::move(whole));
  }
  return out;
}

std::optional<Round> RoundAt(const std::vector<Round>& rounds, core::TimePoint now) {
  for (const auto& r : rounds) {
    if (r.opens_at <= now && now < r.closes_at) return r;
  }
  return std::nullopt;
}

core::Status SaveRounds(store::Connection& conn, const Contest& contest,
                        const std::vector<Round>& rounds, const audit::Actor& actor,
                        core::TimePoint now) {
  auto stored = FindContestById(conn, contest.id);  // the rules as they are now, not as read
  if (!stored) return std::move(stored).error();
  if (*stored) HOITHI_TRY(CheckRevealAfterSubmit((*stored)->quiz_rules(), rounds));
  json after = json::array();
  for (size_t i = 0; i < rounds.size(); ++i) {
    const auto& r = rounds[i];
    if (r.name.empty()) return Invalid("Vui lòng đặt tên cho đợt thi.", "name");
    if (r.closes_at <= r.opens_at) {
      return Invalid("Đợt \"" + r.name + "\" phải kết thúc sau khi bắt đầu.", "closes_at");
    }
    if (r.opens_at < contest.schedule.opens_at || r.closes_at > contest.schedule.closes_at) {
      return Invalid("Đợt \"" + r.name + "\" phải nằm trong thời gian của hội thi.", "opens_at");
    }
    if (i > 0 && r.opens_at < rounds[i - 1].closes_at) {
      return Invalid("Các đợt thi không được chồng lên nhau.", "opens_at");
    }
    after.push_back({{"name", r.name},
                     {"opens_at", core::FormatRfc3339(r.opens_at)},
                     {"closes_at", core::FormatRfc3339(r.closes_at)}});
  }
  HOITHI_TRY(conn.Exec("DELETE FROM rounds WHERE contest_id = $1", {contest.id}));
  for (size_t i = 0; i < rounds.size(); ++i) {
    const auto& r = rounds[i];
    const std::optional<std::int64_t> allowed =
        r.attempts_allowed ? std::optional<std::int64_t>(*r.attempts_allowed) : std::nullopt;
    HOITHI_TRY(conn.Exec(
        "INSERT INTO rounds (contest_id, number, name, opens_at, closes_at, attempts_allowed)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        {contest.id, static_cast<int>(i + 1), r.name, core::ToEpochMs(r.opens_at),
         core::ToEpochMs(r.closes_at), allowed}));
  }
  return audit::Record(conn, actor,
                       audit::Entry{contest.id, actions::kRoundsUpdate, "contest",
                                    std::to_string(contest.id), std::nullopt, after.dump()},
                       now);
}

}  // namespace hoithi::contest
