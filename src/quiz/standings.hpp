// The standings of each round held in memory, so that a participant's rank, the leaderboard's first
// places and participation per unit are answered in O(log n) without reading attempts or scanning
// results. A board is loaded from the counted results (the full recomputation, LoadStandings) and
// replaced when the `results` change counter of the quiz_results table moves (a write through any
// instance, migration 0009).
//
// Freshness, per (contest, round):
//   (none)  -> loaded   the first read loads it, synchronously; readers of the same round wait.
//   loaded  -> stale    the counter moved since the board was read (store::DataVersions).
//   stale   -> loaded   the background thread reloads it (Start), no sooner than `min_gap` and
//   three
//                       times the last load's duration after the previous load, so that reloads
//                       of a large board take at most a quarter of a core; readers keep being
//                       served the board they have meanwhile. Without Start (CLI, tests, bench)
//                       the reader reloads it at once.
// Results written by this process are applied at once on top of the board (Record), so a
// participant sees their own result and rank immediately; another instance's writes appear with
// the next load. Every answer is the published rule's (CompareByRule) applied to one state of
// the results, that of the board plus this process's later writes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "contest/contest.hpp"
#include "contest/quiz_rules.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "quiz/ranking.hpp"
#include "store/data_versions.hpp"
#include "store/database.hpp"

namespace hoithi::quiz {

/// One counted result, compactly (a million of them is 48 MB).
struct Standing {
  static constexpr std::int64_t kNoPrediction = std::numeric_limits<std::int64_t>::min();
  std::int64_t user_id = 0;
  std::int64_t unit_id = 0;  // 0: none
  std::int64_t duration_ms = 0;
  std::int64_t finished_ms = 0;
  std::int64_t prediction = kNoPrediction;
  std::int32_t correct = 0;
  std::int32_t attempts = 0;  // finished attempts counted in this result's scope; only grows
};

/// The columns of `quiz_results` a Standing is read from, in StandingFromRow's order.
inline constexpr const char* kStandingColumns =
    "user_id, unit_id, correct, duration_ms, finished_at, prediction, attempts";

/// A row of `SELECT kStandingColumns FROM quiz_results ...` as a Standing.
Standing StandingFromRow(const store::Row& r);

/// CompareByRule on standings: negative when `a` ranks before `b`, zero for the same rank.
int CompareStandings(const Standing& a, const Standing& b, std::optional<std::int64_t> answer);

/// A round's results ranked: the outcome of the full recomputation. Immutable once loaded.
struct StandingsBoard {
  std::optional<std::int64_t> answer;  // what the order was computed with (TieBreakingAnswer)
  std::vector<Standing> order;         // best first; equal by the rule: by user id
  std::vector<std::int64_t> rank;      // rank[i] of order[i]: 1 + those strictly better
  std::vector<std::pair<std::int64_t, std::uint32_t>> by_user;  // (user id, index), by user id
  std::vector<std::int64_t> finished;  // every finished_ms, ascending (the frozen board's total)
  std::map<std::int64_t, UnitActivity> units;  // per unit: its results and their attempts

  /// The index in `order` of the user's result, if any. O(log n).
  std::optional<std::size_t> Find(std::int64_t user_id) const;
  /// How many results rank strictly before `s` (ignoring who holds it). O(log n).
  std::int64_t CountBetter(const Standing& s) const;
};

/// Reads the round's counted results and ranks them all (every rank with ties, per-unit
/// aggregates): one query over results, then sorting in memory.
core::Result<std::shared_ptr<const StandingsBoard>> LoadStandings(store::Connection& conn,
                                                                  std::int64_t contest_id,
                                                                  std::int64_t round_key,
                                                                  const contest::QuizRules& rules);

class Standings {
 public:
  struct Options {
    std::chrono::milliseconds min_gap{200};  // between two background loads of one round
  };
  Standings(store::Database& db, store::DataVersions& versions, Options options);
  Standings(store::Database& db, store::DataVersions& versions)
      : Standings(db, versions, Options{}) {}
  ~Standings();
  Standings(const Standings&) = delete;
  Standings& operator=(const Standings&) = delete;

