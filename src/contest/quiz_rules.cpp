// Quiz rules (JSON in contests.settings), rounds (the rounds table) and the generated rules text.
#include "contest/quiz_rules.hpp"

#include <fmt/format.h>

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>

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

template <class E>
bool ParseEnum(const json& j, const char* key, std::initializer_list<E> values,
               std::string_view (*code)(E), E* out) {
  if (!j.contains(key)) return true;
  if (!j[key].is_string()) return false;
  for (auto v : values) {
    if (code(v) == j[key].get<std::string>()) {
      *out = v;
      return true;
    }
  }
  return false;
}

json RulesToJson(const QuizRules& r) {
  json quotas = json::object();
  for (const auto& [topic, n] : r.topic_quotas)
    quotas[topic] = n;
  json j = {{"questions_per_attempt", r.questions_per_attempt},
            {"topic_quotas", quotas},
            {"time_limit_s", r.time_limit_s},
            {"attempts_allowed", r.attempts_allowed},
            {"counted_attempt", std::string(CountedAttemptCode(r.counted))},
            {"shuffle_questions", r.shuffle_questions},
            {"shuffle_options", r.shuffle_options},
            {"reveal_answers", std::string(AnswerRevealCode(r.reveal))},
            {"grace_s", r.grace_s},
            {"leaderboard", std::string(LeaderboardModeCode(r.leaderboard))},
            {"results_published", r.results_published},
            {"paused", r.paused},
            {"prediction",
             {{"enabled", r.prediction.enabled},
              {"question", r.prediction.question},
              {"answer", r.prediction.answer ? json(*r.prediction.answer) : json(nullptr)}}}};
  j["leaderboard_frozen_at"] =
      r.frozen_at ? json(core::FormatRfc3339(*r.frozen_at)) : json(nullptr);
  return j;
}

constexpr std::string_view kRoundColumns =
    "id, number, name, opens_at, closes_at, attempts_allowed";

}  // namespace

std::string_view CountedAttemptCode(CountedAttempt c) {
  switch (c) {
    case CountedAttempt::kBest:
      return "best";
    case CountedAttempt::kFirst:
      return "first";
    case CountedAttempt::kLast:
      return "last";
  }
  return "best";
}

std::string_view AnswerRevealCode(AnswerReveal r) {
  switch (r) {
    case AnswerReveal::kAfterClose:
      return "after_close";
    case AnswerReveal::kAfterSubmit:
      return "after_submit";
    case AnswerReveal::kNever:
      return "never";
  }
  return "after_close";
}

std::string_view LeaderboardModeCode(LeaderboardMode m) {
  switch (m) {
    case LeaderboardMode::kLive:
      return "live";
    case LeaderboardMode::kFrozen:
      return "frozen";
    case LeaderboardMode::kHidden:
      return "hidden";
  }
  return "live";
}

