// http::PublicCache on its own: freshness, what is never kept, one renderer at a time after
// expiry (the others keep the old answer for at most another max age), and its bound.
#include "http/public_cache.hpp"

#include <gtest/gtest.h>

namespace hoithi::http {
namespace {

using namespace std::chrono_literals;
using Clock = PublicCache::Clock;

Response Page(std::string body) {
  return Response::Json(200, std::move(body));
}

TEST(PublicCache, KeepsA200ForItsMaxAgeAndNothingThatBelongsToOneVisitor) {
  PublicCache cache(1000ms);
  const auto t = Clock::now();
  cache.Put("/a", Page("1"), t);
  ASSERT_TRUE(cache.Get("/a", t + 999ms));
  EXPECT_EQ(cache.Get("/a", t + 999ms)->body, "1");
  EXPECT_FALSE(cache.Get("/b", t));

  auto with_cookie = Page("2");
  with_cookie.With("Set-Cookie", "x=1");
  cache.Put("/c", with_cookie, t);
  cache.Put("/d", Response::Json(404, "{}"), t);
  EXPECT_FALSE(cache.Get("/c", t));
  EXPECT_FALSE(cache.Get("/d", t));
  EXPECT_FALSE(PublicCache(0ms).enabled());
}

TEST(PublicCache, AfterExpiryOneCallerRendersWhileTheOthersKeepTheOldAnswer) {
  PublicCache cache(1000ms);
  const auto t = Clock::now();
  cache.Put("/a", Page("old"), t);
  EXPECT_FALSE(cache.Get("/a", t + 1000ms)) << "the first caller after expiry renders";
  ASSERT_TRUE(cache.Get("/a", t + 1100ms));
  EXPECT_EQ(cache.Get("/a", t + 1100ms)->body, "old");
  EXPECT_FALSE(cache.Get("/a", t + 2000ms)) << "a refresh taking a whole max age: render anyway";
  cache.Put("/a", Page("new"), t + 2000ms);
  EXPECT_EQ(cache.Get("/a", t + 2500ms)->body, "new");

  // A failed render lets the next caller try at once.
  EXPECT_FALSE(cache.Get("/a", t + 3000ms));
  cache.Abandon("/a");
  EXPECT_FALSE(cache.Get("/a", t + 3001ms));
}

TEST(PublicCache, HoldsAtMostItsBoundOfTargets) {
  PublicCache cache(1000ms, 4);
  const auto t = Clock::now();
  for (int i = 0; i < 10; ++i)
    cache.Put("/x?" + std::to_string(i), Page("p"), t);
  int kept = 0;
  for (int i = 0; i < 10; ++i)
    kept += cache.Get("/x?" + std::to_string(i), t).has_value();
  EXPECT_LE(kept, 4);
  EXPECT_GE(kept, 1);
}

}  // namespace
}  // namespace hoithi::http
