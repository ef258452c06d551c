// video::tus: each header's accepted forms and refusals (with the kind that decides the
// status: 412, 400, 413, 415), the metadata round trip, the OPTIONS headers and Upload-Expires.
#include "video/tus.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace hoithi::video::tus {
namespace {

using core::ErrorKind;

template <class R>
std::string Code(const R& r) {
  return r.ok() ? std::string("ok") : r.error().code;
}

TEST(Tus, OnlyVersionOneIsResumable) {
  EXPECT_TRUE(CheckTusResumable("1.0.0").ok());
  for (const Header bad :
       {Header(), Header("0.2.2"), Header("1.0"), Header(""), Header("1.0.0,0.2.2")}) {
    const auto r = CheckTusResumable(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kPreconditionFailed);
    EXPECT_EQ(r.error().code, "tus_version_unsupported");
    EXPECT_NE(r.error().message.find("1.0.0"), std::string::npos) << r.error().message;
  }
}

TEST(Tus, UploadLengthIsADecimalCountUpToTheLimit) {
  Limits limits;
  limits.max_size = 1000;
  EXPECT_EQ(*ParseUploadLength("0", {}, limits), 0u) << "an empty upload is allowed";
  EXPECT_EQ(*ParseUploadLength("1000", {}, limits), 1000u);
  for (const char* bad : {"", "-5", "+5", " 5", "5 ", "5.0", "0x10", "1e3", "12a",
                          "99999999999999999999", "9223372036854775808"}) {
    const auto r = ParseUploadLength(bad, {}, limits);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "upload_length_invalid") << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kBadRequest);
  }
  const auto big = ParseUploadLength("1001", {}, limits);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().kind, ErrorKind::kPayloadTooLarge);
  EXPECT_EQ(big.error().code, "upload_too_large");
}

TEST(Tus, TooLargeSaysBothSizesInMegabytes) {
  Limits limits;
  limits.max_size = 2ull * 1024 * 1024 * 1024;
  const auto r = ParseUploadLength("3221225472", {}, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Tệp quá lớn (3.072 MB); dung lượng tối đa là 2.048 MB.");
}

TEST(Tus, DeferredLengthIsRefusedPlainly) {
  Limits limits;
  EXPECT_EQ(Code(ParseUploadLength({}, "1", limits)), "upload_defer_length_unsupported");
  EXPECT_EQ(Code(ParseUploadLength({}, {}, limits)), "upload_length_missing");
  EXPECT_EQ(Code(ParseUploadLength("10", "1", limits)), "upload_length_ambiguous");
}

TEST(Tus, UploadOffset) {
  EXPECT_EQ(*ParseUploadOffset("0"), 0u);
  EXPECT_EQ(*ParseUploadOffset("123456789012"), 123456789012u);
  EXPECT_EQ(Code(ParseUploadOffset({})), "upload_offset_missing");
  for (const char* bad : {"", "-1", "1.5", "abc", " 1"}) {
    EXPECT_EQ(Code(ParseUploadOffset(bad)), "upload_offset_invalid") << bad;
  }
}

TEST(Tus, PatchBodiesMustBeOffsetOctetStreams) {
  EXPECT_TRUE(CheckOffsetContentType("application/offset+octet-stream").ok());
  EXPECT_TRUE(CheckOffsetContentType("Application/Offset+Octet-Stream; charset=x").ok());
  for (const Header bad :
       {Header(), Header("application/octet-stream"), Header("text/plain"), Header("")}) {
    const auto r = CheckOffsetContentType(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kUnsupportedMediaType);
  }
}

TEST(Tus, AChunkMustNotRunPastTheUploadLength) {
  EXPECT_TRUE(CheckChunkFits(0, 100, 100).ok());
  EXPECT_TRUE(CheckChunkFits(60, 40, 100).ok());
  EXPECT_TRUE(CheckChunkFits(60, std::nullopt, 100).ok());
  EXPECT_EQ(Code(CheckChunkFits(60, 41, 100)), "upload_chunk_too_large");
  EXPECT_EQ(Code(CheckChunkFits(101, 0, 100)), "upload_chunk_too_large");
  EXPECT_EQ(Code(CheckChunkFits(1, UINT64_MAX, 100)), "upload_chunk_too_large") << "no overflow";
}

TEST(Tus, MethodOverrideAppliesToPostOnly) {
  EXPECT_EQ(*EffectiveMethod("POST", "PATCH"), "PATCH");
  EXPECT_EQ(*EffectiveMethod("POST", "DELETE"), "DELETE");
  EXPECT_EQ(*EffectiveMethod("POST", {}), "POST");
  EXPECT_EQ(*EffectiveMethod("GET", "DELETE"), "GET") << "a cross-site GET never deletes";
  EXPECT_EQ(*EffectiveMethod("PATCH", "DELETE"), "PATCH");
  EXPECT_EQ(Code(EffectiveMethod("POST", "patch")), "method_override_invalid");
  EXPECT_EQ(Code(EffectiveMethod("POST", "CONNECT")), "method_override_invalid");
}

TEST(Tus, MetadataPairsAreDecoded) {
  Limits limits;
  // tus-js-client's form, then the spec's example with a key without a value.
  auto m = ParseUploadMetadata(
      "filename dmlkZW8gdHV5w6puIHRydXnhu4FuLm1wNA==,filetype dmlkZW8vbXA0", limits);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(*m->Get("filename"), "video tuyên truyền.mp4");
  EXPECT_EQ(*m->Get("filetype"), "video/mp4");
  EXPECT_FALSE(m->Get("missing"));

  auto spec =
      ParseUploadMetadata("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential", limits);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(*spec->Get("filename"), "world_domination_plan.pdf");
  EXPECT_EQ(*spec->Get("is_confidential"), "");

  auto spaced = ParseUploadMetadata(" a aGVsbG8= , b d29ybGQ=,, ", limits);
  ASSERT_TRUE(spaced.ok()) << "spaces around pairs and empty elements, as HTTP lists allow";
  EXPECT_EQ(spaced->pairs().size(), 2u);
  EXPECT_EQ(*spaced->Get("b"), "world");

  EXPECT_TRUE(ParseUploadMetadata({}, limits)->empty());
}

TEST(Tus, MetadataIsRefusedWhenMalformed) {
  Limits limits;
  for (const char* bad : {"a aGVsbG8=,a d29ybGQ=",  // duplicate key
                          "a aGVsbG8",              // no padding
                          "a aGVs bG8=",            // a space inside the value
                          "a !!!!",                 // not base64
                          "ké aGVsbG8=",            // key not ASCII
                          "a\x01 aGVsbG8="}) {      // control character
    const auto r = ParseUploadMetadata(bad, limits);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "upload_metadata_invalid") << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kBadRequest);
    EXPECT_EQ(r.error().field, "Upload-Metadata");
  }
  limits.max_metadata_bytes = 16;
  EXPECT_EQ(Code(ParseUploadMetadata("filename aGVsbG8gd29ybGQ=", limits)),
            "upload_metadata_too_large");
  limits = Limits();
  limits.max_metadata_pairs = 2;
  EXPECT_EQ(Code(ParseUploadMetadata("a,b,c", limits)), "upload_metadata_too_large");
}