namespace {

core::Result<QuizRules> Parse(std::string_view settings_json) {
  QuizRules r;
  if (settings_json.empty()) return r;
  const json all = json::parse(settings_json, nullptr, false);
  if (all.is_discarded() || !all.is_object()) {
    return Invalid("Cài đặt hội thi không phải JSON hợp lệ.", "settings");
  }
  if (!all.contains("quiz")) return r;
  const json& j = all["quiz"];
  if (!j.is_object()) return Invalid("Mục \"quiz\" phải là một đối tượng JSON.", "quiz");
  auto integer = [&](const char* key, int* out) {
    if (!j.contains(key)) return true;
    if (!j[key].is_number_integer()) return false;
    const auto v = j[key].get<long long>();
    if (v < -1000000000LL || v > 1000000000LL) return false;
    *out = static_cast<int>(v);
    return true;
  };
  auto boolean = [&](const char* key, bool* out) {
    if (!j.contains(key)) return true;
    if (!j[key].is_boolean()) return false;
    *out = j[key].get<bool>();
    return true;
  };
  for (const auto& [key, target] :
       {std::pair<const char*, int*>{"questions_per_attempt", &r.questions_per_attempt},
        {"time_limit_s", &r.time_limit_s},
        {"attempts_allowed", &r.attempts_allowed},
        {"grace_s", &r.grace_s}}) {
    if (!integer(key, target)) return Invalid(std::string(key) + " phải là số nguyên.", key);
  }
  for (const auto& [key, target] :
       {std::pair<const char*, bool*>{"shuffle_questions", &r.shuffle_questions},
        {"shuffle_options", &r.shuffle_options},
        {"results_published", &r.results_published},
        {"paused", &r.paused}}) {
    if (!boolean(key, target)) return Invalid(std::string(key) + " phải là true hoặc false.", key);
  }
  if (!ParseEnum(j, "counted_attempt",
                 {CountedAttempt::kBest, CountedAttempt::kFirst, CountedAttempt::kLast},
                 CountedAttemptCode, &r.counted)) {
    return Invalid("counted_attempt phải là best, first hoặc last.", "counted_attempt");
  }
  if (!ParseEnum(j, "reveal_answers",
                 {AnswerReveal::kAfterClose, AnswerReveal::kAfterSubmit, AnswerReveal::kNever},
                 AnswerRevealCode, &r.reveal)) {
    return Invalid("reveal_answers phải là after_close, after_submit hoặc never.",
                   "reveal_answers");
  }
  if (!ParseEnum(j, "leaderboard",
                 {LeaderboardMode::kLive, LeaderboardMode::kFrozen, LeaderboardMode::kHidden},
                 LeaderboardModeCode, &r.leaderboard)) {
    return Invalid("leaderboard phải là live, frozen hoặc hidden.", "leaderboard");
  }
  if (j.contains("leaderboard_frozen_at") && !j["leaderboard_frozen_at"].is_null()) {
    if (!j["leaderboard_frozen_at"].is_string()) {
      return Invalid("leaderboard_frozen_at phải là thời điểm RFC 3339.", "leaderboard_frozen_at");
    }
    r.frozen_at = core::ParseRfc3339(j["leaderboard_frozen_at"].get<std::string>());
    if (!r.frozen_at) {
      return Invalid("leaderboard_frozen_at phải là thời điểm RFC 3339.", "leaderboard_frozen_at");
    }
  }
  if (j.contains("topic_quotas")) {
    if (!j["topic_quotas"].is_object()) {
      return Invalid("topic_quotas phải là một đối tượng {chủ đề: số câu}.", "topic_quotas");
    }
    for (const auto& [topic, n] : j["topic_quotas"].items()) {
      if (!n.is_number_integer()) {
        return Invalid("Số câu của chủ đề " + topic + " phải là số nguyên.", "topic_quotas");
      }
      r.topic_quotas[topic] = n.get<int>();
    }
  }
  if (j.contains("prediction") && j["prediction"].is_object()) {
    const auto& p = j["prediction"];
    r.prediction.enabled = p.value("enabled", false);
    r.prediction.question = p.value("question", "");
    if (p.contains("answer") && p["answer"].is_number_integer()) {
      r.prediction.answer = p["answer"].get<std::int64_t>();
    }
  }
  HOITHI_TRY(ValidateQuizRules(r));
  return r;
}

}  // namespace

core::Result<QuizRules> ParseQuizRules(std::string_view settings_json) {
  // Every request of the quiz reads the rules of its contest, and they change a few times per
  // contest: parsing the settings each time was 6% of the server's core at the peak. The parse is
  // a pure function of the text, so the last few texts keep their outcome.
  constexpr std::size_t kKept = 8;
  static std::mutex mu;
  static std::deque<std::pair<std::string, core::Result<QuizRules>>> kept;
  {
    std::lock_guard lock(mu);
    for (const auto& [text, outcome] : kept) {
      if (text == settings_json) return outcome;
    }
  }
  auto outcome = Parse(settings_json);
  std::lock_guard lock(mu);
  if (kept.size() >= kKept) kept.pop_front();
  kept.emplace_back(std::string(settings_json), outcome);
  return outcome;
}

