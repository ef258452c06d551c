// What the jury's work leaves in the database: each judge's score sheet for a video (a draft, a
// submitted score or a declared conflict), the organisers' explicit assignments, and the lock
// that ends judging. Only this file's .cpp spells the judging tables.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contest/judging_rules.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::judging {

using contest::Points;

enum class SheetStatus { kDraft, kSubmitted, kAbstained };
std::string_view SheetStatusCode(SheetStatus s);  // "draft", "submitted", "abstained"

struct Sheet {
  std::int64_t contest_id = 0;
  std::int64_t entry_id = 0;
  std::int64_t judge_id = 0;
  SheetStatus status = SheetStatus::kDraft;
  std::map<std::string, Points> points;  // criterion key -> points given (a draft may lack some)
  std::string comment;
  std::string abstain_reason;
  core::TimePoint updated_at;
  std::optional<core::TimePoint> submitted_at;
};

/// The sum of the points of the rubric's criteria (keys no longer in the rubric count nothing).
Points SheetTotal(const Sheet& sheet, const contest::JudgingRules& rules);

/// A judge and a video: who scores what.
using Pair = std::pair<std::int64_t, std::int64_t>;  // judge id, entry id

/// Inserts or replaces the judge's sheet for the video.
core::Status SaveSheet(store::Connection& conn, const Sheet& sheet);
core::Result<std::optional<Sheet>> FindSheet(store::Connection& conn, std::int64_t entry_id,
                                             std::int64_t judge_id);
/// Every sheet of the contest, by (judge, entry).
core::Result<std::map<Pair, Sheet>> ListSheets(store::Connection& conn, std::int64_t contest_id);
core::Result<std::int64_t> CountSubmitted(store::Connection& conn, std::int64_t contest_id);
/// Submitted sheets back to drafts (the rubric changed under them); returns how many.
core::Result<std::int64_t> ReopenSubmitted(store::Connection& conn, std::int64_t contest_id,
                                           core::TimePoint now);

core::Result<std::set<Pair>> ListAssignments(store::Connection& conn, std::int64_t contest_id);
core::Status ReplaceAssignments(store::Connection& conn, std::int64_t contest_id,
                                const std::set<Pair>& pairs);

struct Lock {
  core::TimePoint at;
  std::optional<std::int64_t> by;
};
core::Result<std::optional<Lock>> FindLock(store::Connection& conn, std::int64_t contest_id);
core::Status SetLock(store::Connection& conn, std::int64_t contest_id, std::int64_t by,
                     core::TimePoint now);
core::Status ClearLock(store::Connection& conn, std::int64_t contest_id);

}  // namespace hoithi::judging
