// The contest file: written by hand (a fixed order and layout, so the same edition gives the same
// bytes), read with toml++ (confined to this file), every key checked.
#include "editions/definition.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/time_format.hpp"

namespace hoithi::editions {
namespace {

using nlohmann::json;

core::Error Invalid(const std::string& key, const std::string& message) {
  auto e = core::MakeError(core::ErrorKind::kValidation, "invalid_definition",
                           key.empty() ? message : key + ": " + message, key);
  e.fields = {{e.field, e.message}};
  return e;
}

// --- writing -----------------------------------------------------------------------------------

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04X}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

/// An instant as a TOML offset date-time in UTC, with the contest's local time as a comment.
std::string When(core::TimePoint t, const std::string& tz) {
  auto rfc = core::FormatRfc3339(t);  // "2021-09-15T00:00:00.000Z"
  if (rfc.size() == 24 && rfc.compare(19, 5, ".000Z") == 0) rfc = rfc.substr(0, 19) + "Z";
  return rfc + "  # " + core::FormatDateTime(t, tz, true);
}

/// Points as a TOML number: 20, 7.5, 0.25 (hundredths in the rules).
std::string PointsValue(contest::Points p) {
  return p % 100 == 0 ? std::to_string(p / 100) : fmt::format("{:.2f}", contest::PointsToNumber(p));
}

void Line(std::string& out, std::string_view key, const std::string& value) {
  out += std::string(key) + " = " + value + "\n";
}

// --- reading -----------------------------------------------------------------------------------

/// The keys a table may hold; anything else is refused.
core::Status OnlyKeys(const toml::table& t, const std::string& where,
                      std::initializer_list<std::string_view> keys) {
  for (const auto& [key, node] : t) {
    const std::string_view k = key.str();
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      std::string list;
      for (const auto allowed : keys)
        list += (list.empty() ? "" : ", ") + std::string(allowed);
      const auto name = where.empty() ? std::string(k) : where + "." + std::string(k);
      return Invalid(name, "khóa không được hỗ trợ (các khóa hợp lệ: " + list + ").");
    }
  }
  return core::Ok();
}

const toml::table* TableAt(const toml::table& t, std::string_view key) {
  const auto* node = t.get(key);
  return node ? node->as_table() : nullptr;
}

core::Result<std::string> Text(const toml::table& t, const std::string& where, std::string_view key,
                               bool required) {
  const auto* node = t.get(key);
  const auto name = where + "." + std::string(key);
  if (!node) {
    if (required) return Invalid(name, "thiếu giá trị bắt buộc.");
    return std::string();
  }
  auto v = node->value_exact<std::string>();
  if (!v) return Invalid(name, "cần một chuỗi ký tự trong dấu ngoặc kép.");
  return *v;
}

core::Result<std::optional<std::int64_t>> Integer(const toml::table& t, const std::string& where,
                                                  std::string_view key, bool required) {
  const auto* node = t.get(key);
  const auto name = where + "." + std::string(key);
  if (!node) {
    if (required) return Invalid(name, "thiếu giá trị bắt buộc.");
    return std::optional<std::int64_t>();
  }
  auto v = node->value_exact<std::int64_t>();
  if (!v) return Invalid(name, "cần một số nguyên.");
  return std::optional<std::int64_t>(*v);
}

core::Result<std::optional<bool>> Boolean(const toml::table& t, const std::string& where,
                                          std::string_view key) {
  const auto* node = t.get(key);
  if (!node) return std::optional<bool>();
  auto v = node->value_exact<bool>();
  if (!v) return Invalid(where + "." + std::string(key), "cần true hoặc false.");
  return std::optional<bool>(*v);
}