  /// Reloads stale boards on a thread of its own from now on (see the file comment).
  void Start();
  void Stop();

  // The reads below take the caller's read connection, used only when the board must be loaded
  // first (so that readers waiting for that load never wait for the pool's other connections).

  /// RankingOf's answer from the board: the first `limit`, every entry beyond the last prize
  /// place that ties with it, and the total; `as_of` keeps only results finished by then.
  core::Result<Ranking> Top(store::Connection& conn, std::int64_t contest_id,
                            std::int64_t round_key, const contest::QuizRules& rules, int limit,
                            int prize_places, std::optional<core::TimePoint> as_of);

  /// The participant's rank in the round (1 = first; 0 without a result).
  core::Result<std::int64_t> RankOf(store::Connection& conn, std::int64_t contest_id,
                                    std::int64_t round_key, std::int64_t user_id,
                                    const contest::QuizRules& rules);

  /// Loads the boards of the contest (the whole contest's and each round's) that are not loaded
  /// yet: for a server starting in the middle of a contest, so that its first requests do not pay
  /// for the loads (half a second at a million results, and a submit ranks on the committer).
  core::Status Preload(store::Connection& conn, const contest::Contest& contest);

  /// Participants with a result and their finished attempts, per unit (the whole contest).
  core::Result<std::map<std::int64_t, UnitActivity>> ActivityByUnit(
      store::Connection& conn, std::int64_t contest_id, const contest::QuizRules& rules);

  /// A counted result this process has committed: applied on top of the round's board at once.
  /// An older one (fewer attempts) than what the board or an earlier Record holds is ignored.
  void Record(std::int64_t contest_id, std::int64_t round_key, const Standing& standing);

  /// Boards loaded so far (tests).
  std::int64_t loads() const;

 private:
  using Key = std::pair<std::int64_t, std::int64_t>;  // (contest, round)
  struct State {
    std::shared_ptr<const StandingsBoard> board;
    std::int64_t version = -1;  // the results counter read before the board was loaded
    bool loading = false;       // by a thread that holds a connection (waiting for it is safe)
    bool queued = false;
    std::chrono::steady_clock::time_point next_load{};
    // This process's results written after the board was read, by participant (with the entry
    // they replace on the board, if any), in the board's order, and what they change in the
    // board's totals.
    struct Written {
      Standing now;
      std::optional<Standing> on_board;
    };
    std::unordered_map<std::int64_t, Written> overrides;
    std::vector<Standing> overrides_in_order;
    bool overrides_ordered = true;
    std::map<std::int64_t, UnitActivity> unit_delta;
    std::int64_t total_delta = 0;
  };

  /// The round's state with a board computed with `rules`' answer: loads it first when there is
  /// none (or it used another answer); queues or does a reload when it is stale. Returns with
  /// `lock` held.
  core::Result<State*> Ready(std::unique_lock<std::mutex>& lock, store::Connection& conn,
                             const Key& key, const contest::QuizRules& rules);
  /// Loads the board of `key` on `conn` (lock released meanwhile) and installs it.
  core::Status Load(std::unique_lock<std::mutex>& lock, store::Connection& conn, const Key& key,
                    std::optional<std::int64_t> answer);
  void Install(State& s, std::shared_ptr<const StandingsBoard> board, std::int64_t version);
  /// The participant's current result: this process's latest write, else the board's.
  static std::optional<Standing> Current(const State& s, std::int64_t user_id);
  static std::int64_t Rank(const State& s, const Standing& mine);
  void Loop();

  store::Database& db_;
  store::DataVersions& versions_;
  Options options_;
  mutable std::mutex mu_;
  std::condition_variable loaded_cv_;  // a load finished
  std::condition_variable queue_cv_;   // a load queued, or Stop
  std::map<Key, State> states_;
  std::map<Key, std::optional<std::int64_t>> queued_answers_;
  std::deque<Key> queue_;
  std::int64_t loads_ = 0;
  bool started_ = false;  // the reloading thread runs (guarded by mu_, as the rest)
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace hoithi::quiz
