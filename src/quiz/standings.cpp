// Standings: loading and ranking a round's results in memory, this process's writes on top, and
// the background reloads.
#include "quiz/standings.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

#include "contest/rounds.hpp"

namespace hoithi::quiz {
namespace {

/// The rule's order, then the user id: the order of a board (RankingOf's ORDER BY).
bool Before(const Standing& a, const Standing& b, std::optional<std::int64_t> answer) {
  if (const int c = CompareStandings(a, b, answer)) return c < 0;
  return a.user_id < b.user_id;
}

RankedEntry ToEntry(const Standing& s, std::int64_t rank) {
  RankedEntry e;
  e.rank = rank;
  e.user_id = s.user_id;
  if (s.unit_id != 0) e.unit_id = s.unit_id;
  e.correct = s.correct;
  e.duration_ms = s.duration_ms;
  e.finished_at = core::FromEpochMs(s.finished_ms);
  if (s.prediction != Standing::kNoPrediction) e.prediction = s.prediction;
  return e;
}

void Add(std::map<std::int64_t, UnitActivity>& units, const Standing& s, std::int64_t sign) {
  if (s.unit_id == 0) return;
  auto& u = units[s.unit_id];
  u.participants += sign;
  u.attempts += sign * s.attempts;
  u.correct += sign * s.correct;
}

core::Result<std::shared_ptr<const StandingsBoard>> LoadBoard(store::Connection& conn,
                                                              std::int64_t contest_id,
                                                              std::int64_t round_key,
                                                              std::optional<std::int64_t> answer) {
  auto board = std::make_shared<StandingsBoard>();
  board->answer = answer;
  auto& order = board->order;
  HOITHI_TRY(conn.Query(std::string("SELECT ") + kStandingColumns +
                            " FROM quiz_results WHERE contest_id = $1 AND round_key = $2",
                        {contest_id, round_key},
                        [&](const store::Row& r) { order.push_back(StandingFromRow(r)); }));
  std::sort(order.begin(), order.end(),
            [answer](const Standing& a, const Standing& b) { return Before(a, b, answer); });
  const auto n = order.size();
  board->rank.resize(n);
  board->by_user.resize(n);
  board->finished.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    board->rank[i] = i > 0 && CompareStandings(order[i], order[i - 1], answer) == 0
                         ? board->rank[i - 1]
                         : static_cast<std::int64_t>(i) + 1;
    board->by_user[i] = {order[i].user_id, static_cast<std::uint32_t>(i)};
    board->finished[i] = order[i].finished_ms;
    Add(board->units, order[i], 1);
  }
  std::sort(board->by_user.begin(), board->by_user.end());
  std::sort(board->finished.begin(), board->finished.end());
  return std::shared_ptr<const StandingsBoard>(std::move(board));
}

}  // namespace

Standing StandingFromRow(const store::Row& r) {
  Standing s;
  s.user_id = r.Int(0);
  s.unit_id = r.IsNull(1) ? 0 : r.Int(1);
  s.correct = static_cast<std::int32_t>(r.Int(2));
  s.duration_ms = r.Int(3);
  s.finished_ms = r.Int(4);
  s.prediction = r.IsNull(5) ? Standing::kNoPrediction : r.Int(5);
  s.attempts = static_cast<std::int32_t>(r.Int(6));
  return s;
}

int CompareStandings(const Standing& a, const Standing& b, std::optional<std::int64_t> answer) {
  auto key = [&](const Standing& s) {
    return KeyOf(
        s.correct,
        s.prediction != Standing::kNoPrediction ? std::optional(s.prediction) : std::nullopt,
        s.duration_ms, s.finished_ms, answer);
  };
  return CompareKeys(key(a), key(b));
}

std::optional<std::size_t> StandingsBoard::Find(std::int64_t user_id) const {
  const auto it = std::lower_bound(by_user.begin(), by_user.end(),
                                   std::pair<std::int64_t, std::uint32_t>{user_id, 0});
  if (it == by_user.end() || it->first != user_id) return std::nullopt;
  return it->second;
}

