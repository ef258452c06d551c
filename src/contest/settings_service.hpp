// The one writer of a contest's settings (contests.settings, and its rounds): each change is an
// edit of the section as stored, applied inside the write under the contest's lock
// (store::LockKey), so that concurrent changes, through several committers or instances, are all
// kept; it is checked, audited with the section before and after, and the cached current contest is
// dropped at once.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "audit/audit_log.hpp"
#include "contest/current_contest_cache.hpp"
#include "contest/rounds.hpp"
#include "contest/settings.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace hoithi::contest {

class SettingsService {
 public:
  SettingsService(store::Database& db, CurrentContestCache& current, const core::Clock& clock);

  /// Receives the rules as stored and returns the new ones (or why not). Runs inside the write.
  using QuizRulesEdit = std::function<core::Result<QuizRules>(const QuizRules& stored)>;
  /// Changes the quiz rules; `done` gets the rules saved. kNotFound "no_contest".
  void EditQuizRules(const audit::Actor& actor, std::int64_t contest_id, QuizRulesEdit edit,
                     core::Callback<QuizRules> done);

  /// Receives the stored judging rules and the write's connection (for checks the judging module
  /// makes on its own tables inside the same transaction) and returns the new rules.
  using JudgingRulesEdit =
      std::function<core::Result<JudgingRules>(store::Connection&, const JudgingRules& stored)>;
  /// Changes the rubric and the judging choices; `done` gets the rules saved.
  void EditJudgingRules(const audit::Actor& actor, std::int64_t contest_id, JudgingRulesEdit edit,
                        core::Callback<JudgingRules> done);

  /// Replaces the ranking weights and prize choices (checked: ValidateResultsRules); `done` gets
  /// the rules saved. A published result keeps the rules it was computed with.
  void SaveResultsRules(const audit::Actor& actor, std::int64_t contest_id, ResultsRules rules,
                        core::Callback<ResultsRules> done);

  using FieldsEdit = std::function<core::Result<std::vector<RegistrationField>>(
      const std::vector<RegistrationField>& stored)>;
  /// Changes the registration fields; `done` gets the fields saved. kNotFound "no_contest".
  void EditRegistrationFields(const audit::Actor& actor, std::int64_t contest_id, FieldsEdit edit,
                              core::Callback<std::vector<RegistrationField>> done);

  /// Sets who may register under a unit (open, or checked against the units' rosters).
  void SetRegistrationMode(const audit::Actor& actor, std::int64_t contest_id,
                           RegistrationMode mode, core::Callback<RegistrationMode> done);

  /// Replaces the contest's rounds (SaveRounds: an empty list returns to one implicit round);
  /// `done` gets the rounds as stored.
  void ReplaceRounds(const audit::Actor& actor, const Contest& contest, std::vector<Round> rounds,
                     core::Callback<std::vector<Round>> done);

 private:
  /// Reads the stored settings under the contest's lock, applies `change` to them and, when it
  /// succeeds, stores the result; `change` returns the audit entry's before and after texts.
  using Change = std::function<core::Result<std::pair<std::string, std::string>>(store::Connection&,
                                                                                 Settings&)>;
  void Edit(const audit::Actor& actor, std::int64_t contest_id, audit::Action action, Change change,
            std::function<void(core::Result<Settings>)> done);

  store::Database& db_;
  CurrentContestCache& current_;
  const core::Clock& clock_;
};

}  // namespace hoithi::contest
