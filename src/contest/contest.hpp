// A contest (one edition of the competition): its identity, organiser contacts, time zone,
// schedule and prizes. One install holds many; every contest-scoped row carries contest_id.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contest/settings.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::contest {

struct Schedule {
  core::TimePoint opens_at;
  core::TimePoint closes_at;
  std::optional<core::TimePoint> video_closes_at;  // empty: same as closes_at
  std::optional<core::TimePoint> results_due_at;
};

struct Contest {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  std::string organiser;       // "Sở Nội vụ tỉnh Sóc Trăng"
  std::string contact_office;  // "Phòng Cải cách hành chính, Sở Nội vụ"
  std::string contact_phone;
  std::string contact_email;
  std::string time_zone = "Asia/Ho_Chi_Minh";
  Schedule schedule;
  /// What the organisers set (quiz rules, registration fields), parsed when the contest is read;
  /// never null. Changed through SettingsService only.
  std::shared_ptr<const Settings> settings = DefaultSettings();
  /// When the contest was archived (no longer shown by the site; kept whole). Empty: in use.
  std::optional<core::TimePoint> archived_at;

  const QuizRules& quiz_rules() const { return settings->quiz; }
};

enum class Phase { kNotOpen, kOpen, kClosed };

/// The deadline of the video part: video_closes_at, or the quiz's close when none is set.
core::TimePoint VideoClosesAt(const Contest& contest);

/// Where the contest stands at `now`: before opens_at, in [opens_at, closes_at), or after.
Phase PhaseAt(const Contest& contest, core::TimePoint now);

/// kNotFound "no_contest": the install has no contest yet ("Chưa có hội thi nào.").
core::Error NoContestError();

/// kNotFound "no_contest": no such contest, or not one the caller may see.
core::Error ContestNotFound();

/// "chưa mở", "đang diễn ra", "đã kết thúc"
std::string_view PhaseLabel(Phase phase);

enum class PrizeCategory { kCollective, kVideo, kIndividual };
std::string_view PrizeCategoryName(PrizeCategory c);  // "collective", "video", "individual"

struct Prize {
  PrizeCategory category = PrizeCategory::kCollective;
  int position = 1;   // display order within the category
  std::string title;  // "Giải Nhất"
  int quantity = 1;
  std::int64_t amount_vnd = 0;  // per prize
};

/// Checks the fields a person sets: slug, name, time zone, a schedule that closes after it opens,
/// a video deadline not before the opening, a results date not before the close. kValidation
/// naming the field.
core::Status Validate(const Contest& contest);

// Storage. Reads take any connection; writes run inside the committer's transaction.

core::Result<std::optional<Contest>> FindContestBySlug(store::Connection& conn,
                                                       std::string_view slug);
core::Result<std::optional<Contest>> FindContestById(store::Connection& conn, std::int64_t id);
core::Result<std::vector<Contest>> ListContests(store::Connection& conn);

/// The contest the public site shows: the open one (the latest opened if several), else the next
/// to open, else the last to close; archived contests never. Empty when there is none.
core::Result<std::optional<Contest>> CurrentContest(store::Connection& conn, core::TimePoint now);

/// Inserts the contest, or updates the one with the same slug (its settings included); returns
/// its id.
core::Result<std::int64_t> SaveContest(store::Connection& conn, const Contest& contest,
                                       core::TimePoint now);

/// Inserts a new contest (its settings included); kValidation "slug_taken" (field slug) when
/// another contest has the slug.
core::Result<std::int64_t> InsertContest(store::Connection& conn, const Contest& contest,
                                         core::TimePoint now);

/// Writes the identity, contact, schedule and archive time of contest `contest.id` (its settings
/// are not touched: SettingsService writes them). kValidation "slug_taken" as InsertContest.
core::Status UpdateContest(store::Connection& conn, const Contest& contest, core::TimePoint now);

/// Replaces the contest's prize list.
core::Status ReplacePrizes(store::Connection& conn, std::int64_t contest_id,
                           const std::vector<Prize>& prizes);
core::Result<std::vector<Prize>> ListPrizes(store::Connection& conn, std::int64_t contest_id);

}  // namespace hoithi::contest
