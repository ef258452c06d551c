// The committee's tie decisions as stored (see decisions.hpp).
#include "results/decisions.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace hoithi::results {
namespace {

std::string Joined(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids)
    out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

std::vector<std::int64_t> Split(const std::string& text) {
  std::vector<std::int64_t> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::int64_t id = 0;
    std::from_chars(text.data() + start, text.data() + end, id);
    out.push_back(id);
    start = end + 1;
  }
  return out;
}

}  // namespace

core::Result<std::vector<StoredDecision>> ListDecisions(store::Connection& conn,
                                                        std::int64_t contest_id) {
  std::vector<StoredDecision> out;
  HOITHI_TRY(conn.Query(
      "SELECT category, ordering, reason, decided_at, decided_by FROM results_tie_decisions"
      " WHERE contest_id = $1 ORDER BY decided_at",
      {contest_id}, [&](const store::Row& r) {
        const auto category = PrizeCategoryOf(r.Text(0));
        if (!category) return;
        out.push_back({{*category, Split(r.Str(1)), r.Str(2)},
                       core::FromEpochMs(r.Int(3)),
                       r.IsNull(4) ? 0 : r.Int(4)});
      }));
  return out;
}

core::Status SaveDecision(store::Connection& conn, std::int64_t contest_id,
                          const TieDecision& decision, std::int64_t by, core::TimePoint now) {
  auto members = decision.order;
  std::sort(members.begin(), members.end());
  auto r = conn.Exec(
      "INSERT INTO results_tie_decisions (contest_id, category, members, ordering, reason,"
      " decided_at, decided_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"
      " ON CONFLICT (contest_id, category, members) DO UPDATE SET ordering = excluded.ordering,"
      " reason = excluded.reason, decided_at = excluded.decided_at,"
      " decided_by = excluded.decided_by",
      {contest_id, std::string(contest::PrizeCategoryName(decision.category)), Joined(members),
       Joined(decision.order), decision.reason, core::ToEpochMs(now), by});
  if (!r) return std::move(r).error();
  return core::Ok();
}

}  // namespace hoithi::results
