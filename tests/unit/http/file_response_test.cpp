// The pure pieces of file responses: Range parsing, HTTP dates, Content-Disposition.
#include "http/file_response.hpp"

#include <gtest/gtest.h>

namespace hoithi::http {
namespace {

using Kind = RangeAsk::Kind;

TEST(ParseRange, ReadsTheThreeFormsOfOneRange) {
  auto r = ParseRange("bytes=0-99", 1000);
  EXPECT_EQ(r.kind, Kind::kRange);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.length, 100u);
  r = ParseRange("bytes=990-", 1000);
  EXPECT_EQ(r.kind, Kind::kRange);
  EXPECT_EQ(r.first, 990u);
  EXPECT_EQ(r.length, 10u);
  r = ParseRange("bytes=-300", 1000);
  EXPECT_EQ(r.kind, Kind::kRange);
  EXPECT_EQ(r.first, 700u);
  EXPECT_EQ(r.length, 300u);
}

TEST(ParseRange, ClampsToTheFile) {
  auto r = ParseRange("bytes=500-5000", 1000);
  EXPECT_EQ(r.first, 500u);
  EXPECT_EQ(r.length, 500u);
  r = ParseRange("bytes=-5000", 1000);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.length, 1000u);
}

TEST(ParseRange, AStartPastTheEndOrAnEmptySuffixIsUnsatisfiable) {
  EXPECT_EQ(ParseRange("bytes=1000-", 1000).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=1000-2000", 1000).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=-0", 1000).kind, Kind::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=0-", 0).kind, Kind::kUnsatisfiable);
}

TEST(ParseRange, MalformedOrSeveralRangesMeanTheWholeFile) {
  for (const char* h : {"", "bytes=", "bytes=-", "bytes=5-1", "bytes=a-b", "bytes=1-2,4-5",
                        "items=0-1", "bytes=0x1-2", "bytes=1-2-3"}) {
    EXPECT_EQ(ParseRange(h, 1000).kind, Kind::kWhole) << h;
  }
}

TEST(HttpDate, WritesAndReadsImfFixdate) {
  EXPECT_EQ(HttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_FALSE(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"));
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT"));
  EXPECT_FALSE(ParseHttpDate("garbage"));
}

TEST(AttachmentDisposition, KeepsTheNameAndGivesAnAsciiFallback) {
  EXPECT_EQ(AttachmentDisposition("Video Đơn vị.mp4"),
            "attachment; filename=\"Video don vi.mp4\"; "
            "filename*=UTF-8''Video%20%C4%90%C6%A1n%20v%E1%BB%8B.mp4");
  EXPECT_EQ(AttachmentDisposition("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
}

TEST(AttachmentDisposition, DropsPathsControlsAndQuotes) {
  const auto d = AttachmentDisposition("../../etc/pa\"ss\r\nX-Evil: 1");
  EXPECT_EQ(d.find('\r'), std::string::npos);
  EXPECT_EQ(d.find('\n'), std::string::npos);
  EXPECT_EQ(d.find('/'), std::string::npos);
  EXPECT_NE(d.find("filename=\"pa_ssX-Evil: 1\""), std::string::npos);
  EXPECT_EQ(AttachmentDisposition(".."),
            "attachment; filename=\"tep-tai-ve\"; filename*=UTF-8''tep-tai-ve");
  // Not UTF-8: only the fallback.
  EXPECT_EQ(AttachmentDisposition("a\xff.mp4"), "attachment; filename=\"a_.mp4\"");
}

}  // namespace
}  // namespace hoithi::http
