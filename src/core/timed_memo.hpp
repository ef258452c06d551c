// TimedMemo: a value computed at most about once per `max_age` per key and shared by every caller
// meanwhile — the part of an answer that is the same for every reader (the leaderboard's top list
// under a participant's own rank). Whole anonymous answers are http::PublicCache's (decision 0004).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"

namespace hoithi::core {

template <class Value>
class TimedMemo {
 public:
  using Clock = std::chrono::steady_clock;
  using Shared = std::shared_ptr<const Value>;

  /// `max_age` zero turns the memo off: every Get computes. At most `max_entries` keys are kept
  /// (a key may come from a query string).
  explicit TimedMemo(std::chrono::milliseconds max_age, std::size_t max_entries = 512)
      : max_age_(max_age), max_entries_(max_entries) {}

  /// The value of `key` computed less than max_age ago, or make()'s now (kept when it succeeds;
  /// an error is returned and never kept). Once a value has expired, the first caller computes
  /// the next one outside the lock while the others keep getting the old one, for at most another
  /// max_age: a thousand readers at the second's turn make one computation, not a thousand.
  template <class Make>
  Result<Shared> Get(const std::string& key, Clock::time_point now, Make&& make) {
    if (max_age_.count() <= 0) return Computed(make());
    {
      std::lock_guard lock(mu_);
      if (const auto it = entries_.find(key); it != entries_.end()) {
        auto& e = it->second;
        const bool fresh = now < e.expires;
        if (fresh || (e.refreshing && now < e.expires + max_age_)) return e.value;
        e.refreshing = true;  // this caller computes; the others keep the old value meanwhile
      }
    }
    auto made = Computed(make());
    std::lock_guard lock(mu_);
    if (!made) {
      if (const auto it = entries_.find(key); it != entries_.end()) it->second.refreshing = false;
      return made;
    }
    if (entries_.size() >= max_entries_ && !entries_.contains(key)) {
      // Drop what has expired; if every entry is still fresh, start over (bounded memory first).
      std::erase_if(entries_, [&](const auto& e) { return e.second.expires <= now; });
      if (entries_.size() >= max_entries_) entries_.clear();
    }
    entries_.insert_or_assign(key, Entry{*made, now + max_age_, false});
    return made;
  }

 private:
  struct Entry {
    Shared value;
    Clock::time_point expires;
    bool refreshing = false;  // a caller is computing the next value
  };

  static Result<Shared> Computed(Result<Value> made) {
    if (!made) return std::move(made).error();
    return std::make_shared<const Value>(std::move(*made));
  }

  std::chrono::milliseconds max_age_;
  std::size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace hoithi::core
