// The jury at work: who scores which video (every judge every ready video, or the organisers'
// assignment; never a judge's own unit's), score sheets saved as drafts and submitted, declared
// conflicts, the progress board, the lock, and the scores aggregated. Access is decided here:
// a judge sees only their own sheets, and nobody's totals before the lock; the organisers
// (administrators of the contest) set the rubric, assign, lock and unlock; the secretary follows.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "accounts/auth_service.hpp"
#include "accounts/sessions.hpp"
#include "contest/contest.hpp"
#include "contest/settings_service.hpp"
#include "core/clock.hpp"
#include "judging/aggregation.hpp"
#include "judging/sheets.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "store/database.hpp"
#include "video/entries.hpp"

namespace hoithi::judging {

/// Where a judge stands with a video they are to score.
enum class CellState { kNotStarted, kDraft, kSubmitted, kAbstained };
std::string_view CellStateCode(CellState s);   // "not_started", "draft", "submitted", "abstained"
std::string_view CellStateLabel(CellState s);  // "Chưa chấm", ...

struct Judge {
  std::int64_t id = 0;
  std::string login;
  std::string full_name;
  std::optional<std::int64_t> unit_id;  // the unit whose videos they never see
};

/// Who scores which video now, and how far each is: what the progress board shows.
struct Board {
  contest::JudgingRules rules;
  std::vector<Judge> judges;
  std::vector<video::Entry> entries;  // the ready videos, by unit then id
  std::set<Pair> assigned;            // (judge, entry) to be scored; own-unit pairs never
  std::set<Pair> conflicts;           // own-unit pairs, left out automatically
  std::map<Pair, Sheet> sheets;
  std::optional<Lock> lock;

  CellState StateOf(const Pair& pair) const;
  /// Assigned pairs neither submitted nor abstained: what blocks the lock.
  std::vector<Pair> Missing() const;
  const Judge* FindJudge(std::int64_t id) const;
  const video::Entry* FindEntry(std::int64_t id) const;
};

/// A video in a judge's queue, with their own sheet (when they started one).
struct QueueItem {
  video::Entry entry;
  CellState state = CellState::kNotStarted;
  std::optional<Sheet> sheet;
  bool locked = false;  // judging is locked: the sheet can no longer change
};

/// What a judge sends: points by criterion key (nullopt: the value was not a number), a comment.
struct SheetInput {
  std::map<std::string, std::optional<double>> points;
  std::string comment;
};

/// The aggregated scores and how they were reached.
struct Standing {
  contest::JudgingRules rules;
  std::vector<VideoScore> videos;
  std::vector<UnitScore> units;
  std::vector<JudgeTotal> totals;  // every submitted total that went in
  bool locked = false;
};

class JudgingService {
 public:
  JudgingService(store::Database& db, const core::Clock& clock, contest::SettingsService& settings);

  /// The board as stored. The organisers and the secretary (kForbidden for anyone else).
  core::Result<Board> Progress(const accounts::SignedIn& actor, const contest::Contest& contest);

  /// A judge's videos: those assigned to them, their own unit's never. kForbidden but for judges.
  core::Result<std::vector<QueueItem>> Queue(const accounts::SignedIn& judge,
                                             const contest::Contest& contest);
  /// One video of the judge's queue: kNotFound for no ready video of the contest, kForbidden
  /// "conflict_of_interest" for their own unit's, "not_assigned" for one not theirs to score.
  core::Result<QueueItem> ForJudge(const accounts::SignedIn& judge, const contest::Contest& contest,
                                   std::int64_t entry_id);
  /// Saves the judge's sheet as a draft (points may be missing) or submits it (every criterion
  /// scored). kValidation naming "points.<key>" for a value that is not a number, negative, above
  /// the criterion's maximum, off the step, or for a key not in the rubric; kConflict "no_rubric"
  /// before the organisers set one; kForbidden "judging_locked" after the lock; as ForJudge.
  /// Submitting is audited; drafts are the judge's own notes and are not.
  void Save(const accounts::SignedIn& judge, const accounts::ClientInfo& client,
            const contest::Contest& contest, std::int64_t entry_id, SheetInput input, bool submit,
            core::Callback<Sheet> done);
  /// The judge declares a conflict of interest on the video and does not score it (a reason of
  /// 1–500 characters, kValidation "reason"). Audited; the organisers see it on the board.
  void Abstain(const accounts::SignedIn& judge, const accounts::ClientInfo& client,
               const contest::Contest& contest, std::int64_t entry_id, std::string reason,
               core::Callback<Sheet> done);

  /// The organisers set the rubric and the choices around it. A change of what the points mean
  /// (criteria's keys or maxima, the step) once a sheet was submitted is kConflict
  /// "rubric_in_use" unless `reopen_submitted`, which turns the submitted sheets back into
  /// drafts (audited); the other choices change freely. kForbidden "judging_locked" while
  /// locked.
  void SaveRules(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                 const contest::Contest& contest, contest::JudgingRules rules,
                 bool reopen_submitted, core::Callback<contest::JudgingRules> done);
  /// The organisers' explicit assignment (used when the rules say "explicit"): every pair names
  /// a judge and a ready video of the contest (kValidation "assignments"); own-unit pairs are
  /// refused (kValidation). Replaces the earlier assignment. Audited.
  void Assign(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
              const contest::Contest& contest, std::set<Pair> pairs, core::Callback<Board> done);
  /// Each ready video given to `per_video` judges, never their own unit's, spreading the work:
  /// each video in turn takes the eligible judges with the fewest videos so far (then by id).
  /// kValidation "per_video" when a video has fewer eligible judges.
  static core::Result<std::set<Pair>> Balanced(const Board& board, int per_video);

  /// Locks judging: kConflict "scores_missing" (the error's fields list every judge and video
  /// still missing) unless every assigned sheet is submitted or abstained; "already_locked".
  /// The organisers only. Audited.
  void Lock(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
            const contest::Contest& contest, core::Callback<Board> done);
  /// Unlocks: an administrator, with a reason (kValidation "reason"). Audited with the reason.
  void Unlock(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
              const contest::Contest& contest, std::string reason, core::Callback<Board> done);

  /// The aggregated scores: the organisers and the secretary at any time, judges once judging is
  /// locked (kForbidden "judging_not_locked" before).
  core::Result<Standing> Scores(const accounts::SignedIn& actor, const contest::Contest& contest);

  /// The summary sheet (bảng tổng hợp điểm): the organisers and the secretary.
  core::Result<spreadsheet::Sheet> SummarySheet(const accounts::SignedIn& actor,
                                                const contest::Contest& contest);
  /// A judge's score sheet: the organisers and the secretary, or that judge (kNotFound for no
  /// judge of the contest).
  core::Result<spreadsheet::Sheet> JudgeSheet(const accounts::SignedIn& actor,
                                              const contest::Contest& contest,
                                              std::int64_t judge_id);

  /// The board read on `conn` (inside a write, or a read lease).
  static core::Result<Board> LoadBoard(store::Connection& conn, const contest::Contest& contest);
  /// The submitted totals of `board` aggregated by its rules (what Scores answers; the results
  /// module ranks units with it).
  static Standing Aggregate(const Board& board);

 private:
  /// The board as stored now.
  core::Result<Board> Load(const contest::Contest& contest);

  store::Database& db_;
  const core::Clock& clock_;
  contest::SettingsService& settings_;
};

}  // namespace hoithi::judging
