// Participant accounts per unit of a contest, as the public statistics show them, counted from
// the users table and cached: a recount only when the `accounts` change counter moved.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>

#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::accounts {

class ParticipantCounts {
 public:
  /// Participant accounts per unit of the contest (CountAccountsByUnit), recounted only when the
  /// `accounts` change counter moved (read on each call: one row), and then at most once per four
  /// times the last count's duration (over a million accounts a recount takes a fraction of a
  /// second; meanwhile the previous count is served). `conn`: the caller's read connection.
  core::Result<std::map<std::int64_t, std::int64_t>> Of(store::Connection& conn,
                                                        std::int64_t contest_id);

 private:
  struct Counts {
    std::int64_t version = -1;  // the accounts counter read before counting
    std::map<std::int64_t, std::int64_t> by_unit;
    std::chrono::steady_clock::time_point counted_at{};
    std::chrono::steady_clock::duration took{};
    bool counting = false;
  };
  std::mutex mu_;
  std::map<std::int64_t, Counts> counts_;  // by contest
};

}  // namespace hoithi::accounts
