// The judging rules: the "judging" section of the contest settings, parsed, checked and written.
#include "contest/judging_rules.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "contest/json_enum.hpp"
#include "core/text.hpp"

namespace hoithi::contest {
namespace {

using core::ErrorKind;
using nlohmann::json;

constexpr Points kMaxCriterion = 100000;  // 1.000 points

core::Error Invalid(std::string message, std::string field) {
  auto e = core::MakeError(ErrorKind::kValidation, "invalid_rubric", message, field);
  e.fields = {{e.field, e.message}};
  return e;
}

bool ValidKey(std::string_view key) {
  if (key.empty() || key.size() > 40) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

core::Result<JudgingRules> Parse(const json& j) {
  if (!j.is_object()) return Invalid("Mục \"judging\" phải là một đối tượng JSON.", "judging");
  JudgingRules r;
  if (j.contains("step")) {
    const auto step =
        j["step"].is_number() ? PointsFromNumber(j["step"].get<double>()) : std::nullopt;
    if (!step) return Invalid("Bước điểm phải là một số, ví dụ 0,5.", "step");
    r.step = *step;
  }
  if (!ParseEnum(j, "aggregation",
                 {Aggregation::kMean, Aggregation::kTrimmedMean, Aggregation::kStandardised},
                 AggregationCode, &r.aggregation)) {
    return Invalid("aggregation phải là mean, trimmed_mean hoặc standardised.", "aggregation");
  }
  if (!ParseEnum(j, "unit_score", {UnitVideoScore::kBest, UnitVideoScore::kMean},
                 UnitVideoScoreCode, &r.unit_score)) {
    return Invalid("unit_score phải là best hoặc mean.", "unit_score");
  }
  if (!ParseEnum(j, "assignment", {Assignment::kAll, Assignment::kExplicit}, AssignmentCode,
                 &r.assignment)) {
    return Invalid("assignment phải là all hoặc explicit.", "assignment");
  }
  if (j.contains("blind")) {
    if (!j["blind"].is_boolean()) return Invalid("blind phải là true hoặc false.", "blind");
    r.blind = j["blind"].get<bool>();
  }
  if (j.contains("criteria")) {
    const auto& list = j["criteria"];
    if (!list.is_array()) return Invalid("Danh sách tiêu chí chấm phải là một mảng.", "criteria");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto& c = list[i];
      const auto field = fmt::format("criteria[{}]", i);
      if (!c.is_object()) return Invalid("Mỗi tiêu chí chấm phải là một đối tượng.", field);
      Criterion out;
      for (const auto* key : {"key", "name", "description"}) {
        if (c.contains(key) && !c[key].is_string()) {
          return Invalid("Giá trị này phải là một chuỗi ký tự.", field + "." + key);
        }
      }
      out.key = c.value("key", "");
      out.name = c.value("name", "");
      out.description = c.value("description", "");
      if (!c.contains("max") || !c["max"].is_number()) {
        return Invalid("Hãy nhập điểm tối đa của tiêu chí.", field + ".max");
      }
      const auto max = PointsFromNumber(c["max"].get<double>());
      if (!max) return Invalid("Điểm tối đa phải là một số, ví dụ 20 hoặc 12,5.", field + ".max");
      out.max = *max;
      // Person-typed text is stored trimmed and in NFC (invalid UTF-8 is refused below).
      if (core::IsValidUtf8(out.name)) out.name = core::CleanText(out.name);
      if (core::IsValidUtf8(out.description)) out.description = core::ToNfc(out.description);
      r.criteria.push_back(std::move(out));
    }
  }
  return r;
}

json ToJson(const JudgingRules& r) {
  json criteria = json::array();
  for (const auto& c : r.criteria) {
    criteria.push_back({{"key", c.key},
                        {"name", c.name},
                        {"description", c.description},
                        {"max", PointsToNumber(c.max)}});
  }
  return {{"criteria", criteria},
          {"step", PointsToNumber(r.step)},
          {"aggregation", AggregationCode(r.aggregation)},
          {"unit_score", UnitVideoScoreCode(r.unit_score)},
          {"blind", r.blind},
          {"assignment", AssignmentCode(r.assignment)}};
}

}  // namespace

Points JudgingRules::Total() const {
  Points total = 0;
  for (const auto& c : criteria)
    total += c.max;
  return total;
}

const Criterion* JudgingRules::Find(std::string_view key) const {
  for (const auto& c : criteria) {
    if (c.key == key) return &c;
  }
  return nullptr;
}

core::Result<JudgingRules> ParseJudgingRules(std::string_view text) {
  if (text.empty()) return JudgingRules{};
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Invalid("Cài đặt chấm điểm không phải JSON hợp lệ.", "judging");
  return Parse(j);
}

core::Status ValidateJudgingRules(const JudgingRules& r) {
  if (r.step < 1 || r.step > 1000) {
    return Invalid("Bước điểm phải từ 0,01 đến 10 điểm.", "step");
  }
  if (r.criteria.empty() || r.criteria.size() > 20) {
    return Invalid("Thang điểm cần từ 1 đến 20 tiêu chí chấm.", "criteria");
  }
  std::set<std::string> keys;
  for (std::size_t i = 0; i < r.criteria.size(); ++i) {
    const auto& c = r.criteria[i];
    const auto field = fmt::format("criteria[{}]", i);
    if (!ValidKey(c.key)) {
      return Invalid("Mã tiêu chí gồm 1–40 chữ thường không dấu, chữ số hoặc dấu gạch dưới.",
                     field + ".key");
    }
    if (!keys.insert(c.key).second) {
      return Invalid("Mã tiêu chí \"" + c.key + "\" bị trùng.", field + ".key");
    }
    if (!core::IsValidUtf8(c.name) || !core::IsValidUtf8(c.description)) {
      return Invalid("Văn bản không đúng mã UTF-8.", field + ".name");
    }
    const auto length = core::CodePointCount(c.name);
    if (length == 0 || length > 200) {
      return Invalid("Tên tiêu chí cần từ 1 đến 200 ký tự.", field + ".name");
    }
    if (core::CodePointCount(c.description) > 2000) {
      return Invalid("Mô tả tiêu chí tối đa 2.000 ký tự.", field + ".description");
    }
    if (c.max <= 0 || c.max > kMaxCriterion) {
      return Invalid("Điểm tối đa của tiêu chí phải lớn hơn 0 và không quá 1.000.", field + ".max");
    }
    if (c.max % r.step != 0) {
      return Invalid("Điểm tối đa " + FormatPoints(c.max) + " không chia hết cho bước điểm " +
                         FormatPoints(r.step) + ".",
                     field + ".max");
    }
  }
  return core::Ok();
}

std::string JudgingRulesJson(const JudgingRules& rules) {
  return ToJson(rules).dump();
}

std::optional<Points> PointsFromNumber(double value) {
  if (!std::isfinite(value) || std::fabs(value) > 1e9) return std::nullopt;
  const double hundredths = value * 100.0;
  const double rounded = std::round(hundredths);
  if (std::fabs(hundredths - rounded) > 1e-6) return std::nullopt;
  return static_cast<Points>(rounded);
}

double PointsToNumber(Points points) {
  return static_cast<double>(points) / 100.0;
}

std::string FormatPoints(Points points) {
  const bool negative = points < 0;
  const Points abs = negative ? -points : points;
  auto out = fmt::format("{}{}", negative ? "-" : "", abs / 100);
  if (const auto frac = abs % 100; frac != 0) {
    out += frac % 10 == 0 ? fmt::format(",{}", frac / 10) : fmt::format(",{:02}", frac);
  }
  return out;
}

std::string_view AggregationCode(Aggregation a) {
  switch (a) {
    case Aggregation::kMean:
      return "mean";
    case Aggregation::kTrimmedMean:
      return "trimmed_mean";
    case Aggregation::kStandardised:
      return "standardised";
  }
  return "mean";
}

std::string_view AggregationLabel(Aggregation a) {
  switch (a) {
    case Aggregation::kMean:
      return "Điểm của mỗi video là trung bình cộng tổng điểm của các giám khảo đã chấm.";
    case Aggregation::kTrimmedMean:
      return "Điểm của mỗi video là trung bình cộng tổng điểm của các giám khảo, sau khi bỏ một "
             "điểm cao nhất và một điểm thấp nhất (khi có từ 5 giám khảo chấm; ít hơn thì lấy "
             "trung bình cộng).";
    case Aggregation::kStandardised:
      return "Tổng điểm của mỗi giám khảo được chuẩn hóa (trừ điểm trung bình, chia độ lệch chuẩn "
             "của chính giám khảo đó) rồi quy đổi về thang điểm của hội thi trước khi lấy trung "
             "bình, để giám khảo chấm chặt hay chấm rộng tay đều có trọng số như nhau.";
  }
  return "";
}

std::string_view UnitVideoScoreCode(UnitVideoScore s) {
  return s == UnitVideoScore::kBest ? "best" : "mean";
}

std::string_view AssignmentCode(Assignment a) {
  return a == Assignment::kAll ? "all" : "explicit";
}

}  // namespace hoithi::contest