TEST(Tus, MetadataSurvivesARoundTrip) {
  Limits limits;
  auto m = ParseUploadMetadata("filename xJDhu5NuZyB0aMOhcC5tb3Y=,flag,empty ", limits);
  ASSERT_TRUE(m.ok());
  const auto header = FormatUploadMetadata(*m);
  EXPECT_EQ(header, "filename xJDhu5NuZyB0aMOhcC5tb3Y=,flag,empty");
  auto again = ParseUploadMetadata(header, limits);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->pairs(), m->pairs());
  EXPECT_EQ(*again->Get("filename"), "Đồng tháp.mov");
}

TEST(Tus, ChecksumIsSha256InBase64) {
  // sha256("hello world")
  auto r = ParseUploadChecksum("sha256 uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((**r)[0], 0xb9);
  EXPECT_EQ((**r)[31], 0xe9);
  EXPECT_FALSE(ParseUploadChecksum({})->has_value()) << "no checksum: nothing to check";

  const auto sha1 = ParseUploadChecksum("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=");
  ASSERT_FALSE(sha1.ok());
  EXPECT_EQ(sha1.error().code, "checksum_algorithm_unsupported");
  EXPECT_EQ(sha1.error().kind, ErrorKind::kBadRequest) << "the checksum extension's 400";
  EXPECT_NE(sha1.error().message.find("«sha1»"), std::string::npos);

  for (const char* bad : {"sha256", "sha256 ", "sha256 aGVsbG8=", "sha256 not-base64!", ""}) {
    EXPECT_EQ(Code(ParseUploadChecksum(bad)), "upload_checksum_invalid") << bad;
  }
}

TEST(Tus, OptionsAnnounceWhatIsServed) {
  Limits limits;
  limits.max_size = 1073741824;
  const auto headers = OptionsHeaders(limits);
  const HeaderList expected = {
      {"Tus-Resumable", "1.0.0"},
      {"Tus-Version", "1.0.0"},
      {"Tus-Extension", "creation,creation-with-upload,termination,expiration,checksum"},
      {"Tus-Max-Size", "1073741824"},
      {"Tus-Checksum-Algorithm", "sha256"},
  };
  EXPECT_EQ(headers, expected);
}

TEST(Tus, UploadExpiresIsAnImfFixdate) {
  using namespace std::chrono;
  // The spec's example: Wed, 25 Jun 2014 16:00:00 GMT.
  const auto t = sys_days(year(2014) / June / 25) + hours(16);
  EXPECT_EQ(FormatHttpDate(core::TimePoint(duration_cast<milliseconds>(t.time_since_epoch()))),
            "Wed, 25 Jun 2014 16:00:00 GMT");
  const auto t2 =
      sys_days(year(2021) / October / 3) + hours(7) + minutes(5) + seconds(9) + milliseconds(999);
  EXPECT_EQ(FormatHttpDate(core::TimePoint(duration_cast<milliseconds>(t2.time_since_epoch()))),
            "Sun, 03 Oct 2021 07:05:09 GMT");
}

}  // namespace
}  // namespace hoithi::video::tus
