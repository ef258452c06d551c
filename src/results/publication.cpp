// Snapshots, the canonical export and the publications as stored (see publication.hpp).
#include "results/publication.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "contest/judging_rules.hpp"
#include "core/time_format.hpp"
#include "results/prizes.hpp"

namespace hoithi::results {
namespace {

using contest::PrizeCategory;
using nlohmann::json;

double Number(Score s) {
  return contest::PointsToNumber(s);
}

Score ScoreOf(const json& j, const char* key) {
  const auto v = j.value(key, json());
  if (!v.is_number()) return 0;
  return contest::PointsFromNumber(v.get<double>()).value_or(0);
}

PrizeCategory CategoryOf(const json& j) {
  return PrizeCategoryOf(j.value("category", "")).value_or(PrizeCategory::kCollective);
}

constexpr char kColumns[] =
    "id, contest_id, version, state, snapshot, export_csv, digest, reviewed_at, reviewed_by,"
    " published_at, superseded_at, reason, certificates_job";

Publication FromRow(const store::Row& r) {
  Publication p;
  p.id = r.Int(0);
  p.contest_id = r.Int(1);
  p.version = static_cast<int>(r.Int(2));
  const auto state = r.Str(3);
  p.state = state == "published"    ? PublicationState::kPublished
            : state == "superseded" ? PublicationState::kSuperseded
                                    : PublicationState::kReviewed;
  p.snapshot = r.Str(4);
  p.export_csv = r.Str(5);
  p.digest = r.Str(6);
  p.reviewed_at = core::FromEpochMs(r.Int(7));
  p.reviewed_by = r.IsNull(8) ? 0 : r.Int(8);
  if (!r.IsNull(9)) p.published_at = core::FromEpochMs(r.Int(9));
  if (!r.IsNull(10)) p.superseded_at = core::FromEpochMs(r.Int(10));
  p.reason = r.Str(11);
  if (!r.IsNull(12)) p.certificates_job = r.Int(12);
  return p;
}

}  // namespace

std::string_view PublicationStateCode(PublicationState s) {
  switch (s) {
    case PublicationState::kReviewed:
      return "reviewed";
    case PublicationState::kPublished:
      return "published";
    case PublicationState::kSuperseded:
      return "superseded";
  }
  return "";
}

std::string SnapshotJson(const Draft& d) {
  json units = json::array(), prizes = json::array(), ties = json::array();
  for (const auto& line : d.units) {
    const auto& s = line.standing;
    units.push_back({{"unit_id", s.facts.unit_id},
                     {"code", line.code},
                     {"name", line.name},
                     {"rank", s.rank},
                     {"headcount", s.facts.headcount ? json(*s.facts.headcount) : json()},
                     {"participants", s.facts.participants},
                     {"correct", s.facts.correct},
                     {"videos", s.facts.videos},
                     {"video_score", std::round(s.facts.video_score * 100) / 100},
                     {"participation", Number(s.participation)},
                     {"quiz", Number(s.quiz)},
                     {"video", Number(s.video)},
                     {"total", Number(s.total)},
                     {"headcount_problem", s.headcount_problem}});
  }
  for (const auto& p : d.prizes) {
    prizes.push_back({{"category", contest::PrizeCategoryName(p.category)},
                      {"prize", p.prize},
                      {"amount_vnd", p.amount_vnd},
                      {"amount_label", core::FormatVnd(p.amount_vnd)},
                      {"rank", p.rank},
                      {"id", p.id},
                      {"unit_id", p.unit_id},
                      {"recipient", p.recipient},
                      {"unit_name", p.unit_name},
                      {"detail", p.detail},
                      {"by_decision", p.by_decision}});
  }
  for (const auto& t : d.ties) {
    ties.push_back({{"category", contest::PrizeCategoryName(t.category)},
                    {"rank", t.rank},
                    {"ids", t.ids},
                    {"names", t.names},
                    {"prizes", t.prizes},
                    {"decided", t.decided},
                    {"reason", t.reason}});
  }
  auto rules = json::parse(contest::ResultsRulesJson(d.rules));
  rules["formula"] = contest::ResultsFormulaText(d.rules);
  return json{{"rules", rules},
              {"questions_per_attempt", d.scales.questions_per_attempt},
              {"video_max", d.scales.video_max},
              {"units", units},
              {"prizes", prizes},
              {"ties", ties},
              {"total_vnd", d.total_vnd},
              {"total_label", core::FormatVnd(d.total_vnd)},
              {"judging_locked", d.judging_locked},
              {"blockers", d.blockers}}
      .dump();
}

core::Result<Draft> ParseSnapshot(std::string_view text) {
  const auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return core::MakeError(core::ErrorKind::kInternal, "bad_snapshot", "Bản lưu kết quả bị hỏng.");
  }
  Draft d;
  auto rules = j.value("rules", json::object());
  rules.erase("formula");
  if (auto r = contest::ParseResultsRules(rules.dump())) d.rules = *r;
  d.scales.questions_per_attempt = j.value("questions_per_attempt", 10);
  d.scales.video_max = j.value("video_max", 100.0);
  for (const auto& u : j.value("units", json::array())) {
    UnitLine line;
    auto& s = line.standing;
    s.facts.unit_id = u.value("unit_id", std::int64_t{0});
    if (u.value("headcount", json()).is_number_integer())
      s.facts.headcount = u["headcount"].get<int>();
    s.facts.participants = u.value("participants", std::int64_t{0});
    s.facts.correct = u.value("correct", std::int64_t{0});
    s.facts.videos = u.value("videos", 0);
    s.facts.video_score = u.value("video_score", 0.0);
    s.participation = ScoreOf(u, "participation");
    s.quiz = ScoreOf(u, "quiz");
    s.video = ScoreOf(u, "video");
    s.total = ScoreOf(u, "total");
    s.rank = u.value("rank", std::int64_t{0});
    s.headcount_problem = u.value("headcount_problem", false);
    line.code = u.value("code", "");
    line.name = u.value("name", "");
    d.units.push_back(std::move(line));
  }
  for (const auto& p : j.value("prizes", json::array())) {
    PrizeLine line;
    line.category = CategoryOf(p);
    line.prize = p.value("prize", "");
    line.amount_vnd = p.value("amount_vnd", std::int64_t{0});
    line.rank = p.value("rank", std::int64_t{0});
    line.id = p.value("id", std::int64_t{0});
    line.unit_id = p.value("unit_id", std::int64_t{0});
    line.recipient = p.value("recipient", "");
    line.unit_name = p.value("unit_name", "");
    line.detail = p.value("detail", "");
    line.by_decision = p.value("by_decision", false);
    d.prizes.push_back(std::move(line));
  }
  for (const auto& t : j.value("ties", json::array())) {
    TieLine line;
    line.category = CategoryOf(t);
    line.rank = t.value("rank", std::int64_t{0});
    line.ids = t.value("ids", std::vector<std::int64_t>{});
    line.names = t.value("names", std::vector<std::string>{});
    line.prizes = t.value("prizes", std::vector<std::string>{});
    line.decided = t.value("decided", false);
    line.reason = t.value("reason", "");
    d.ties.push_back(std::move(line));
  }
  d.total_vnd = j.value("total_vnd", std::int64_t{0});
  d.judging_locked = j.value("judging_locked", false);
  d.blockers = j.value("blockers", std::vector<std::string>{});
  return d;
}

