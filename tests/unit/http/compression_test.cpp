// Content negotiation and compression.
#include "http/compression.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

namespace hoithi::http {
namespace {

TEST(Compression, NegotiatesBrotliOverGzipAndHonoursQZero) {
  EXPECT_EQ(PreferredEncoding("gzip, deflate, br"), Encoding::kBrotli);
  EXPECT_EQ(PreferredEncoding("gzip"), Encoding::kGzip);
  EXPECT_EQ(PreferredEncoding("br;q=0, gzip;q=0.5"), Encoding::kGzip);
  EXPECT_EQ(PreferredEncoding("gzip;q=0.000"), Encoding::kIdentity);
  EXPECT_EQ(PreferredEncoding(""), Encoding::kIdentity);
}

TEST(Compression, GzipRoundTrips) {
  std::string text;
  for (int i = 0; i < 200; ++i)
    text += "Hội thi trực tuyến Cải cách hành chính. ";
  auto packed = GzipCompress(text, 6);
  ASSERT_TRUE(packed);
  EXPECT_LT(packed->size(), text.size() / 5);
  z_stream zs{};
  ASSERT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  std::string out(text.size() + 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(packed->data());
  zs.avail_in = static_cast<uInt>(packed->size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  ASSERT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  EXPECT_EQ(out, text);
}

TEST(Compression, OnlyTextLikeTypesAreCompressed) {
  EXPECT_TRUE(IsCompressible("text/html; charset=utf-8"));
  EXPECT_TRUE(IsCompressible("application/json; charset=utf-8"));
  EXPECT_FALSE(IsCompressible("image/png"));
  EXPECT_FALSE(IsCompressible("video/mp4"));
}

}  // namespace
}  // namespace hoithi::http
