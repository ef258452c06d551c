// Attempts at the knowledge test, with the server as the only clock and the only grader.
//
// Lifecycle of an attempt and the function that moves it:
//   (none) -> active     Start: inside the window, not paused, attempts left; questions drawn
//                        and options permuted; the deadline fixed by the server. A participant
//                        has at most one active attempt: Start returns it again (resume),
//                        also while paused or after the window closed, until its cut-off.
//   active -> active     SaveAnswers (autosave), until the deadline: an answer counts only if
//                        it reached the server by then.
//   active -> submitted  Submit, until the cut-off (deadline + grace period): graded from the
//                        versions shown; the duration, measured by the server, is capped at the
//                        time limit. The grace period is for the network, not for answering: a
//                        submit that arrives after the deadline finalises the attempt with the
//                        answers stored by the deadline, and the answers it carries are ignored
//                        (counted in SubmitResult::late_answers).
//   active -> expired    FinalizeDue (the sweeper) or any access after the cut-off: graded with
//                        the answers saved by then, as if submitted at the deadline.
// Finalising also updates the participant's counted result (best, first or last attempt) for the
// round and overall, in the same transaction. Submitting a finalised attempt changes nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/audit_log.hpp"
#include "contest/contest.hpp"
#include "contest/quiz_rules.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "quiz/question_cache.hpp"
#include "quiz/standings.hpp"
#include "store/database.hpp"

namespace hoithi::quiz {

struct Participant {
  std::int64_t user_id = 0;
  std::optional<std::int64_t> unit_id;
  /// A registration still waiting for its unit's confirmation (accounts/verification.hpp): it may
  /// not start an attempt.
  bool registration_pending = false;
};

enum class AttemptStatus { kActive, kSubmitted, kExpired };
std::string_view AttemptStatusCode(AttemptStatus s);   // "active", "submitted", "expired"
std::string_view AttemptStatusLabel(AttemptStatus s);  // Vietnamese

struct AttemptItem {
  int position = 0;  // 1-based
  std::int64_t question_id = 0;
  int version = 0;
  std::vector<int> option_order;
  std::optional<int> answer;  // the option's index in the version
  std::optional<bool> correct;
};

struct Attempt {
  std::int64_t id = 0;
  std::int64_t contest_id = 0;
  std::int64_t round_key = 0;
  std::int64_t user_id = 0;
  std::optional<std::int64_t> unit_id;
  int number = 1;
  AttemptStatus status = AttemptStatus::kActive;
  core::TimePoint started_at;
  core::TimePoint deadline_at;
  core::TimePoint cutoff_at;
  std::optional<core::TimePoint> finished_at;
  int total = 0;
  std::optional<int> correct;
  std::optional<std::int64_t> duration_ms;
  std::optional<std::int64_t> prediction;
  /// Whether its options are named by their place in this attempt (ShownOption::id): every
  /// attempt started since migration 0014; those already under way then kept the indexes.
  bool positional_option_ids = true;
  std::vector<AttemptItem> items;
};

/// An answer as a participant sends it: the option by its id in their attempt (ShownOption::id).
struct AnswerInput {
  std::int64_t question_id = 0;
  int option_id = 0;
};

/// An option as the participant sees it. Its id is its place in this attempt's order, not its
/// index in the question: with shuffled options "question 123, option 2" means a different
/// option in every attempt, so it can be neither shared nor learnt from someone else's.
struct ShownOption {
  int id = 0;     // what the participant sends back (AnswerInput::option_id)
  int index = 0;  // in the version (QuestionVersion::options), for the server's own lookups
  std::string_view text;
};

/// A question as the participant sees it; the key is filled in only when the rules allow.
struct ShownQuestion {
  int position = 0;
  std::int64_t question_id = 0;
  std::shared_ptr<const QuestionVersion> version;  // what the texts below point into
  std::string_view text;
  std::vector<ShownOption> options;   // display order
  std::optional<int> answer;          // an option id
  std::optional<bool> correct;        // when the answers may be revealed
  std::optional<int> correct_option;  // an option id, when the answers may be revealed
  std::string_view source;            // likewise
};

struct StartResult {
  Attempt attempt;
  bool resumed = false;
};

struct SubmitResult {
  Attempt attempt;
  bool already_final = false;  // it had been finalised before this call
  // A repeat of the submit that finalised it (the same answers and prediction, or none): a
  // client or proxy retrying after a lost response, which gets the stored result again.
  bool repeated = false;
  /// In the attempt's round, from the standings once committed; 0: unknown, or not to be shown
  /// (a hidden or frozen board, contest::LiveRanksShown).
  std::int64_t rank = 0;
  /// Answers the submit carried that differ from the stored ones and arrived after the deadline
  /// (within the grace period): not counted.
  int late_answers = 0;
};

/// A counted result as a finalisation wrote it (for the standings, once the write committed).
struct WrittenResult {
  std::int64_t contest_id = 0;
  std::int64_t round_key = 0;
  Standing standing;
};

using core::Callback;

/// What a press of Start would meet now, for the pages that offer it: an attempt to resume, or
/// whether a round is open and what is left of its allowance (the waiting room aside).
struct StartOutlook {
  std::optional<std::int64_t> active_id;  // an attempt under way
  bool open = false;                      // a round is open and the quiz not paused
  std::string round_name;                 // of the open round, when the contest has rounds
  int used = 0;                           // attempts in the open round
  int allowance = 0;                      // 0: unlimited
  /// Every attempt of the open round used: a Start would be refused.
  bool exhausted() const { return open && !active_id && allowance > 0 && used >= allowance; }
};

class AttemptService {
 public:
  /// `standings` receives every counted result this service commits (Standings::Record).
  /// `waiting_room`: a start is turned away (429 waiting_room, Retry-After) while the database's
  /// write backlog (store::Database::ExpectedWriteWait) exceeds it; zero: never.
  AttemptService(store::Database& db, QuestionCache& bank, const core::Clock& clock,
                 Standings& standings,
                 std::chrono::milliseconds waiting_room = std::chrono::milliseconds(0));