std::int64_t StandingsBoard::CountBetter(const Standing& s) const {
  const auto it = std::partition_point(order.begin(), order.end(), [&](const Standing& e) {
    return CompareStandings(e, s, answer) < 0;
  });
  return it - order.begin();
}

core::Result<std::shared_ptr<const StandingsBoard>> LoadStandings(store::Connection& conn,
                                                                  std::int64_t contest_id,
                                                                  std::int64_t round_key,
                                                                  const contest::QuizRules& rules) {
  return LoadBoard(conn, contest_id, round_key, TieBreakingAnswer(rules));
}

Standings::Standings(store::Database& db, store::DataVersions& versions, Options options)
    : db_(db), versions_(versions), options_(options) {}

Standings::~Standings() {
  Stop();
}

void Standings::Start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Standings::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    started_ = false;  // readers reload by themselves from now on
  }
  queue_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::int64_t Standings::loads() const {
  std::lock_guard lock(mu_);
  return loads_;
}

core::Result<Standings::State*> Standings::Ready(std::unique_lock<std::mutex>& lock,
                                                 store::Connection& conn, const Key& key,
                                                 const contest::QuizRules& rules) {
  const auto answer = TieBreakingAnswer(rules);
  // Read before the lock: without the polling thread it may read the database.
  const auto version = versions_.Current(store::Cached::kResults);
  lock.lock();
  for (;;) {
    State& s = states_[key];
    if (s.board && s.board->answer == answer) {
      if (s.version < version && !s.loading) {
        if (started_) {
          if (!s.queued) {
            s.queued = true;
            queued_answers_[key] = answer;
            queue_.push_back(key);
            queue_cv_.notify_all();
          }
        } else {
          HOITHI_TRY(Load(lock, conn, key, answer));
          continue;
        }
      }
      return &s;
    }
    if (s.loading) {
      loaded_cv_.wait(lock);
      continue;
    }
    HOITHI_TRY(Load(lock, conn, key, answer));
  }
}

core::Status Standings::Load(std::unique_lock<std::mutex>& lock, store::Connection& conn,
                             const Key& key, std::optional<std::int64_t> answer) {
  states_[key].loading = true;
  lock.unlock();
  // The counter before the read: a change committed meanwhile leaves the board stale.
  const auto version = versions_.Current(store::Cached::kResults);
  const auto start = std::chrono::steady_clock::now();
  auto board = LoadBoard(conn, key.first, key.second, answer);
  const auto end = std::chrono::steady_clock::now();
  lock.lock();
  State& s = states_[key];
  s.loading = false;
  s.next_load =
      end + std::max<std::chrono::steady_clock::duration>(options_.min_gap, 3 * (end - start));
  loaded_cv_.notify_all();
  if (!board) return std::move(board).error();
  ++loads_;
  Install(s, std::move(*board), version);
  return core::Ok();
}

void Standings::Install(State& s, std::shared_ptr<const StandingsBoard> board,
                        std::int64_t version) {
  s.board = std::move(board);
  s.version = version;
  s.unit_delta.clear();
  s.total_delta = 0;
  s.overrides_ordered = false;
  for (auto it = s.overrides.begin(); it != s.overrides.end();) {
    auto& w = it->second;
    w.on_board.reset();
    if (const auto at = s.board->Find(it->first)) w.on_board = s.board->order[*at];
    if (w.on_board && w.on_board->attempts >= w.now.attempts) {
      it = s.overrides.erase(it);  // the board has it, or a later one
      continue;
    }
    if (w.on_board) {
      --s.total_delta;
      Add(s.unit_delta, *w.on_board, -1);
    }
    ++s.total_delta;
    Add(s.unit_delta, w.now, 1);
    ++it;
  }
}

