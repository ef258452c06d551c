// A contest's settings, set by its organisers and stored as JSON in contests.settings: the quiz
// rules (contest/quiz_rules.hpp), the judging rules (contest/judging_rules.hpp), the results rules
// (contest/results_rules.hpp) and the further
// fields asked at registration (which, whether required, whether unique, e.g. "one person, one
// entry" by ID card). Only contest/ reads or writes the JSON: everyone else sees the typed Settings
// a Contest carries, and changes them through SettingsService. Unknown JSON keys are kept untouched
// when a section is saved.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contest/judging_rules.hpp"
#include "contest/quiz_rules.hpp"
#include "contest/results_rules.hpp"
#include "core/error.hpp"

namespace hoithi::contest {

enum class FieldKind {
  kText,    // free text, up to 200 characters
  kIdCard,  // số CCCD: 12 digits
  kDate,    // dd/mm/yyyy
  kGender,  // Nam / Nữ / Khác
};

struct RegistrationField {
  std::string key;    // [a-z0-9_], stored in users.extra
  std::string label;  // "Số CCCD"
  FieldKind kind = FieldKind::kText;
  bool required = false;
  bool unique = false;  // at most one account per value in the contest
};

/// Who may register under a unit: anyone (open), or, checked against the unit's staff list
/// (roster), a registration that does not match waits for the unit's focal point
/// (accounts/verification.hpp).
enum class RegistrationMode { kOpen, kRoster };
std::string_view RegistrationModeCode(RegistrationMode mode);  // "open", "roster"
std::optional<RegistrationMode> ParseRegistrationMode(std::string_view code);

struct Settings {
  QuizRules quiz;
  JudgingRules judging;
  ResultsRules results;
  std::vector<RegistrationField> registration_fields;
  RegistrationMode registration_mode = RegistrationMode::kOpen;
};

/// Parses contests.settings; an empty or "{}" text gives the defaults. The outcome of the last
/// few texts is kept (a contest is loaded for every quiz write, and its settings change a few
/// times per contest), so a repeated text costs a comparison.
core::Result<std::shared_ptr<const Settings>> ParseSettings(std::string_view json);

/// The defaults, shared.
const std::shared_ptr<const Settings>& DefaultSettings();

/// `settings` written into the JSON text `original`: its sections replaced, other keys kept.
std::string SettingsJson(std::string_view original, const Settings& settings);

/// Checks keys, labels and kinds: unique keys of [a-z0-9_], 1–40 characters, labels not empty.
core::Status ValidateRegistrationFields(const std::vector<RegistrationField>& fields);

/// The registration fields as a JSON array's text (the audit entries' form).
std::string RegistrationFieldsJson(const std::vector<RegistrationField>& fields);

/// The fields of a "registration" section's text, {"fields": [...]} (the API's form; no "fields":
/// none); kValidation "invalid_settings" on a wrong shape or a field that
/// ValidateRegistrationFields refuses.
core::Result<std::vector<RegistrationField>> ParseRegistrationSection(std::string_view json);

std::string_view FieldKindCode(FieldKind kind);   // "text", "id_card", "date", "gender"
std::string_view FieldKindLabel(FieldKind kind);  // Vietnamese

/// The choices of a gender field, as shown and stored.
const std::vector<std::string>& GenderChoices();

}  // namespace hoithi::contest