core::Status ValidateQuizRules(const QuizRules& r) {
  if (r.questions_per_attempt < 1 || r.questions_per_attempt > 100) {
    return Invalid("Số câu hỏi mỗi lượt thi phải từ 1 đến 100.", "questions_per_attempt");
  }
  if (r.time_limit_s < 30 || r.time_limit_s > 4 * 3600) {
    return Invalid("Thời gian làm bài phải từ 30 giây đến 4 giờ.", "time_limit_s");
  }
  if (r.attempts_allowed < 0 || r.attempts_allowed > 1000) {
    return Invalid("Số lượt thi phải từ 0 (không giới hạn) đến 1000.", "attempts_allowed");
  }
  if (r.grace_s < 0 || r.grace_s > 600) {
    return Invalid("Thời gian gia hạn nộp bài phải từ 0 đến 600 giây.", "grace_s");
  }
  int quota_sum = 0;
  for (const auto& [topic, n] : r.topic_quotas) {
    if (n < 0) return Invalid("Số câu của chủ đề " + topic + " không được âm.", "topic_quotas");
    quota_sum += n;
  }
  if (quota_sum > r.questions_per_attempt) {
    return Invalid("Tổng số câu theo chủ đề vượt quá số câu mỗi lượt thi.", "topic_quotas");
  }
  if (r.leaderboard == LeaderboardMode::kFrozen && !r.frozen_at) {
    return Invalid("Bảng xếp hạng \"đóng băng\" cần thời điểm đóng băng.", "leaderboard_frozen_at");
  }
  if (r.prediction.enabled && r.prediction.question.empty()) {
    return Invalid("Vui lòng nhập nội dung câu dự đoán.", "prediction");
  }
  return core::Ok();
}

std::string QuizRulesJson(const QuizRules& rules) {
  return RulesToJson(rules).dump();
}

core::Status SaveQuizRules(store::Connection& conn, std::int64_t contest_id, const QuizRules& rules,
                           const audit::Actor& actor, core::TimePoint now) {
  HOITHI_TRY(ValidateQuizRules(rules));
  auto stored = FindContestById(conn, contest_id);
  if (!stored) return std::move(stored).error();
  if (!*stored)
    return core::MakeError(ErrorKind::kNotFound, "no_contest", "Không tìm thấy hội thi.");
  json all = json::parse((*stored)->settings_json, nullptr, false);
  if (all.is_discarded() || !all.is_object()) all = json::object();
  const auto before = all.contains("quiz") ? all["quiz"].dump() : std::optional<std::string>();
  all["quiz"] = RulesToJson(rules);
  HOITHI_TRY(SaveSettingsJson(conn, contest_id, all.dump(), now));
  return audit::Record(conn, actor,
                       audit::Entry{contest_id, "contest.quiz_rules_update", "contest",
                                    std::to_string(contest_id), before, all["quiz"].dump()},
                       now);
}

core::Result<std::vector<Round>> ListRounds(store::Connection& conn, const Contest& contest) {
  std::vector<Round> out;
  HOITHI_TRY(conn.Query(
      "SELECT " + std::string(kRoundColumns) + " FROM rounds WHERE contest_id = $1 ORDER BY number",
      {contest.id}, [&](const store::Row& row) {
        Round r;
        r.key = row.Int(0);
        r.number = static_cast<int>(row.Int(1));
        r.name = row.Str(2);
        r.opens_at = core::FromEpochMs(row.Int(3));
        r.closes_at = core::FromEpochMs(row.Int(4));
        if (!row.IsNull(5)) r.attempts_allowed = static_cast<int>(row.Int(5));
        out.push_back(std::move(r));
      }));
  if (out.empty()) {
    Round whole;
    whole.name = "Toàn hội thi";
    whole.opens_at = contest.schedule.opens_at;
    whole.closes_at = contest.schedule.closes_at;
    out.push_back(std::move(whole));
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
                       audit::Entry{contest.id, "contest.rounds_update", "contest",
                                    std::to_string(contest.id), std::nullopt, after.dump()},
                       now);
}

std::string RankingRuleText(bool with_prediction) {
  if (with_prediction) {
    return "Thí sinh được xếp hạng theo thứ tự ưu tiên: (1) số câu trả lời đúng nhiều hơn; (2) "
           "câu dự đoán có kết quả gần với con số thực tế hơn; (3) thời gian làm bài ít hơn; (4) "
           "nộp bài sớm hơn. Mỗi thí sinh được xếp hạng theo một lượt thi được tính.";
  }
  return "Thí sinh được xếp hạng theo thứ tự ưu tiên: (1) số câu trả lời đúng nhiều hơn; (2) thời "
         "gian làm bài ít hơn; (3) nộp bài sớm hơn. Mỗi thí sinh được xếp hạng theo một lượt thi "
         "được tính.";
}

