// The organisers' changes to contests themselves, from the contest console: create, edit
// (identity, contact, schedule, prizes), archive and restore, and moving a deadline once the
// contest is under way, which needs a reason and publishes a notice by itself ("Ban Tổ chức ...
// sẽ có văn bản thông báo sau"). Each change is one committed write: validated (kValidation naming
// the field, nothing changed), audited with the contest before and after, and followed by the
// invalidation of the cached current contest. Attempts under way keep the deadline they started
// with (it is stored with each attempt).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "contest/contest.hpp"
#include "contest/current_contest_cache.hpp"
#include "contest/notices.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace hoithi::contest {

/// A contest with its prize table, as the console edits it.
struct ContestWithPrizes {
  Contest contest;
  std::vector<Prize> prizes;
};

/// Checks a prize table: titles present, quantities of 1–1000, amounts of 0–10^12 đồng; positions
/// numbered within each category. kValidation naming the row ("prizes[2].quantity").
core::Status ValidatePrizes(const std::vector<Prize>& prizes);

/// The total a prize table pays: the sum of quantity × amount.
std::int64_t PrizeBudget(const std::vector<Prize>& prizes);

/// The contest and its prizes as JSON text, for audit entries and the API.
std::string ContestAuditJson(const Contest& contest, const std::vector<Prize>& prizes);

enum class Deadline { kQuizClose, kVideoClose, kResultsDue };
std::string_view DeadlineLabel(Deadline d);  // "hạn kết thúc phần thi trắc nghiệm", ...

class ContestService {
 public:
  ContestService(store::Database& db, CurrentContestCache& current, const core::Clock& clock);

  /// A new contest (not archived). kValidation "slug_taken" (field slug) when the slug is used.
  void Create(const audit::Actor& actor, ContestWithPrizes draft,
              core::Callback<ContestWithPrizes> done);

  /// Replaces the identity, contact, schedule and prizes of contest `id` (its slug may change to
  /// one not used; its settings are kept). Once the contest has opened, moving its quiz close,
  /// video deadline or results date needs a `reason` (kValidation "reason_required") and each
  /// moved deadline is announced by a notice, as MoveDeadline does.
  void Update(const audit::Actor& actor, std::int64_t id, ContestWithPrizes next,
              std::string reason, core::Callback<ContestWithPrizes> done);

  /// Moves one deadline to `to`, with a reason (required), and publishes a notice saying so.
  void MoveDeadline(const audit::Actor& actor, std::int64_t id, Deadline which, core::TimePoint to,
                    std::string reason, core::Callback<Contest> done);

  /// Archives the contest (no longer shown by the site, kept whole) or brings it back.
  void SetArchived(const audit::Actor& actor, std::int64_t id, bool archived,
                   core::Callback<Contest> done);

 private:
  store::Database& db_;
  CurrentContestCache& current_;
  const core::Clock& clock_;
};

}  // namespace hoithi::contest