core::Result<std::optional<core::TimePoint>> Instant(const toml::table& t, const std::string& where,
                                                     std::string_view key, bool required) {
  const auto* node = t.get(key);
  const auto name = where + "." + std::string(key);
  if (!node) {
    if (required) return Invalid(name, "thiếu giá trị bắt buộc.");
    return std::optional<core::TimePoint>();
  }
  const auto* dt = node->as_date_time();
  if (!dt || !dt->get().offset) {
    return Invalid(name,
                   "cần ngày giờ kèm múi giờ, ví dụ 2021-09-15T07:00:00+07:00 hoặc "
                   "2021-09-15T00:00:00Z.");
  }
  const auto& v = dt->get();
  const int offset = v.offset->minutes;
  const auto text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}{:02}:{:02}",
                                v.date.year, v.date.month, v.date.day, v.time.hour, v.time.minute,
                                v.time.second, v.time.nanosecond / 1000000, offset < 0 ? '-' : '+',
                                std::abs(offset) / 60, std::abs(offset) % 60);
  auto parsed = core::ParseRfc3339(text);
  if (!parsed) return Invalid(name, "ngày giờ không hợp lệ.");
  return std::optional<core::TimePoint>(*parsed);
}

/// The array of tables at `key` (absent: none); kValidation when it is something else.
core::Result<std::vector<const toml::table*>> Tables(const toml::table& t, std::string_view key) {
  std::vector<const toml::table*> out;
  const auto* node = t.get(key);
  if (!node) return out;
  const auto* arr = node->as_array();
  if (!arr) return Invalid(std::string(key), "cần một danh sách [[" + std::string(key) + "]].");
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto* item = (*arr)[i].as_table();
    if (!item) {
      return Invalid(std::string(key) + "[" + std::to_string(i) + "]", "cần một bảng.");
    }
    out.push_back(item);
  }
  return out;
}

/// A TOML value as JSON: an integer, a float, a boolean or a string (nullopt for anything else).
std::optional<json> Scalar(const toml::node& node) {
  if (auto i = node.value_exact<std::int64_t>()) return json(*i);
  if (auto d = node.value_exact<double>()) return json(*d);
  if (auto b = node.value_exact<bool>()) return json(*b);
  if (auto s = node.value_exact<std::string>()) return json(*s);
  return std::nullopt;
}

/// [judging] and its [[judging.criteria]]: the rubric, through the same checks as the API's.
core::Result<contest::JudgingRules> ReadJudging(const toml::table& t) {
  HOITHI_TRY(OnlyKeys(t, "judging",
                      {"step", "aggregation", "unit_score", "blind", "assignment", "criteria"}));
  json j = json::object();
  for (const auto& [key, node] : t) {
    const std::string k(key.str());
    if (k == "criteria") continue;
    auto v = Scalar(node);
    if (!v) return Invalid("judging." + k, "giá trị không đúng kiểu.");
    j[k] = *v;
  }
  auto criteria = Tables(t, "criteria");
  if (!criteria) return Invalid("judging.criteria", criteria.error().message);
  j["criteria"] = json::array();
  for (std::size_t i = 0; i < criteria->size(); ++i) {
    const auto at = "judging.criteria[" + std::to_string(i) + "]";
    HOITHI_TRY(OnlyKeys(*(*criteria)[i], at, {"key", "name", "description", "max"}));
    json c = json::object();
    for (const auto& [key, node] : *(*criteria)[i]) {
      auto v = Scalar(node);
      if (!v) return Invalid(at + "." + std::string(key.str()), "giá trị không đúng kiểu.");
      c[std::string(key.str())] = *v;
    }
    j["criteria"].push_back(std::move(c));
  }
  auto rules = contest::ParseJudgingRules(j.dump());
  if (!rules) return Invalid("judging." + rules.error().field, rules.error().message);
  if (!rules->criteria.empty()) {
    if (auto st = contest::ValidateJudgingRules(*rules); !st) {
      return Invalid("judging." + st.error().field, st.error().message);
    }
  }
  return *rules;
}

/// [results]: the ranking's weights and the video prizes per unit, through the API's checks.
core::Result<contest::ResultsRules> ReadResults(const toml::table& t) {
  HOITHI_TRY(
      OnlyKeys(t, "results",
               {"weight_participation", "weight_quiz", "weight_video", "video_prizes_per_unit",
                "authority", "place", "signer_title", "signer_name"}));
  json j = json::object();
  for (const auto& [key, node] : t) {
    auto v = Scalar(node);
    if (!v) return Invalid("results." + std::string(key.str()), "giá trị không đúng kiểu.");
    j[std::string(key.str())] = *v;
  }
  auto rules = contest::ParseResultsRules(j.dump());
  if (!rules) return Invalid("results." + rules.error().field, rules.error().message);
  if (auto st = contest::ValidateResultsRules(*rules); !st) {
    return Invalid("results." + st.error().field, st.error().message);
  }
  return *rules;
}

