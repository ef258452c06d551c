// Quiz rules: the "quiz" section of the contest settings, parsed, checked and written back.
#include "contest/quiz_rules.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "contest/json_enum.hpp"
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

core::Result<QuizRules> Parse(const json& j) {
  QuizRules r;
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

core::Result<QuizRules> ParseQuizRules(std::string_view quiz_json) {
  if (quiz_json.empty()) return QuizRules{};
  const json j = json::parse(quiz_json, nullptr, false);
  if (j.is_discarded()) return Invalid("Cài đặt hội thi không phải JSON hợp lệ.", "settings");
  return Parse(j);
}

core::Result<QuizRules> PatchQuizRules(const QuizRules& rules, std::string_view patch_json) {
  const json patch = json::parse(patch_json, nullptr, false);
  if (patch.is_discarded() || !patch.is_object()) {
    return Invalid("Mục \"quiz\" phải là một đối tượng JSON.", "quiz");
  }
  json current = RulesToJson(rules);
  current.update(patch, /*merge_objects=*/true);
  return Parse(current);
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
  if (r.reveal == AnswerReveal::kAfterSubmit && r.attempts_allowed != 1) {
    return Invalid(
        "Không thể công bố đáp án ngay sau khi nộp bài khi mỗi người được thi nhiều lượt: lượt "
        "sau sẽ biết trước đáp án. Hãy chọn công bố đáp án sau khi hội thi kết thúc, hoặc chỉ "
        "cho thi một lượt.",
        "reveal_answers");
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

bool LiveRanksShown(const QuizRules& rules, core::TimePoint now) {
  if (rules.results_published) return true;
  switch (rules.leaderboard) {
    case LeaderboardMode::kLive:
      return true;
    case LeaderboardMode::kHidden:
      return false;
    case LeaderboardMode::kFrozen:
      return !rules.frozen_at || now < *rules.frozen_at;
  }
  return false;
}

std::string QuizRulesJson(const QuizRules& rules) {
  return RulesToJson(rules).dump();
}

}  // namespace hoithi::contest
