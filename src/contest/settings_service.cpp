// SettingsService: locked read-modify-write of contests.settings, audited.
#include "contest/settings_service.hpp"

#include <memory>

#include "contest/audit_actions.hpp"

namespace hoithi::contest {

SettingsService::SettingsService(store::Database& db, CurrentContestCache& current,
                                 const core::Clock& clock)
    : db_(db), current_(current), clock_(clock) {}

void SettingsService::Edit(const audit::Actor& actor, std::int64_t contest_id, audit::Action action,
                           Change change, std::function<void(core::Result<Settings>)> done) {
  const auto now = clock_.Now();
  auto saved = std::make_shared<Settings>();
  db_.Write(
      [=](store::Connection& c) -> core::Status {
        // The lock first, then the read: a concurrent edit of the same contest commits before
        // this one reads, so neither drops the other's change (PostgreSQL reads committed data
        // per statement; SQLite has one writer anyway).
        HOITHI_TRY(store::LockKey(c, "contest:" + std::to_string(contest_id)));
        std::optional<std::string> text;
        HOITHI_TRY(c.Query("SELECT settings FROM contests WHERE id = $1", {contest_id},
                           [&](const store::Row& r) { text = r.Str(0); }));
        if (!text) return ContestNotFound();
        auto stored = ParseSettings(*text);
        if (!stored) return std::move(stored).error();
        Settings next = **stored;
        auto texts = change(c, next);
        if (!texts) return std::move(texts).error();
        auto r = c.Exec("UPDATE contests SET settings = $2, updated_at = $3 WHERE id = $1",
                        {contest_id, SettingsJson(*text, next), core::ToEpochMs(now)});
        if (!r) return std::move(r).error();
        *saved = next;
        return audit::Record(c, actor,
                             audit::Entry{contest_id, action, "contest", std::to_string(contest_id),
                                          texts->first, texts->second},
                             now);
      },
      [this, saved, done](const core::Status& st) {
        if (!st) return done(st.error());
        current_.Invalidate();
        done(*saved);
      });
}

void SettingsService::EditQuizRules(const audit::Actor& actor, std::int64_t contest_id,
                                    QuizRulesEdit edit, core::Callback<QuizRules> done) {
  Edit(
      actor, contest_id, actions::kQuizRulesUpdate,
      [edit, contest_id](store::Connection& c,
                         Settings& s) -> core::Result<std::pair<std::string, std::string>> {
        auto before = QuizRulesJson(s.quiz);
        auto next = edit(s.quiz);
        if (!next) return std::move(next).error();
        HOITHI_TRY(ValidateQuizRules(*next));
        auto rounds = StoredRounds(c, contest_id);
        if (!rounds) return std::move(rounds).error();
        HOITHI_TRY(CheckRevealAfterSubmit(*next, *rounds));
        s.quiz = std::move(*next);
        return std::pair(std::move(before), QuizRulesJson(s.quiz));
      },
      [done](core::Result<Settings> r) {
        if (!r) return done(std::move(r).error());
        done(std::move(r->quiz));
      });
}

void SettingsService::EditJudgingRules(const audit::Actor& actor, std::int64_t contest_id,
                                       JudgingRulesEdit edit, core::Callback<JudgingRules> done) {
  Edit(
      actor, contest_id, actions::kJudgingRulesUpdate,
      [edit](store::Connection& c,
             Settings& s) -> core::Result<std::pair<std::string, std::string>> {
        auto before = JudgingRulesJson(s.judging);
        auto next = edit(c, s.judging);
        if (!next) return std::move(next).error();
        HOITHI_TRY(ValidateJudgingRules(*next));
        s.judging = std::move(*next);
        return std::pair(std::move(before), JudgingRulesJson(s.judging));
      },
      [done](core::Result<Settings> r) {
        if (!r) return done(std::move(r).error());
        done(std::move(r->judging));
      });
}

void SettingsService::SaveResultsRules(const audit::Actor& actor, std::int64_t contest_id,
                                       ResultsRules rules, core::Callback<ResultsRules> done) {
  Edit(
      actor, contest_id, actions::kResultsRulesUpdate,
      [rules](store::Connection&,
              Settings& s) -> core::Result<std::pair<std::string, std::string>> {
        HOITHI_TRY(ValidateResultsRules(rules));
        auto before = ResultsRulesJson(s.results);
        s.results = rules;
        return std::pair(std::move(before), ResultsRulesJson(s.results));
      },
      [done](core::Result<Settings> r) {
        if (!r) return done(std::move(r).error());
        done(r->results);
      });
}

void SettingsService::EditRegistrationFields(const audit::Actor& actor, std::int64_t contest_id,
                                             FieldsEdit edit,
                                             core::Callback<std::vector<RegistrationField>> done) {
  Edit(
      actor, contest_id, actions::kSettingsUpdate,
      [edit](store::Connection&, Settings& s) -> core::Result<std::pair<std::string, std::string>> {
        auto before = RegistrationFieldsJson(s.registration_fields);
        auto next = edit(s.registration_fields);
        if (!next) return std::move(next).error();
        HOITHI_TRY(ValidateRegistrationFields(*next));
        s.registration_fields = std::move(*next);
        return std::pair(std::move(before), RegistrationFieldsJson(s.registration_fields));
      },
      [done](core::Result<Settings> r) {
        if (!r) return done(std::move(r).error());
        done(std::move(r->registration_fields));
      });
}

void SettingsService::SetRegistrationMode(const audit::Actor& actor, std::int64_t contest_id,
                                          RegistrationMode mode,
                                          core::Callback<RegistrationMode> done) {
  Edit(
      actor, contest_id, actions::kSettingsUpdate,
      [mode](store::Connection&, Settings& s) -> core::Result<std::pair<std::string, std::string>> {
        auto text = [](RegistrationMode m) {
          return std::string(R"({"registration_mode":")") + std::string(RegistrationModeCode(m)) +
                 "\"}";
        };
        auto before = text(s.registration_mode);
        s.registration_mode = mode;
        return std::pair(std::move(before), text(mode));
      },
      [done](core::Result<Settings> r) {
        if (!r) return done(std::move(r).error());
        done(r->registration_mode);
      });
}

void SettingsService::ReplaceRounds(const audit::Actor& actor, const Contest& contest,
                                    std::vector<Round> rounds,
                                    core::Callback<std::vector<Round>> done) {
  db_.Write([contest, rounds = std::move(rounds), actor, now = clock_.Now()](
                store::Connection& c) { return SaveRounds(c, contest, rounds, actor, now); },
            [this, contest, done](const core::Status& st) {
              if (!st) return done(st.error());
              auto lease = db_.Read();
              done(ListRounds(*lease, contest));
            });
}

}  // namespace hoithi::contest