spreadsheet::Sheet ExportSheet(const Draft& d, const contest::Contest& contest, int version) {
  spreadsheet::Sheet sheet;
  sheet.name = "Kết quả";
  sheet.header = {"Phần",        "Hạng",  "Tên",       "Đơn vị", "Tỉ lệ tham gia",
                  "Trắc nghiệm", "Video", "Tổng điểm", "Giải",   "Tiền thưởng (đồng)"};
  sheet.widths = {18, 6, 40, 30, 14, 12, 10, 12, 30, 18};
  const auto text = [](Score s) { return spreadsheet::Cell(contest::FormatPoints(s)); };
  sheet.rows.push_back({std::string("Hội thi"), std::string(), contest.name,
                        fmt::format("Lần công bố {}", version)});
  sheet.rows.push_back(
      {std::string("Công thức"), std::string(), contest::ResultsFormulaText(d.rules)});
  for (const auto& line : d.units) {
    const auto& s = line.standing;
    sheet.rows.push_back({std::string("Xếp hạng đơn vị"), static_cast<long long>(s.rank), line.name,
                          std::string(), text(s.participation), text(s.quiz), text(s.video),
                          text(s.total)});
  }
  for (const auto& p : d.prizes) {
    const char* part = p.category == PrizeCategory::kCollective ? "Giải tập thể"
                       : p.category == PrizeCategory::kVideo    ? "Giải video"
                                                                : "Giải cá nhân";
    sheet.rows.push_back({std::string(part), static_cast<long long>(p.rank), p.recipient,
                          p.unit_name, std::string(), std::string(), std::string(), std::string(),
                          p.prize, static_cast<long long>(p.amount_vnd)});
  }
  sheet.rows.push_back({std::string("Tổng tiền thưởng"), std::string(), std::string(),
                        std::string(), std::string(), std::string(), std::string(), std::string(),
                        std::string(), static_cast<long long>(d.total_vnd)});
  return sheet;
}