core::Result<contest::QuizRules> ReadQuiz(const toml::table& q) {
  HOITHI_TRY(OnlyKeys(
      q, "quiz",
      {"questions_per_attempt", "topic_quotas", "time_limit_s", "attempts_allowed",
       "counted_attempt", "shuffle_questions", "shuffle_options", "reveal_answers", "grace_s",
       "leaderboard", "leaderboard_frozen_at", "results_published", "paused", "prediction"}));
  // The section as the JSON the quiz rules are parsed from (one set of checks for both forms).
  json j = json::object();
  for (const auto& [key, node] : q) {
    const std::string k(key.str());
    if (k == "topic_quotas") {
      const auto* quotas = node.as_table();
      if (!quotas) return Invalid("quiz.topic_quotas", "cần một bảng {chủ đề = số câu}.");
      json out = json::object();
      for (const auto& [topic, n] : *quotas) {
        auto v = n.value_exact<std::int64_t>();
        if (!v) return Invalid("quiz.topic_quotas." + std::string(topic.str()), "cần số nguyên.");
        out[std::string(topic.str())] = *v;
      }
      j[k] = out;
    } else if (k == "prediction") {
      const auto* p = node.as_table();
      if (!p) return Invalid("quiz.prediction", "cần một bảng.");
      HOITHI_TRY(OnlyKeys(*p, "quiz.prediction", {"enabled", "question", "answer"}));
      auto enabled = Boolean(*p, "quiz.prediction", "enabled");
      auto question = Text(*p, "quiz.prediction", "question", false);
      auto answer = Integer(*p, "quiz.prediction", "answer", false);
      if (!enabled) return std::move(enabled).error();
      if (!question) return std::move(question).error();
      if (!answer) return std::move(answer).error();
      j[k] = {{"enabled", enabled->value_or(false)},
              {"question", *question},
              {"answer", *answer ? json(**answer) : json(nullptr)}};
    } else if (k == "leaderboard_frozen_at") {
      auto t = Instant(q, "quiz", k, false);
      if (!t) return std::move(t).error();
      j[k] = core::FormatRfc3339(**t);
    } else if (auto i = node.value_exact<std::int64_t>()) {
      j[k] = *i;
    } else if (auto b = node.value_exact<bool>()) {
      j[k] = *b;
    } else if (auto s = node.value_exact<std::string>()) {
      j[k] = *s;
    } else {
      return Invalid("quiz." + k, "giá trị không đúng kiểu.");
    }
  }
  auto rules = contest::ParseQuizRules(j.dump());
  if (!rules) {
    return Invalid("quiz." + rules.error().field, rules.error().message);
  }
  return *rules;
}

}  // namespace