  /// The standings of the rounds, kept up to date with this service's writes.
  Standings& standings() { return standings_; }

  void Start(const Participant& who, const contest::Contest& contest, Callback<StartResult> done);

  /// The participant's attempt (kNotFound for anyone else's). An attempt past its cut-off is
  /// finalised first.
  void Find(const Participant& who, std::int64_t attempt_id, Callback<Attempt> done);

  /// Records answers (partial). kValidation "unknown_question"/"unknown_option" when one names a
  /// question outside the attempt or another question's option: nothing saved then. kConflict
  /// "attempt_closed" after the deadline or finalisation.
  void SaveAnswers(const Participant& who, std::int64_t attempt_id,
                   std::vector<AnswerInput> answers, std::function<void(core::Status)> done);

  /// Records `answers` (if any), grades and finalises. Past the deadline the answers are ignored
  /// (late_answers counts those that would have changed something); within the grace period the
  /// attempt is still submitted (with its prediction), past the cut-off it is finalised as it
  /// stood at the deadline. On a finalised attempt nothing
  /// changes: the stored result comes back with already_final, and `repeated` when the call
  /// repeats the submit that finalised it (safe to retry).
  void Submit(const Participant& who, std::int64_t attempt_id, std::vector<AnswerInput> answers,
              std::optional<std::int64_t> prediction, Callback<SubmitResult> done);

  /// Finalises up to `limit` attempts past their cut-off; returns how many. Safe from any number
  /// of instances at once (each attempt is finalised exactly once).
  core::Result<int> FinalizeDue(int limit);

  /// The participant's attempts in the contest, newest first.
  core::Result<std::vector<Attempt>> History(const Participant& who, std::int64_t contest_id);
  /// What Start would meet now for the participant whose History is `history`, by the same
  /// rules (window, pause, the round open now and its allowance).
  core::Result<StartOutlook> Outlook(const contest::Contest& contest,
                                     const std::vector<Attempt>& history);

  /// Whether the contest's window has closed and no attempt in it can be answered any more (each
  /// is final or past its cut-off): with `reveal = after_close` the key is shown only then, so
  /// that an attempt started just before the close cannot learn it from a finished one.
  core::Result<bool> AllAttemptsSettled(const contest::Contest& contest, core::TimePoint now);

  /// The attempt's questions as shown to its participant at `now`.
  core::Result<std::vector<ShownQuestion>> Show(const Attempt& attempt,
                                                const contest::Contest& contest,
                                                const contest::QuizRules& rules,
                                                core::TimePoint now);

  /// Grants one participant extra attempts (for the current and later rounds) or extra seconds on
  /// their active attempt (kConflict "no_active_attempt" when there is none), for an attempt
  /// broken by a genuine technical fault. Audited.
  void Grant(const audit::Actor& actor, std::int64_t contest_id, std::int64_t user_id,
             bool extra_time, int amount, std::string reason,
             std::function<void(core::Status)> done);

 private:
  /// Hands the counted results a committed write left to the standings.
  void Publish(const std::vector<WrittenResult>& written);

  store::Database& db_;
  QuestionCache& bank_;
  const core::Clock& clock_;
  Standings& standings_;
  std::chrono::milliseconds waiting_room_;
  std::mutex settled_mu_;
  std::map<std::int64_t, std::int64_t> settled_;  // contest -> its close (ms) once all settled
};

/// Loads an attempt with its items.
core::Result<std::optional<Attempt>> LoadAttempt(store::Connection& conn, std::int64_t attempt_id);

}  // namespace hoithi::quiz
