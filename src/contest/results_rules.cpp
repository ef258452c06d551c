// The results rules: the "results" section of the contest settings, parsed, checked and written.
#include "contest/results_rules.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace hoithi::contest {
namespace {

using nlohmann::json;

core::Error Invalid(std::string message, std::string field) {
  auto e = core::MakeError(core::ErrorKind::kValidation, "invalid_results_rules", message, field);
  e.fields = {{e.field, e.message}};
  return e;
}

struct IntField {
  const char* key;
  int ResultsRules::*member;
};
constexpr IntField kFields[] = {{"weight_participation", &ResultsRules::weight_participation},
                                {"weight_quiz", &ResultsRules::weight_quiz},
                                {"weight_video", &ResultsRules::weight_video},
                                {"video_prizes_per_unit", &ResultsRules::video_prizes_per_unit}};

struct TextField {
  const char* key;
  std::string ResultsRules::*member;
};
constexpr TextField kTexts[] = {{"authority", &ResultsRules::authority},
                                {"place", &ResultsRules::place},
                                {"signer_title", &ResultsRules::signer_title},
                                {"signer_name", &ResultsRules::signer_name}};

}  // namespace

core::Result<ResultsRules> ParseResultsRules(std::string_view text) {
  ResultsRules r;
  if (text.empty()) return r;
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Invalid("Mục \"results\" phải là một đối tượng JSON.", "results");
  }
  for (const auto& f : kFields) {
    if (!j.contains(f.key)) continue;
    const auto& v = j[f.key];
    if (!v.is_number_integer() || v.get<long long>() < -1000 || v.get<long long>() > 1000) {
      return Invalid("Giá trị này phải là một số nguyên.", f.key);
    }
    r.*f.member = v.get<int>();
  }
  for (const auto& f : kTexts) {
    if (!j.contains(f.key)) continue;
    if (!j[f.key].is_string()) return Invalid("Giá trị này phải là một chuỗi ký tự.", f.key);
    auto text = j[f.key].get<std::string>();
    // Stored in NFC (invalid UTF-8 is refused by Validate); line breaks kept for the signer.
    r.*f.member = core::IsValidUtf8(text) ? core::ToNfc(text) : text;
  }
  return r;
}

core::Status ValidateResultsRules(const ResultsRules& r) {
  for (const auto& f : kFields) {
    if (r.*f.member < 0 || r.*f.member > 100) {
      return Invalid("Giá trị này phải từ 0 đến 100.", f.key);
    }
  }
  for (const auto& f : kTexts) {
    const auto& text = r.*f.member;
    if (!core::IsValidUtf8(text) || core::CodePointCount(text) > 200) {
      return Invalid("Tối đa 200 ký tự.", f.key);
    }
  }
  const int sum = r.weight_participation + r.weight_quiz + r.weight_video;
  if (sum != 100) {
    return Invalid(fmt::format("Tổng các trọng số phải bằng 100 (hiện là {}).", sum),
                   "weight_video");
  }
  return core::Ok();
}

std::string ResultsRulesJson(const ResultsRules& r) {
  json j = json::object();
  for (const auto& f : kFields)
    j[f.key] = r.*f.member;
  for (const auto& f : kTexts)
    j[f.key] = r.*f.member;
  return j.dump();
}

std::string ResultsFormulaText(const ResultsRules& r) {
  return fmt::format(
      "Điểm tổng hợp của đơn vị = {}% × tỉ lệ tham gia + {}% × điểm trung bình phần thi trắc "
      "nghiệm + {}% × điểm phần thi video; mỗi thành phần quy về thang 100.",
      r.weight_participation, r.weight_quiz, r.weight_video);
}

}  // namespace hoithi::contest