std::string WriteDefinition(const Definition& d) {
  const auto& c = d.contest;
  const auto& tz = c.time_zone;
  std::string out;
  out += "# " + c.name + "\n";
  out +=
      "# Tệp định nghĩa hội thi của hoithi: xuất bằng `hoithi contest export`, nạp lại bằng\n"
      "# `hoithi contest import TỆP --apply`. Thời gian ghi theo giờ UTC (Z); giờ địa phương ở\n"
      "# chú thích sau dấu #.\n\n";
  out += "[contest]\n";
  Line(out, "slug", Quoted(c.slug));
  Line(out, "name", Quoted(c.name));
  Line(out, "organiser", Quoted(c.organiser));
  Line(out, "time_zone", Quoted(c.time_zone));
  Line(out, "contact_office", Quoted(c.contact_office));
  Line(out, "contact_phone", Quoted(c.contact_phone));
  Line(out, "contact_email", Quoted(c.contact_email));

  out += "\n[schedule]\n";
  Line(out, "opens_at", When(c.schedule.opens_at, tz));
  Line(out, "closes_at", When(c.schedule.closes_at, tz));
  if (c.schedule.video_closes_at)
    Line(out, "video_closes_at", When(*c.schedule.video_closes_at, tz));
  if (c.schedule.results_due_at) Line(out, "results_due_at", When(*c.schedule.results_due_at, tz));

  const auto& r = c.quiz_rules();
  out += "\n[quiz]\n";
  Line(out, "questions_per_attempt", std::to_string(r.questions_per_attempt));
  Line(out, "time_limit_s", std::to_string(r.time_limit_s));
  Line(out, "attempts_allowed", std::to_string(r.attempts_allowed));
  Line(out, "counted_attempt", Quoted(contest::CountedAttemptCode(r.counted)));
  Line(out, "shuffle_questions", r.shuffle_questions ? "true" : "false");
  Line(out, "shuffle_options", r.shuffle_options ? "true" : "false");
  Line(out, "reveal_answers", Quoted(contest::AnswerRevealCode(r.reveal)));
  Line(out, "grace_s", std::to_string(r.grace_s));
  Line(out, "leaderboard", Quoted(contest::LeaderboardModeCode(r.leaderboard)));
  if (r.frozen_at) Line(out, "leaderboard_frozen_at", When(*r.frozen_at, tz));
  Line(out, "results_published", r.results_published ? "true" : "false");
  Line(out, "paused", r.paused ? "true" : "false");
  out += "\n[quiz.topic_quotas]\n";
  for (const auto& [topic, n] : r.topic_quotas)
    Line(out, Quoted(topic), std::to_string(n));
  out += "\n[quiz.prediction]\n";
  Line(out, "enabled", r.prediction.enabled ? "true" : "false");
  Line(out, "question", Quoted(r.prediction.question));
  if (r.prediction.answer) Line(out, "answer", std::to_string(*r.prediction.answer));

  const auto& judging = c.settings->judging;
  out += "\n[judging]\n";
  Line(out, "step", PointsValue(judging.step));
  Line(out, "aggregation", Quoted(contest::AggregationCode(judging.aggregation)));
  Line(out, "unit_score", Quoted(contest::UnitVideoScoreCode(judging.unit_score)));
  Line(out, "blind", judging.blind ? "true" : "false");
  Line(out, "assignment", Quoted(contest::AssignmentCode(judging.assignment)));
  for (const auto& cr : judging.criteria) {
    out += "\n[[judging.criteria]]\n";
    Line(out, "key", Quoted(cr.key));
    Line(out, "name", Quoted(cr.name));
    Line(out, "description", Quoted(cr.description));
    Line(out, "max", PointsValue(cr.max));
  }

  const auto& results = c.settings->results;
  out += "\n[results]\n";
  Line(out, "weight_participation", std::to_string(results.weight_participation));
  Line(out, "weight_quiz", std::to_string(results.weight_quiz));
  Line(out, "weight_video", std::to_string(results.weight_video));
  Line(out, "video_prizes_per_unit", std::to_string(results.video_prizes_per_unit));
  Line(out, "authority", Quoted(results.authority));
  Line(out, "place", Quoted(results.place));
  Line(out, "signer_title", Quoted(results.signer_title));
  Line(out, "signer_name", Quoted(results.signer_name));

  out += "\n[registration]\n";
  Line(out, "mode", Quoted(contest::RegistrationModeCode(c.settings->registration_mode)));
  for (const auto& f : c.settings->registration_fields) {
    out += "\n[[registration.fields]]\n";
    Line(out, "key", Quoted(f.key));
    Line(out, "label", Quoted(f.label));
    Line(out, "kind", Quoted(contest::FieldKindCode(f.kind)));
    Line(out, "required", f.required ? "true" : "false");
    Line(out, "unique", f.unique ? "true" : "false");
  }
  for (const auto& p : d.prizes) {
    out += "\n[[prizes]]\n";
    Line(out, "category", Quoted(contest::PrizeCategoryName(p.category)));
    Line(out, "title", Quoted(p.title));
    Line(out, "quantity", std::to_string(p.quantity));
    Line(out, "amount", std::to_string(p.amount_vnd) + "  # " + core::FormatVnd(p.amount_vnd));
  }
  for (const auto& round : d.rounds) {
    out += "\n[[rounds]]\n";
    Line(out, "name", Quoted(round.name));
    Line(out, "opens_at", When(round.opens_at, tz));
    Line(out, "closes_at", When(round.closes_at, tz));
    if (round.attempts_allowed)
      Line(out, "attempts_allowed", std::to_string(*round.attempts_allowed));
  }
  for (const auto& u : d.units) {
    out += "\n[[units]]\n";
    Line(out, "code", Quoted(u.code));
    Line(out, "name", Quoted(u.name));
    Line(out, "group", Quoted(u.group));
    if (u.headcount) Line(out, "headcount", std::to_string(*u.headcount));
    Line(out, "contact_name", Quoted(u.contact_name));
    Line(out, "contact_phone", Quoted(u.contact_phone));
    Line(out, "contact_email", Quoted(u.contact_email));
  }
  return out;
}

