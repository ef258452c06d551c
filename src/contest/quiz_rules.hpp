// The rules of the knowledge test of a contest, set by its organisers (the "quiz" section of
// contests.settings), its rounds (đợt thi, each with its own window and allowance), and the rules
// text (thể lệ) generated from them, so that what participants read is what the server enforces.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "contest/contest.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

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

/// The "quiz" section of contests.settings; missing keys take the defaults above.
core::Result<QuizRules> ParseQuizRules(std::string_view settings_json);

/// Checks ranges and coherence (quotas add up to at most the questions per attempt, ...).
core::Status ValidateQuizRules(const QuizRules& rules);

/// The rules as the "quiz" JSON section (what the API shows and accepts).
std::string QuizRulesJson(const QuizRules& rules);

/// Replaces the quiz section, with an audit entry holding it before and after.
core::Status SaveQuizRules(store::Connection& conn, std::int64_t contest_id, const QuizRules& rules,
                           const audit::Actor& actor, core::TimePoint now);

std::string_view CountedAttemptCode(CountedAttempt c);    // "best", "first", "last"
std::string_view AnswerRevealCode(AnswerReveal r);        // "after_close", "after_submit", "never"
std::string_view LeaderboardModeCode(LeaderboardMode m);  // "live", "frozen", "hidden"

/// A round (đợt): its own window and attempt allowance, ranked on its own and in the overall
/// ranking. A contest without rounds has one implicit round (key 0) spanning its whole window.
struct Round {
  std::int64_t key = 0;  // the round's id; 0 for the implicit one
  int number = 1;
  std::string name;
  core::TimePoint opens_at;
  core::TimePoint closes_at;
  std::optional<int> attempts_allowed;  // empty: the contest's rule
};

core::Result<std::vector<Round>> ListRounds(store::Connection& conn, const Contest& contest);

/// The round open at `now`; empty when none is.
std::optional<Round> RoundAt(const std::vector<Round>& rounds, core::TimePoint now);

/// Replaces the contest's rounds (an empty list returns to one implicit round), audited.
core::Status SaveRounds(store::Connection& conn, const Contest& contest,
                        const std::vector<Round>& rounds, const audit::Actor& actor,
                        core::TimePoint now);

/// The ranking rule, word for word as the rules page and every result page state it.
std::string RankingRuleText(bool with_prediction);

/// The rules text (thể lệ) of the knowledge test, paragraph by paragraph, generated from the
/// contest's schedule, rounds and rules.
std::vector<std::string> RulesText(const Contest& contest, const QuizRules& rules,
                                   const std::vector<Round>& rounds);

}  // namespace hoithi::contest