core::Result<std::vector<Publication>> ListPublications(store::Connection& conn,
                                                        std::int64_t contest_id) {
  std::vector<Publication> out;
  HOITHI_TRY(
      conn.Query(std::string("SELECT ") + kColumns +
                     " FROM results_publications WHERE contest_id = $1 ORDER BY version DESC",
                 {contest_id}, [&](const store::Row& r) { out.push_back(FromRow(r)); }));
  return out;
}

int NextVersion(const std::vector<Publication>& existing) {
  int version = 1;
  for (const auto& p : existing) {
    if (p.state != PublicationState::kReviewed) version = std::max(version, p.version + 1);
  }
  return version;
}

core::Result<Publication> SaveReview(store::Connection& conn, Publication p) {
  auto dropped =
      conn.Exec("DELETE FROM results_publications WHERE contest_id = $1 AND state = 'reviewed'",
                {p.contest_id});
  if (!dropped) return std::move(dropped).error();
  p.state = PublicationState::kReviewed;
  auto id = store::QueryInt(
      conn,
      "INSERT INTO results_publications (contest_id, version, state, snapshot, export_csv, digest,"
      " reviewed_at, reviewed_by) VALUES ($1, $2, 'reviewed', $3, $4, $5, $6, $7) RETURNING id",
      {p.contest_id, static_cast<std::int64_t>(p.version), p.snapshot, p.export_csv, p.digest,
       core::ToEpochMs(p.reviewed_at), p.reviewed_by});
  if (!id) return std::move(id).error();
  p.id = id->value_or(0);
  return p;
}

core::Status MarkPublished(store::Connection& conn, std::int64_t contest_id, std::int64_t id,
                           std::int64_t by, core::TimePoint now, const std::string& reason,
                           std::optional<std::int64_t> certificates_job) {
  auto superseded = conn.Exec(
      "UPDATE results_publications SET state = 'superseded', superseded_at = $2"
      " WHERE contest_id = $1 AND state = 'published'",
      {contest_id, core::ToEpochMs(now)});
  if (!superseded) return std::move(superseded).error();
  auto published = conn.Exec(
      "UPDATE results_publications SET state = 'published', published_at = $3, published_by = $4,"
      " reason = $5, certificates_job = $6 WHERE contest_id = $1 AND id = $2 AND"
      " state = 'reviewed'",
      {contest_id, id, core::ToEpochMs(now), by, reason, certificates_job});
  if (!published) return std::move(published).error();
  return core::Ok();
}

}  // namespace hoithi::results