core::Result<Definition> ReadDefinition(std::string_view text) {
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return Invalid("",
                   fmt::format("dòng {}, cột {}: tệp TOML không hợp lệ: {}", e.source().begin.line,
                               e.source().begin.column, e.description()));
  }
  HOITHI_TRY(OnlyKeys(root, "",
                      {"contest", "schedule", "quiz", "judging", "results", "registration",
                       "prizes", "rounds", "units"}));
  Definition d;
  auto& c = d.contest;
  const auto* ct = TableAt(root, "contest");
  if (!ct) return Invalid("contest", "thiếu mục [contest].");
  HOITHI_TRY(OnlyKeys(*ct, "contest",
                      {"slug", "name", "organiser", "time_zone", "contact_office", "contact_phone",
                       "contact_email"}));
  for (const auto& [key, target, required] :
       {std::tuple<const char*, std::string*, bool>{"slug", &c.slug, true},
        {"name", &c.name, true},
        {"organiser", &c.organiser, false},
        {"time_zone", &c.time_zone, true},
        {"contact_office", &c.contact_office, false},
        {"contact_phone", &c.contact_phone, false},
        {"contact_email", &c.contact_email, false}}) {
    auto v = Text(*ct, "contest", key, required);
    if (!v) return std::move(v).error();
    *target = std::move(*v);
  }

  const auto* sc = TableAt(root, "schedule");
  if (!sc) return Invalid("schedule", "thiếu mục [schedule].");
  HOITHI_TRY(
      OnlyKeys(*sc, "schedule", {"opens_at", "closes_at", "video_closes_at", "results_due_at"}));
  auto opens = Instant(*sc, "schedule", "opens_at", true);
  auto closes = Instant(*sc, "schedule", "closes_at", true);
  auto video = Instant(*sc, "schedule", "video_closes_at", false);
  auto results = Instant(*sc, "schedule", "results_due_at", false);
  for (auto* r : {&opens, &closes, &video, &results}) {
    if (!*r) return std::move(*r).error();
  }
  c.schedule.opens_at = **opens;
  c.schedule.closes_at = **closes;
  c.schedule.video_closes_at = *video;
  c.schedule.results_due_at = *results;
  if (auto st = contest::Validate(c); !st) {
    const auto& e = st.error();
    const bool schedule = e.field.ends_with("_at");
    return Invalid((schedule ? "schedule." : "contest.") + e.field, e.message);
  }

  contest::Settings settings;
  if (const auto* q = TableAt(root, "quiz")) {
    auto rules = ReadQuiz(*q);
    if (!rules) return std::move(rules).error();
    settings.quiz = std::move(*rules);
  } else if (root.get("quiz")) {
    return Invalid("quiz", "cần một bảng [quiz].");
  }
  if (const auto* reg = root.get("registration")) {
    const auto* reg_table = reg->as_table();
    if (!reg_table) return Invalid("registration", "cần một bảng.");
    HOITHI_TRY(OnlyKeys(*reg_table, "registration", {"mode", "fields"}));
    auto mode = Text(*reg_table, "registration", "mode", false);
    if (!mode) return std::move(mode).error();
    if (!mode->empty()) {
      const auto parsed = contest::ParseRegistrationMode(*mode);
      if (!parsed) return Invalid("registration.mode", "cần open hoặc roster.");
      settings.registration_mode = *parsed;
    }
    auto fields = Tables(*reg_table, "fields");
    if (!fields) return Invalid("registration.fields", fields.error().message);
    for (std::size_t i = 0; i < fields->size(); ++i) {
      const auto& f = *(*fields)[i];
      const auto at = "registration.fields[" + std::to_string(i) + "]";
      HOITHI_TRY(OnlyKeys(f, at, {"key", "label", "kind", "required", "unique"}));
      contest::RegistrationField field;
      auto key = Text(f, at, "key", true);
      auto label = Text(f, at, "label", true);
      auto kind = Text(f, at, "kind", false);
      auto required = Boolean(f, at, "required");
      auto unique = Boolean(f, at, "unique");
      if (!key) return std::move(key).error();
      if (!label) return std::move(label).error();
      if (!kind) return std::move(kind).error();
      if (!required) return std::move(required).error();
      if (!unique) return std::move(unique).error();
      field.key = *key;
      field.label = *label;
      bool known = kind->empty();
      for (auto k : {contest::FieldKind::kText, contest::FieldKind::kIdCard,
                     contest::FieldKind::kDate, contest::FieldKind::kGender}) {
        if (contest::FieldKindCode(k) == *kind) {
          field.kind = k;
          known = true;
        }
      }
      if (!known) return Invalid(at + ".kind", "cần text, id_card, date hoặc gender.");
      field.required = required->value_or(false);
      field.unique = unique->value_or(false);
      settings.registration_fields.push_back(std::move(field));
    }
    if (auto st = contest::ValidateRegistrationFields(settings.registration_fields); !st) {
      return Invalid("registration.fields", st.error().message);
    }
  }
  if (const auto* jt = TableAt(root, "judging")) {
    auto rules = ReadJudging(*jt);
    if (!rules) return std::move(rules).error();
    settings.judging = std::move(*rules);
  } else if (root.get("judging")) {
    return Invalid("judging", "cần một bảng [judging].");
  }
  if (const auto* rt = TableAt(root, "results")) {
    auto rules = ReadResults(*rt);
    if (!rules) return std::move(rules).error();
    settings.results = *rules;
  } else if (root.get("results")) {
    return Invalid("results", "cần một bảng [results].");
  }
  c.settings = std::make_shared<const contest::Settings>(std::move(settings));

  auto prizes = Tables(root, "prizes");
  if (!prizes) return std::move(prizes).error();
  std::map<contest::PrizeCategory, int> positions;
  for (std::size_t i = 0; i < prizes->size(); ++i) {
    const auto& p = *(*prizes)[i];
    const auto at = "prizes[" + std::to_string(i) + "]";
    HOITHI_TRY(OnlyKeys(p, at, {"category", "title", "quantity", "amount"}));
    auto category = Text(p, at, "category", true);
    auto title = Text(p, at, "title", true);
    auto quantity = Integer(p, at, "quantity", true);
    auto amount = Integer(p, at, "amount", true);
    if (!category) return std::move(category).error();
    if (!title) return std::move(title).error();
    if (!quantity) return std::move(quantity).error();
    if (!amount) return std::move(amount).error();
    contest::Prize prize;
    if (*category == "collective") {
      prize.category = contest::PrizeCategory::kCollective;
    } else if (*category == "video") {
      prize.category = contest::PrizeCategory::kVideo;
    } else if (*category == "individual") {
      prize.category = contest::PrizeCategory::kIndividual;
    } else {
      return Invalid(at + ".category", "cần collective, video hoặc individual.");
    }
    if (**quantity < 1 || **quantity > 1000) {
      return Invalid(at + ".quantity", "số lượng giải phải là số nguyên từ 1 đến 1.000.");
    }
    if (**amount < 0 || **amount > 1'000'000'000'000LL) {
      return Invalid(at + ".amount", "giá trị giải phải là số tiền không âm (đồng).");
    }
    prize.title = *title;
    prize.quantity = static_cast<int>(**quantity);
    prize.amount_vnd = **amount;
    prize.position = ++positions[prize.category];
    d.prizes.push_back(std::move(prize));
  }

  auto rounds = Tables(root, "rounds");
  if (!rounds) return std::move(rounds).error();
  for (std::size_t i = 0; i < rounds->size(); ++i) {
    const auto& t = *(*rounds)[i];
    const auto at = "rounds[" + std::to_string(i) + "]";
    HOITHI_TRY(OnlyKeys(t, at, {"name", "opens_at", "closes_at", "attempts_allowed"}));
    auto name = Text(t, at, "name", true);
    auto r_opens = Instant(t, at, "opens_at", true);
    auto r_closes = Instant(t, at, "closes_at", true);
    auto allowed = Integer(t, at, "attempts_allowed", false);
    if (!name) return std::move(name).error();
    if (!r_opens) return std::move(r_opens).error();
    if (!r_closes) return std::move(r_closes).error();
    if (!allowed) return std::move(allowed).error();
    contest::Round round;
    round.number = static_cast<int>(i) + 1;
    round.name = *name;
    round.opens_at = **r_opens;
    round.closes_at = **r_closes;
    if (*allowed) round.attempts_allowed = static_cast<int>(**allowed);
    d.rounds.push_back(std::move(round));
  }

  auto unit_tables = Tables(root, "units");
  if (!unit_tables) return std::move(unit_tables).error();
  std::set<std::string> codes;
  for (std::size_t i = 0; i < unit_tables->size(); ++i) {
    const auto& t = *(*unit_tables)[i];
    const auto at = "units[" + std::to_string(i) + "]";
    HOITHI_TRY(OnlyKeys(
        t, at,
        {"code", "name", "group", "headcount", "contact_name", "contact_phone", "contact_email"}));
    units::Unit u;
    for (const auto& [key, target, required] :
         {std::tuple<const char*, std::string*, bool>{"code", &u.code, true},
          {"name", &u.name, true},
          {"group", &u.group, true},
          {"contact_name", &u.contact_name, false},
          {"contact_phone", &u.contact_phone, false},
          {"contact_email", &u.contact_email, false}}) {
      auto v = Text(t, at, key, required);
      if (!v) return std::move(v).error();
      *target = std::move(*v);
    }
    auto headcount = Integer(t, at, "headcount", false);
    if (!headcount) return std::move(headcount).error();
    if (*headcount) {
      if (**headcount < 0 || **headcount > 10'000'000) {
        return Invalid(at + ".headcount", "số cán bộ phải là số nguyên không âm.");
      }
      u.headcount = static_cast<int>(**headcount);
    }
    u.position = static_cast<int>(i) + 1;
    if (auto st = units::ValidateUnit(u); !st) {
      return Invalid(at + "." + st.error().field, st.error().message);
    }
    if (!codes.insert(u.code).second) return Invalid(at + ".code", "mã đơn vị bị trùng.");
    d.units.push_back(std::move(u));
  }
  return d;
}

core::Result<Definition> LoadDefinition(store::Connection& conn, std::int64_t contest_id) {
  Definition d;
  auto found = contest::FindContestById(conn, contest_id);
  if (!found) return std::move(found).error();
  if (!*found) {
    return core::MakeError(core::ErrorKind::kNotFound, "no_contest", "Không tìm thấy hội thi.");
  }
  d.contest = std::move(**found);
  auto prizes = contest::ListPrizes(conn, contest_id);
  if (!prizes) return std::move(prizes).error();
  d.prizes = std::move(*prizes);
  auto rounds = contest::ListRounds(conn, d.contest);
  if (!rounds) return std::move(rounds).error();
  for (auto& r : *rounds) {
    if (r.key != 0) d.rounds.push_back(std::move(r));  // the implicit round is no round of its own
  }
  auto units = units::ListUnits(conn, contest_id);
  if (!units) return std::move(units).error();
  d.units = std::move(*units);
  return d;
}

}  // namespace hoithi::editions