void Standings::Record(std::int64_t contest_id, std::int64_t round_key, const Standing& standing) {
  std::lock_guard lock(mu_);
  const auto found = states_.find(Key{contest_id, round_key});
  if (found == states_.end()) return;  // never read here: its first load will read this result
  State& s = found->second;
  const auto previous = Current(s, standing.user_id);
  if (previous && previous->attempts >= standing.attempts) return;
  auto [it, inserted] = s.overrides.try_emplace(standing.user_id);
  auto& w = it->second;
  if (s.board) {
    if (inserted) {
      if (const auto at = s.board->Find(standing.user_id)) w.on_board = s.board->order[*at];
    }
    if (previous) {
      --s.total_delta;
      Add(s.unit_delta, *previous, -1);
    }
    ++s.total_delta;
    Add(s.unit_delta, standing, 1);
  }
  w.now = standing;
  s.overrides_ordered = false;
}

std::optional<Standing> Standings::Current(const State& s, std::int64_t user_id) {
  if (const auto it = s.overrides.find(user_id); it != s.overrides.end()) return it->second.now;
  if (!s.board) return std::nullopt;
  const auto at = s.board->Find(user_id);
  if (!at) return std::nullopt;
  return s.board->order[*at];
}

std::int64_t Standings::Rank(const State& s, const Standing& mine) {
  const auto& board = *s.board;
  const auto better = [&](const Standing& other) {
    return CompareStandings(other, mine, board.answer) < 0;
  };
  std::int64_t rank = 1 + board.CountBetter(mine);
  // Replace in that count what this process wrote since the board was read (few entries). `mine`
  // itself is either written here or on the board, and never better than itself.
  for (const auto& [user, w] : s.overrides) {
    if (w.on_board && better(*w.on_board)) --rank;
    if (user != mine.user_id && better(w.now)) ++rank;
  }
  return rank;
}

core::Result<Ranking> Standings::Top(store::Connection& conn, std::int64_t contest_id,
                                     std::int64_t round_key, const contest::QuizRules& rules,
                                     int limit, int prize_places,
                                     std::optional<core::TimePoint> as_of) {
  std::unique_lock lock(mu_, std::defer_lock);
  auto ready = Ready(lock, conn, Key{contest_id, round_key}, rules);
  if (!ready) return std::move(ready).error();
  State& s = **ready;
  const auto& board = *s.board;
  const auto answer = board.answer;
  const auto as_of_ms = as_of ? core::ToEpochMs(*as_of) : 0;
  const auto shown = [&](const Standing& e) { return !as_of || e.finished_ms <= as_of_ms; };

  Ranking out;
  if (as_of) {
    out.total = std::upper_bound(board.finished.begin(), board.finished.end(), as_of_ms) -
                board.finished.begin();
    for (const auto& [user, w] : s.overrides) {
      if (w.on_board && shown(*w.on_board)) --out.total;
      if (shown(w.now)) ++out.total;
    }
  } else {
    out.total = static_cast<std::int64_t>(board.order.size()) + s.total_delta;
  }

  if (!s.overrides_ordered) {
    s.overrides_in_order.clear();
    for (const auto& [user, w] : s.overrides)
      s.overrides_in_order.push_back(w.now);
    std::sort(s.overrides_in_order.begin(), s.overrides_in_order.end(),
              [answer](const Standing& a, const Standing& b) { return Before(a, b, answer); });
    s.overrides_ordered = true;
  }
  const auto& written = s.overrides_in_order;
  // Merge the board (without the participants this process rewrote) with what it wrote, in the
  // board's order, ranking as RankingOf does: a tie shares the rank of the first of its group.
  const std::size_t wanted = static_cast<std::size_t>(std::max(limit, prize_places));
  const auto places = static_cast<std::size_t>(std::max(prize_places, 0));
  std::vector<RankedEntry> rows;
  std::optional<Standing> previous, last_prize;
  std::size_t i = 0, j = 0;
  for (;;) {
    while (i < board.order.size() &&
           (!shown(board.order[i]) || s.overrides.count(board.order[i].user_id))) {
      ++i;
    }
    while (j < written.size() && !shown(written[j]))
      ++j;
    const bool from_board = i < board.order.size() &&
                            (j == written.size() || Before(board.order[i], written[j], answer));
    if (!from_board && j == written.size()) break;
    const Standing* next = from_board ? &board.order[i] : &written[j];
    // Past what was asked for, only the ties with the last prize place are still wanted.
    if (rows.size() >= wanted &&
        !(last_prize && CompareStandings(*next, *last_prize, answer) == 0)) {
      break;
    }
    const bool tied = previous && CompareStandings(*next, *previous, answer) == 0;
    const auto rank = tied ? rows.back().rank : static_cast<std::int64_t>(rows.size()) + 1;
    rows.push_back(ToEntry(*next, rank));
    previous = *next;
    if (rows.size() == places) last_prize = *next;
    ++(from_board ? i : j);
  }
  if (places > 0 && rows.size() > places) {
    const auto& last_prize = rows[places - 1];
    for (std::size_t k = places; k < rows.size(); ++k) {
      if (CompareByRule(rows[k], last_prize, rules) != 0) break;
      out.tied_beyond_prizes.push_back(rows[k]);
    }
  }
  if (rows.size() > static_cast<std::size_t>(limit)) rows.resize(static_cast<std::size_t>(limit));
  out.entries = std::move(rows);
  return out;
}

