// Contest settings: the JSON text parsed (and its outcome kept), written back, and checked.
#include "contest/settings.hpp"

#include <algorithm>
#include <deque>
#include <mutex>
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

std::string_view RegistrationModeCode(RegistrationMode mode) {
  return mode == RegistrationMode::kRoster ? "roster" : "open";
}

std::optional<RegistrationMode> ParseRegistrationMode(std::string_view code) {
  if (code == "open") return RegistrationMode::kOpen;
  if (code == "roster") return RegistrationMode::kRoster;
  return std::nullopt;
}

const std::vector<std::string>& GenderChoices() {
  static const std::vector<std::string> choices = {"Nam", "Nữ", "Khác"};
  return choices;
}

namespace {

core::Result<std::vector<RegistrationField>> FieldsFrom(const json& reg) {
  std::vector<RegistrationField> out;
  if (!reg.is_object()) return out;
  const auto fields = reg.find("fields");
  if (fields == reg.end() || !fields->is_array()) return out;
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
    out.push_back(std::move(field));
  }
  HOITHI_TRY(ValidateRegistrationFields(out));
  return out;
}

core::Result<std::shared_ptr<const Settings>> Parse(std::string_view text) {
  auto s = std::make_shared<Settings>();
  if (text.empty()) return std::shared_ptr<const Settings>(std::move(s));
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Invalid("Cài đặt hội thi không phải JSON hợp lệ.");
  if (const auto reg = j.find("registration"); reg != j.end()) {
    auto fields = FieldsFrom(*reg);
    if (!fields) return std::move(fields).error();
    s->registration_fields = std::move(*fields);
    if (reg->is_object() && reg->contains("mode")) {
      const auto mode = (*reg)["mode"].is_string()
                            ? ParseRegistrationMode((*reg)["mode"].get<std::string>())
                            : std::nullopt;
      if (!mode) return Invalid("Chế độ đăng ký phải là open hoặc roster.", "mode");
      s->registration_mode = *mode;
    }
  }
  if (const auto quiz = j.find("quiz"); quiz != j.end()) {
    auto rules = ParseQuizRules(quiz->dump());
    if (!rules) return std::move(rules).error();
    s->quiz = std::move(*rules);
  }
  if (const auto judging = j.find("judging"); judging != j.end()) {
    auto rules = ParseJudgingRules(judging->dump());
    if (!rules) return std::move(rules).error();
    s->judging = std::move(*rules);
  }
  if (const auto results = j.find("results"); results != j.end()) {
    auto rules = ParseResultsRules(results->dump());
    if (!rules) return std::move(rules).error();
    s->results = *rules;
  }
  return std::shared_ptr<const Settings>(std::move(s));
}

}  // namespace

core::Result<std::shared_ptr<const Settings>> ParseSettings(std::string_view text) {
  // Every write of the quiz reads its contest (and so its settings) inside the transaction, and
  // the settings change a few times per contest: parsing them each time was 6% of the server's
  // core at the peak. The parse is a pure function of the text, so the last few texts keep their
  // outcome.
  constexpr std::size_t kKept = 8;
  static std::mutex mu;
  static std::deque<std::pair<std::string, core::Result<std::shared_ptr<const Settings>>>> kept;
  {
    std::lock_guard lock(mu);
    for (const auto& [t, outcome] : kept) {
      if (t == text) return outcome;
    }
  }
  auto outcome = Parse(text);
  std::lock_guard lock(mu);
  if (kept.size() >= kKept) kept.pop_front();
  kept.emplace_back(std::string(text), outcome);
  return outcome;
}

const std::shared_ptr<const Settings>& DefaultSettings() {
  static const std::shared_ptr<const Settings> defaults = std::make_shared<const Settings>();
  return defaults;
}

std::string SettingsJson(std::string_view original, const Settings& s) {
  json j = json::parse(original.empty() ? std::string_view("{}") : original, nullptr, false);
  if (j.is_discarded() || !j.is_object()) j = json::object();
  j["registration"]["fields"] = FieldsJson(s.registration_fields);
  j["registration"]["mode"] = std::string(RegistrationModeCode(s.registration_mode));
  j["quiz"] = json::parse(QuizRulesJson(s.quiz));
  j["judging"] = json::parse(JudgingRulesJson(s.judging));
  j["results"] = json::parse(ResultsRulesJson(s.results));
  return j.dump();
}

std::string RegistrationFieldsJson(const std::vector<RegistrationField>& fields) {
  return FieldsJson(fields).dump();
}

core::Result<std::vector<RegistrationField>> ParseRegistrationSection(std::string_view text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Invalid("Cài đặt hội thi không phải JSON hợp lệ.");
  return FieldsFrom(j);
}

core::Status ValidateRegistrationFields(const std::vector<RegistrationField>& fields) {
  std::set<std::string> keys;
  static const std::set<std::string> kReserved = {"full_name", "phone",    "email",  "unit_code",
                                                  "position",  "password", "contest"};
  for (const auto& f : fields) {
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
