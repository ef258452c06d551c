// The judging tables: score sheets, assignments and the lock, on either backend.
#include "judging/sheets.hpp"

#include <nlohmann/json.hpp>

namespace hoithi::judging {
namespace {

using nlohmann::json;

constexpr std::string_view kSheetColumns =
    "contest_id, entry_id, judge_id, status, points, comment, abstain_reason, updated_at,"
    " submitted_at";

SheetStatus StatusFrom(std::string_view code) {
  if (code == "submitted") return SheetStatus::kSubmitted;
  if (code == "abstained") return SheetStatus::kAbstained;
  return SheetStatus::kDraft;
}

Sheet SheetFromRow(const store::Row& r) {
  Sheet s;
  s.contest_id = r.Int(0);
  s.entry_id = r.Int(1);
  s.judge_id = r.Int(2);
  s.status = StatusFrom(r.Text(3));
  // Written only by SaveSheet below, so a parse failure means someone edited the table: the
  // sheet then reads as holding no points, which blocks the lock until it is scored again.
  const auto points = json::parse(r.Text(4), nullptr, false);
  if (points.is_object()) {
    for (const auto& [key, value] : points.items()) {
      if (value.is_number_integer()) s.points[key] = value.get<Points>();
    }
  }
  s.comment = r.Str(5);
  s.abstain_reason = r.Str(6);
  s.updated_at = core::FromEpochMs(r.Int(7));
  if (const auto at = r.OptInt(8)) s.submitted_at = core::FromEpochMs(*at);
  return s;
}

}  // namespace

std::string_view SheetStatusCode(SheetStatus s) {
  switch (s) {
    case SheetStatus::kDraft:
      return "draft";
    case SheetStatus::kSubmitted:
      return "submitted";
    case SheetStatus::kAbstained:
      return "abstained";
  }
  return "draft";
}

Points SheetTotal(const Sheet& sheet, const contest::JudgingRules& rules) {
  Points total = 0;
  for (const auto& c : rules.criteria) {
    if (const auto it = sheet.points.find(c.key); it != sheet.points.end()) total += it->second;
  }
  return total;
}

core::Status SaveSheet(store::Connection& conn, const Sheet& s) {
  json points = json::object();
  for (const auto& [key, value] : s.points)
    points[key] = value;
  const std::optional<std::int64_t> submitted =
      s.submitted_at ? std::optional<std::int64_t>(core::ToEpochMs(*s.submitted_at)) : std::nullopt;
  auto r = conn.Exec(
      "INSERT INTO judging_sheets (contest_id, entry_id, judge_id, status, points, comment,"
      " abstain_reason, updated_at, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
      " ON CONFLICT (entry_id, judge_id) DO UPDATE SET status = excluded.status,"
      " points = excluded.points, comment = excluded.comment,"
      " abstain_reason = excluded.abstain_reason, updated_at = excluded.updated_at,"
      " submitted_at = excluded.submitted_at",
      {s.contest_id, s.entry_id, s.judge_id, SheetStatusCode(s.status), points.dump(), s.comment,
       s.abstain_reason, core::ToEpochMs(s.updated_at), submitted});
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Result<std::optional<Sheet>> FindSheet(store::Connection& conn, std::int64_t entry_id,
                                             std::int64_t judge_id) {
  std::optional<Sheet> out;
  HOITHI_TRY(conn.Query("SELECT " + std::string(kSheetColumns) +
                            " FROM judging_sheets WHERE entry_id = $1 AND judge_id = $2",
                        {entry_id, judge_id}, [&](const store::Row& r) { out = SheetFromRow(r); }));
  return out;
}

core::Result<std::map<Pair, Sheet>> ListSheets(store::Connection& conn, std::int64_t contest_id) {
  std::map<Pair, Sheet> out;
  HOITHI_TRY(conn.Query(
      "SELECT " + std::string(kSheetColumns) + " FROM judging_sheets WHERE contest_id = $1",
      {contest_id}, [&](const store::Row& r) {
        auto s = SheetFromRow(r);
        out.emplace(Pair{s.judge_id, s.entry_id}, std::move(s));
      }));
  return out;
}

core::Result<std::int64_t> CountSubmitted(store::Connection& conn, std::int64_t contest_id) {
  auto n = store::QueryInt(
      conn, "SELECT COUNT(*) FROM judging_sheets WHERE contest_id = $1 AND status = 'submitted'",
      {contest_id});
  if (!n) return std::move(n).error();
  return n->value_or(0);
}

core::Result<std::int64_t> ReopenSubmitted(store::Connection& conn, std::int64_t contest_id,
                                           core::TimePoint now) {
  return conn.Exec(
      "UPDATE judging_sheets SET status = 'draft', submitted_at = NULL, updated_at = $2"
      " WHERE contest_id = $1 AND status = 'submitted'",
      {contest_id, core::ToEpochMs(now)});
}

core::Result<std::set<Pair>> ListAssignments(store::Connection& conn, std::int64_t contest_id) {
  std::set<Pair> out;
  HOITHI_TRY(conn.Query("SELECT judge_id, entry_id FROM judging_assignments WHERE contest_id = $1",
                        {contest_id},
                        [&](const store::Row& r) { out.emplace(r.Int(0), r.Int(1)); }));
  return out;
}

core::Status ReplaceAssignments(store::Connection& conn, std::int64_t contest_id,
                                const std::set<Pair>& pairs) {
  auto cleared = conn.Exec("DELETE FROM judging_assignments WHERE contest_id = $1", {contest_id});
  if (!cleared) return std::move(cleared).error();
  for (const auto& [judge, entry] : pairs) {
    auto r = conn.Exec(
        "INSERT INTO judging_assignments (contest_id, judge_id, entry_id) VALUES ($1, $2, $3)",
        {contest_id, judge, entry});
    if (!r) return std::move(r).error();
  }
  return core::Ok();
}

core::Result<std::optional<Lock>> FindLock(store::Connection& conn, std::int64_t contest_id) {
  std::optional<Lock> out;
  HOITHI_TRY(conn.Query("SELECT locked_at, locked_by FROM judging_locks WHERE contest_id = $1",
                        {contest_id}, [&](const store::Row& r) {
                          out = Lock{core::FromEpochMs(r.Int(0)), r.OptInt(1)};
                        }));
  return out;
}

core::Status SetLock(store::Connection& conn, std::int64_t contest_id, std::int64_t by,
                     core::TimePoint now) {
  auto r =
      conn.Exec("INSERT INTO judging_locks (contest_id, locked_at, locked_by) VALUES ($1, $2, $3)",
                {contest_id, core::ToEpochMs(now), by});
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Status ClearLock(store::Connection& conn, std::int64_t contest_id) {
  auto r = conn.Exec("DELETE FROM judging_locks WHERE contest_id = $1", {contest_id});
  if (!r) return std::move(r).error();
  return core::Ok();
}

}  // namespace hoithi::judging
