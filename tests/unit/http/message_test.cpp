// Request accessors and URL encoding.
#include "http/message.hpp"

#include <gtest/gtest.h>

#include "http/error_status.hpp"

namespace hoithi::http {
namespace {

TEST(Message, QueryParametersArePercentDecoded) {
  Request r;
  r.query = "q=K%E1%BA%BF+S%C3%A1ch&limit=10&flag";
  EXPECT_EQ(r.QueryParam("q"), "Kế Sách");
  EXPECT_EQ(r.QueryParam("limit"), "10");
  EXPECT_EQ(r.QueryParam("flag"), "");
  EXPECT_EQ(r.QueryParam("missing"), std::nullopt);
}

TEST(Message, CookiesAreFoundAmongOthers) {
  Request r;
  r.headers.push_back({"cookie", "a=1; hoithi_session=abc; b=\"q\""});
  EXPECT_EQ(r.Cookie("hoithi_session"), "abc");
  EXPECT_EQ(r.Cookie("b"), "q");
  EXPECT_EQ(r.Cookie("c"), "");
}

TEST(Message, FormBodiesDecode) {
  const auto pairs = ParseUrlEncoded("full_name=Nguy%E1%BB%85n+V%C4%83n+An&x=%ZZ");
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0].second, "Nguyễn Văn An");
  EXPECT_EQ(pairs[1].second, "%ZZ");  // an invalid escape is kept as it is
}

TEST(Message, TargetsSplitIntoPathAndQuery) {
  Request r;
  ASSERT_TRUE(SplitTarget("/don-vi/S%E1%BB%9F?page=2&q=a%20b", r));
  EXPECT_EQ(r.path, "/don-vi/Sở");
  EXPECT_EQ(r.query, "page=2&q=a%20b");
  Request absolute;
  ASSERT_TRUE(SplitTarget("http://hoithi.example/healthz?x", absolute));
  EXPECT_EQ(absolute.path, "/healthz");
  EXPECT_EQ(absolute.query, "x");
  Request bare;
  ASSERT_TRUE(SplitTarget("https://hoithi.example", bare));
  EXPECT_EQ(bare.path, "/");
  Request bad;
  EXPECT_FALSE(SplitTarget("*", bad));
  EXPECT_FALSE(SplitTarget("/a%00b", bad));
}

TEST(ErrorStatus, EachKindHasOneStatus) {
  EXPECT_EQ(HttpStatus(core::ErrorKind::kValidation), 422);
  EXPECT_EQ(HttpStatus(core::ErrorKind::kConflict), 409);
  EXPECT_EQ(HttpStatus(core::ErrorKind::kUnavailable), 503);
  EXPECT_EQ(HttpStatus(core::ErrorKind::kInsufficientStorage), 507);
  // The resumable uploads' own (tus): unsupported version, expired upload, checksum mismatch.
  EXPECT_EQ(HttpStatus(core::ErrorKind::kPreconditionFailed), 412);
  EXPECT_EQ(HttpStatus(core::ErrorKind::kGone), 410);
  EXPECT_EQ(HttpStatus(core::ErrorKind::kChecksumMismatch), 460);
  EXPECT_EQ(StatusReason(460), "Checksum Mismatch");
  auto e = core::MakeError(core::ErrorKind::kValidation, "duplicate_phone",
                           "Số điện thoại đã được đăng ký.", "phone");
  EXPECT_EQ(
      ErrorJson(e),
      R"({"error":{"code":"duplicate_phone","field":"phone","message":"Số điện thoại đã được đăng ký."}})");
}

}  // namespace
}  // namespace hoithi::http
