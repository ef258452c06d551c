// JSON (de)serialisation and checks of contest settings.
#include "contest/settings.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace hoithi::contest {
namespace {

using core::ErrorKind;
using nlohmann::json;

core::Error Invalid(std::string message, std::string field = "settings") {
  return core::MakeError(ErrorKind::kValidation, "invalid_settings", std::move(message),
                         std::move(field));
}

bool ParseKind(std::string_view code, FieldKind* out) {
  for (auto k : {FieldKind::kText, FieldKind::kIdCard, FieldKind::kDate, FieldKind::kGender}) {
    if (FieldKindCode(k) == code) {
      *out = k;
      return true;
    }
  }
  return false;
}

json FieldsJson(const std::vector<RegistrationField>& fields) {
  json out = json::array();
  for (const auto& f : fields) {
    out.push_back({{"key", f.key},
                   {"label", f.label},
                   {"kind", std::string(FieldKindCode(f.kind))},
                   {"required", f.required},
                   {"unique", f.unique}});
  }
  return out;
}

}  // namespace

std::string_view FieldKindCode(FieldKind kind) {
  switch (kind) {
    case FieldKind::kText:
      return "text";
    case FieldKind::kIdCard:
      return "id_card";
    case FieldKind::kDate:
      return "date";
    case FieldKind::kGender:
      return "gender";
  }
  return "text";
}

std::string_view FieldKindLabel(FieldKind kind) {
  switch (kind) {
    case FieldKind::kText:
      return "Văn bản";
    case FieldKind::kIdCard:
      return "Số CCCD (12 chữ số)";
    case FieldKind::kDate:
      return "Ngày (dd/mm/yyyy)";
    case FieldKind::kGender:
      return "Giới tính";
  }
  return "";
}

const std::vector<std::string>& GenderChoices() {
  static const std::vector<std::string> choices = {"Nam", "Nữ", "Khác"};
  return choices;
}

core::Result<Settings> ParseSettings(std::string_view text) {
  Settings s;
  if (text.empty()) return s;
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Invalid("Cài đặt hội thi không phải JSON hợp lệ.");
  if (const auto reg = j.find("registration"); reg != j.end() && reg->is_object()) {
    if (const auto fields = reg->find("fields"); fields != reg->end() && fields->is_array()) {
      for (const auto& f : *fields) {
        if (!f.is_object()) return Invalid("Mỗi trường đăng ký phải là một đối tượng JSON.");
        RegistrationField field;
        field.key = f.value("key", "");
        field.label = f.value("label", "");
        if (!ParseKind(f.value("kind", "text"), &field.kind)) {
          return Invalid("Loại trường không hợp lệ: " + f.value("kind", ""));
        }
        field.required = f.value("required", false);
        field.unique = f.value("unique", false);
        s.registration_fields.push_back(std::move(field));
      }
    }
  }
  HOITHI_TRY(ValidateSettings(s));
  return s;
}

std::string MergeSettings(std::string_view original, const Settings& s) {
  json j = json::parse(original.empty() ? std::string_view("{}") : original, nullptr, false);
  if (j.is_discarded() || !j.is_object()) j = json::object();
  j["registration"]["fields"] = FieldsJson(s.registration_fields);
  return j.dump();
}

core::Status SaveRegistrationFields(store::Connection& conn, const Contest& contest,
                                    const std::vector<RegistrationField>& fields,
                                    const audit::Actor& actor, core::TimePoint now) {
  Settings next;
  next.registration_fields = fields;
  HOITHI_TRY(ValidateSettings(next));
  // Read the stored settings inside the transaction, so concurrent edits do not drop each other.
  auto stored = FindContestById(conn, contest.id);
  if (!stored) return std::move(stored).error();
  if (!*stored) {
    return core::MakeError(ErrorKind::kNotFound, "no_contest", "Không tìm thấy hội thi.");
  }
  auto before = ParseSettings((*stored)->settings_json);
  HOITHI_TRY(
      SaveSettingsJson(conn, contest.id, MergeSettings((*stored)->settings_json, next), now));
  return audit::Record(
      conn, actor,
      audit::Entry{
          contest.id, "contest.settings_update", "contest", std::to_string(contest.id),
          before ? FieldsJson(before->registration_fields).dump() : std::optional<std::string>(),
          FieldsJson(fields).dump()},
      now);
}

core::Status ValidateSettings(const Settings& s) {
  std::set<std::string> keys;
  static const std::set<std::string> kReserved = {"full_name", "phone",    "email",  "unit_code",
                                                  "position",  "password", "contest"};
  for (const auto& f : s.registration_fields) {
    const bool key_ok =
        !f.key.empty() && f.key.size() <= 40 && std::all_of(f.key.begin(), f.key.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        });
    if (!key_ok) {
      return Invalid("Mã trường \"" + f.key +
                     "\" chỉ gồm chữ thường không dấu, chữ số, dấu gạch dưới (tối đa 40 ký tự).");
    }
    if (kReserved.count(f.key)) return Invalid("Mã trường \"" + f.key + "\" đã được dùng sẵn.");
    if (!keys.insert(f.key).second) return Invalid("Mã trường \"" + f.key + "\" bị trùng.");
    if (f.label.empty() || f.label.size() > 200) {
      return Invalid("Tên hiển thị của trường \"" + f.key + "\" không được để trống.");
    }
  }
  return core::Ok();
}

}  // namespace hoithi::contest