core::Result<std::int64_t> Standings::RankOf(store::Connection& conn, std::int64_t contest_id,
                                             std::int64_t round_key, std::int64_t user_id,
                                             const contest::QuizRules& rules) {
  std::unique_lock lock(mu_, std::defer_lock);
  auto ready = Ready(lock, conn, Key{contest_id, round_key}, rules);
  if (!ready) return std::move(ready).error();
  const auto mine = Current(**ready, user_id);
  if (!mine) return std::int64_t{0};
  return Rank(**ready, *mine);
}

core::Status Standings::Preload(store::Connection& conn, const contest::Contest& contest) {
  const auto* rules = &contest.quiz_rules();
  auto rounds = contest::ListRounds(conn, contest);
  if (!rounds) return std::move(rounds).error();
  std::vector<std::int64_t> keys{0};
  for (const auto& r : *rounds) {
    if (r.key != 0) keys.push_back(r.key);
  }
  for (const auto key : keys) {
    std::unique_lock lock(mu_, std::defer_lock);
    auto ready = Ready(lock, conn, Key{contest.id, key}, *rules);
    if (!ready) return std::move(ready).error();
  }
  return core::Ok();
}

core::Result<std::map<std::int64_t, UnitActivity>> Standings::ActivityByUnit(
    store::Connection& conn, std::int64_t contest_id, const contest::QuizRules& rules) {
  std::unique_lock lock(mu_, std::defer_lock);
  auto ready = Ready(lock, conn, Key{contest_id, 0}, rules);
  if (!ready) return std::move(ready).error();
  auto out = (*ready)->board->units;
  for (const auto& [unit, delta] : (*ready)->unit_delta) {
    auto& u = out[unit];
    u.participants += delta.participants;
    u.attempts += delta.attempts;
    u.correct += delta.correct;
  }
  return out;
}

void Standings::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (queue_.empty()) {
      queue_cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      continue;
    }
    const Key key = queue_.front();
    const auto due = states_[key].next_load;
    if (std::chrono::steady_clock::now() < due) {
      queue_cv_.wait_until(lock, due, [this] { return stop_; });
      continue;
    }
    queue_.pop_front();
    const auto answer = queued_answers_[key];
    // A connection first, then the mark that this thread loads (see State::loading).
    lock.unlock();
    auto lease = db_.Read();
    lock.lock();
    State& s = states_[key];
    s.queued = false;
    if (s.loading || stop_) continue;
    if (auto st = Load(lock, *lease, key, answer); !st) {
      spdlog::warn("standings: reload of contest {} round {} failed: {} {}", key.first, key.second,
                   st.error().code, st.error().detail);
    }
  }
}

}  // namespace hoithi::quiz
