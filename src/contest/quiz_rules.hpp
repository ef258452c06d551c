// The rules of the knowledge test of a contest, set by its organisers: the "quiz" section of the
// contest's settings (contest/settings.hpp), typed, with its JSON form and its checks.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace hoithi::contest {

enum class CountedAttempt { kBest, kFirst, kLast };
enum class AnswerReveal { kAfterClose, kAfterSubmit, kNever };
enum class LeaderboardMode { kLive, kFrozen, kHidden };

struct PredictionRule {
  bool enabled = false;
  std::string question;  // "Có bao nhiêu người trả lời đúng tất cả các câu hỏi?"
  std::optional<std::int64_t> answer;  // the true figure, set by the organisers after the close
};

struct QuizRules {
  int questions_per_attempt = 10;
  std::map<std::string, int> topic_quotas;  // topic -> questions drawn from it in every attempt
  int time_limit_s = 600;
  int attempts_allowed = 1;  // per participant per round; 0: unlimited
  CountedAttempt counted = CountedAttempt::kBest;
  bool shuffle_questions = true;
  bool shuffle_options = true;
  AnswerReveal reveal = AnswerReveal::kAfterClose;
  int grace_s = 30;  // a submission this late after the deadline still counts
  LeaderboardMode leaderboard = LeaderboardMode::kLive;
  std::optional<core::TimePoint> frozen_at;  // for kFrozen: results after this are not shown
  bool results_published = false;            // the hidden leaderboard opens when published
  PredictionRule prediction;
  bool paused = false;  // no attempt may start while paused
};

/// The "quiz" section of the settings (a JSON object's text); missing keys take the defaults
/// above. kValidation "invalid_rules" naming the field when a value has the wrong type or breaks a
/// rule (ValidateQuizRules).
core::Result<QuizRules> ParseQuizRules(std::string_view quiz_json);

/// Checks ranges and coherence (quotas add up to at most the questions per attempt, ...).
core::Status ValidateQuizRules(const QuizRules& rules);

/// The rules as the "quiz" JSON section (what the API shows and accepts, and what is stored).
std::string QuizRulesJson(const QuizRules& rules);

/// `rules` with the keys of the JSON object `patch` replaced (keys not given keep their value,
/// also inside "prediction"), checked as ParseQuizRules does.
core::Result<QuizRules> PatchQuizRules(const QuizRules& rules, std::string_view patch_json);

/// Whether participants and the public may see ranks as they stand at `now` (a participant's own
/// included): with a live board always; with a hidden one once the results are published; with a
/// frozen one until it freezes, and again once published. Staff always may.
bool LiveRanksShown(const QuizRules& rules, core::TimePoint now);

std::string_view CountedAttemptCode(CountedAttempt c);    // "best", "first", "last"
std::string_view AnswerRevealCode(AnswerReveal r);        // "after_close", "after_submit", "never"
std::string_view LeaderboardModeCode(LeaderboardMode m);  // "live", "frozen", "hidden"

}  // namespace hoithi::contest