std::vector<std::string> RulesText(const Contest& c, const QuizRules& r,
                                   const std::vector<Round>& rounds) {
  std::vector<std::string> out;
  out.push_back(fmt::format("Thời gian thi: từ {} đến {} (giờ Việt Nam).",
                            core::FormatDateTime(c.schedule.opens_at, c.time_zone),
                            core::FormatDateTime(c.schedule.closes_at, c.time_zone, true)));
  if (rounds.size() > 1 || rounds.front().key != 0) {
    for (const auto& round : rounds) {
      out.push_back(fmt::format("{}: từ {} đến {}.", round.name,
                                core::FormatDateTime(round.opens_at, c.time_zone),
                                core::FormatDateTime(round.closes_at, c.time_zone, true)));
    }
  }
  out.push_back(fmt::format(
      "Mỗi lượt thi gồm {} câu hỏi trắc nghiệm, mỗi câu có một đáp án đúng duy nhất, được chọn "
      "ngẫu nhiên từ ngân hàng câu hỏi.",
      r.questions_per_attempt));
  if (r.shuffle_questions || r.shuffle_options) {
    out.push_back(std::string(r.shuffle_questions && r.shuffle_options
                                  ? "Thứ tự câu hỏi và thứ tự các phương án trả lời"
                              : r.shuffle_questions ? "Thứ tự câu hỏi"
                                                    : "Thứ tự các phương án trả lời") +
                  " được xáo trộn cho từng lượt thi.");
  }
  if (!r.topic_quotas.empty()) {
    std::string quotas;
    for (const auto& [topic, n] : r.topic_quotas) {
      if (n == 0) continue;
      quotas += (quotas.empty() ? "" : ", ") + fmt::format("{} câu thuộc chủ đề {}", n, topic);
    }
    if (!quotas.empty()) out.push_back("Mỗi lượt thi có " + quotas + ".");
  }
  const int minutes = r.time_limit_s / 60, seconds = r.time_limit_s % 60;
  out.push_back(fmt::format(
      "Thời gian làm bài mỗi lượt là {}{}, tính từ khi bấm \"Bắt đầu\" theo đồng hồ của máy chủ. "
      "Hết giờ, bài thi được nộp tự động với các câu trả lời đã lưu.",
      minutes > 0 ? fmt::format("{} phút", minutes) : "",
      seconds > 0 ? fmt::format("{}{} giây", minutes > 0 ? " " : "", seconds) : ""));
  out.push_back(r.attempts_allowed == 0
                    ? std::string("Thí sinh được thi không giới hạn số lượt.")
                    : fmt::format("Mỗi thí sinh được thi tối đa {} lượt{}.", r.attempts_allowed,
                                  rounds.size() > 1 ? " trong mỗi đợt" : ""));
  if (r.attempts_allowed != 1) {
    out.push_back(r.counted == CountedAttempt::kBest
                      ? "Kết quả được tính là lượt thi tốt nhất của thí sinh."
                  : r.counted == CountedAttempt::kFirst
                      ? "Kết quả được tính là lượt thi đầu tiên của thí sinh."
                      : "Kết quả được tính là lượt thi cuối cùng của thí sinh.");
  }
  if (r.prediction.enabled) {
    out.push_back("Câu dự đoán: " + r.prediction.question +
                  " Câu dự đoán không tính điểm, chỉ dùng để phân định thứ hạng khi bằng điểm.");
  }
  out.push_back(RankingRuleText(r.prediction.enabled));
  switch (r.reveal) {
    case AnswerReveal::kAfterSubmit:
      out.push_back("Sau khi nộp bài, thí sinh xem được số câu đúng và đáp án của từng câu.");
      break;
    case AnswerReveal::kAfterClose:
      out.push_back(
          "Sau khi nộp bài, thí sinh xem được số câu đúng; đáp án được công bố sau khi "
          "hội thi kết thúc.");
      break;
    case AnswerReveal::kNever:
      out.push_back("Sau khi nộp bài, thí sinh xem được số câu đúng.");
      break;
  }
  return out;
}

}  // namespace hoithi::contest
