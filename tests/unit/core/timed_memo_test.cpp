// core::TimedMemo on its own: one computation per key and max age, errors never kept, the old
// value served while one caller computes the next (for at most another max age), off at zero, and
// its bound.
#include "core/timed_memo.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hoithi::core {
namespace {

using namespace std::chrono_literals;
using Memo = TimedMemo<std::string>;
using Clock = Memo::Clock;

/// make() for Get that counts its calls and answers `value`.
auto Counting(int& calls, std::string value) {
  return [&calls, value]() -> Result<std::string> {
    ++calls;
    return value;
  };
}

TEST(TimedMemo, ComputesOncePerKeyAndMaxAge) {
  Memo memo(1000ms);
  const auto t = Clock::now();
  int calls = 0;
  EXPECT_EQ(**memo.Get("a", t, Counting(calls, "1")), "1");
  EXPECT_EQ(**memo.Get("a", t + 999ms, Counting(calls, "2")), "1");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(**memo.Get("b", t, Counting(calls, "3")), "3") << "another key, its own value";
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(**memo.Get("a", t + 1000ms, Counting(calls, "4")), "4") << "expired: computed again";
  EXPECT_EQ(calls, 3);
}

TEST(TimedMemo, AnErrorIsReturnedAndNeverKept) {
  Memo memo(1000ms);
  const auto t = Clock::now();
  auto failed = memo.Get("a", t, []() -> Result<std::string> {
    return MakeError(ErrorKind::kInternal, "broken", "Lỗi.");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "broken");
  int calls = 0;
  EXPECT_EQ(**memo.Get("a", t, Counting(calls, "1")), "1");
  EXPECT_EQ(calls, 1);
}

TEST(TimedMemo, WhileOneCallerComputesTheOthersKeepTheOldValue) {
  Memo memo(1000ms);
  const auto t = Clock::now();
  int calls = 0;
  ASSERT_TRUE(memo.Get("a", t, Counting(calls, "old")));
  // The first caller after expiry computes; a reader arriving meanwhile gets the old value, and
  // once the refresh has taken longer than another max age, computes its own.
  std::string during, late;
  auto next = memo.Get("a", t + 1000ms, [&]() -> Result<std::string> {
    during = **memo.Get("a", t + 1500ms, Counting(calls, "not used"));
    late = **memo.Get("a", t + 2000ms, Counting(calls, "late"));
    return std::string("new");
  });
  EXPECT_EQ(during, "old");
  EXPECT_EQ(late, "late");
  EXPECT_EQ(**next, "new");
  EXPECT_EQ(**memo.Get("a", t + 1999ms, Counting(calls, "x")), "new");
  EXPECT_EQ(calls, 2);
}

TEST(TimedMemo, ZeroMaxAgeComputesEveryTime) {
  Memo memo(0ms);
  const auto t = Clock::now();
  int calls = 0;
  ASSERT_TRUE(memo.Get("a", t, Counting(calls, "1")));
  EXPECT_EQ(**memo.Get("a", t, Counting(calls, "2")), "2");
  EXPECT_EQ(calls, 2);
}

TEST(TimedMemo, HoldsAtMostItsBound) {
  Memo memo(1000ms, 2);
  const auto t = Clock::now();
  int calls = 0;
  ASSERT_TRUE(memo.Get("a", t, Counting(calls, "a")));
  ASSERT_TRUE(memo.Get("b", t, Counting(calls, "b")));
  ASSERT_TRUE(memo.Get("c", t, Counting(calls, "c")));  // every entry fresh: starts over
  EXPECT_EQ(**memo.Get("c", t, Counting(calls, "c2")), "c");
  EXPECT_EQ(**memo.Get("a", t, Counting(calls, "a2")), "a2") << "a was dropped";
  EXPECT_EQ(calls, 4);
}

}  // namespace
}  // namespace hoithi::core
