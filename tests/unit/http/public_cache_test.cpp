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
  ASSERT_TRUE(cache.Get("/a", Encoding::kIdentity, t + 999ms));
  EXPECT_EQ(cache.Get("/a", Encoding::kIdentity, t + 999ms)->body, "1");
  EXPECT_FALSE(cache.Get("/b", Encoding::kIdentity, t));

  auto with_cookie = Page("2");
  with_cookie.With("Set-Cookie", "x=1");
  cache.Put("/c", with_cookie, t);
  cache.Put("/d", Response::Json(404, "{}"), t);
  EXPECT_FALSE(cache.Get("/c", Encoding::kIdentity, t));
  EXPECT_FALSE(cache.Get("/d", Encoding::kIdentity, t));
  EXPECT_FALSE(PublicCache(0ms).enabled());
}

TEST(PublicCache, AfterExpiryOneCallerRendersWhileTheOthersKeepTheOldAnswer) {
  PublicCache cache(1000ms);
  const auto t = Clock::now();
  cache.Put("/a", Page("old"), t);
  EXPECT_FALSE(cache.Get("/a", Encoding::kIdentity, t + 1000ms))
      << "the first caller after expiry renders";
  ASSERT_TRUE(cache.Get("/a", Encoding::kIdentity, t + 1100ms));
  EXPECT_EQ(cache.Get("/a", Encoding::kIdentity, t + 1100ms)->body, "old");
  EXPECT_FALSE(cache.Get("/a", Encoding::kIdentity, t + 2000ms))
      << "a refresh taking a whole max age: render anyway";
  cache.Put("/a", Page("new"), t + 2000ms);
  EXPECT_EQ(cache.Get("/a", Encoding::kIdentity, t + 2500ms)->body, "new");

  // A failed render lets the next caller try at once.
  EXPECT_FALSE(cache.Get("/a", Encoding::kIdentity, t + 3000ms));
  cache.Abandon("/a");
  EXPECT_FALSE(cache.Get("/a", Encoding::kIdentity, t + 3001ms));
}

TEST(PublicCache, ServesTheBodyCompressedOnceInTheEncodingTheReaderAccepts) {
  PublicCache cache(1000ms);
  const auto t = Clock::now();
  std::string page;
  for (int i = 0; i < 200; ++i)
    page += "<p>Bảng xếp hạng hội thi</p>";
  cache.Put("/p", Response::Html(200, page), t);
  const auto br = cache.Get("/p", Encoding::kBrotli, t);
  ASSERT_TRUE(br);
  EXPECT_TRUE(br->HasHeader("content-encoding"));
  EXPECT_TRUE(br->HasHeader("vary"));
  EXPECT_LT(br->body.size(), page.size() / 4);
  const auto gz = cache.Get("/p", Encoding::kGzip, t);
  ASSERT_TRUE(gz);
  EXPECT_LT(gz->body.size(), page.size() / 4);
  const auto plain = cache.Get("/p", Encoding::kIdentity, t);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->body, page);
  EXPECT_FALSE(plain->HasHeader("content-encoding"));
  // A small answer is kept as it is for everyone.
  cache.Put("/s", Page("{}"), t);
  EXPECT_EQ(cache.Get("/s", Encoding::kBrotli, t)->body, "{}");
}

TEST(PublicCache, HoldsAtMostItsBoundOfTargets) {
  PublicCache cache(1000ms, 4);
  const auto t = Clock::now();
  for (int i = 0; i < 10; ++i)
    cache.Put("/x?" + std::to_string(i), Page("p"), t);
  int kept = 0;
  for (int i = 0; i < 10; ++i)
    kept += cache.Get("/x?" + std::to_string(i), Encoding::kIdentity, t).has_value();
  EXPECT_LE(kept, 4);
  EXPECT_GE(kept, 1);
}

}  // namespace
}  // namespace hoithi::http
