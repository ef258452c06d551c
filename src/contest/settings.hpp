// A contest's settings, stored as JSON in contests.settings and set by its organisers. This
// issue's part: the further fields asked at registration (which, whether required, whether
// unique, e.g. "one person, one entry" by ID card). Unknown JSON keys are kept untouched, so a
// later part can add its section without losing this one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "contest/contest.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

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

struct Settings {
  std::vector<RegistrationField> registration_fields;
};

/// Parses contests.settings; an empty or "{}" text gives the defaults.
core::Result<Settings> ParseSettings(std::string_view json);

/// `settings` merged into the JSON text `original` (other sections are kept).
std::string MergeSettings(std::string_view original, const Settings& settings);

/// Checks keys, labels and kinds: unique keys of [a-z0-9_], 1–40 characters, labels not empty.
core::Status ValidateSettings(const Settings& settings);

std::string_view FieldKindCode(FieldKind kind);   // "text", "id_card", "date", "gender"
std::string_view FieldKindLabel(FieldKind kind);  // Vietnamese

/// Replaces the contest's registration fields (other settings kept), with an audit entry holding
/// the fields before and after. Inside the committer's write.
core::Status SaveRegistrationFields(store::Connection& conn, const Contest& contest,
                                    const std::vector<RegistrationField>& fields,
                                    const audit::Actor& actor, core::TimePoint now);

/// The choices of a gender field, as shown and stored.
const std::vector<std::string>& GenderChoices();

}  // namespace hoithi::contest
