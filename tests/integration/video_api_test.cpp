// Video entries and their tus 1.0.0 uploads through the real server, with a 2 s clip that ffmpeg
// makes at test time: entries (creation, validation, who sees what, the units' overview), the
// upload in chunks, cut mid-body and resumed, in one request, with a wrong checksum, terminated,
// refused (size, unit, role, deadline, withdrawn), and what processing makes of it: a poster, a
// web copy served by ranges, the original as sent, or a refusal for a file that is no video.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "support/http_client.hpp"
#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"
#include "support/temp_dir.hpp"
#include "support/video_client.hpp"
#include "support/wait.hpp"

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr char kUnit[] = "ubnd-huyen-ke-sach";
constexpr char kUnitName[] = "UBND huyện Kế Sách";
constexpr char kFocal[] = "daumoi.kesach";
constexpr char kOtherUnit[] = "so-noi-vu";
// video.max_upload_mb's default, 2048 MiB: what OPTIONS announces and POST enforces.
constexpr std::uint64_t kMaxUpload = 2048ull * 1024 * 1024;

bool Lists(const json& list, std::int64_t id) {
  for (const auto& e : list.value("items", json::array())) {
    if (e.value("id", std::int64_t{0}) == id) return true;
  }
  return false;
}

/// Whether `s` holds a byte outside ASCII: Vietnamese text always does (its diacritics).
bool HasNonAscii(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char ch) { return (ch & 0x80) != 0; });
}

// ---------------------------------------------------------------------------------------------
// One seeded server with the real clock and the default limits; each test makes its own entries.

class VideoApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    clip_ = MakeClip(dir_->path() / "clip.mp4");
    server_ = new ServerProcess();
    server_->SeedDemo();
    server_->Start();
    other_focal_made_ = false;
  }
  static void TearDownTestSuite() {
    ExpectCleanStop(*server_);
    delete server_;
    server_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    ASSERT_FALSE(clip_.empty()) << "no clip to upload";
    focal_ = SignIn(*server_, kFocal);
  }

  /// A focal point of so-noi-vu, made by btc the first time a test asks.
  static Signed OtherFocal() {
    constexpr char kLogin[] = "daumoi.noivu";
    if (!other_focal_made_) {
      auto btc = SignIn(*server_, "btc");
      const auto r = btc.http->Post("/api/v1/users", json{{"login", kLogin},
                                                          {"full_name", "Trịnh Đầu Mối Nội Vụ"},
                                                          {"role", "focal_point"},
                                                          {"unit_code", kOtherUnit},
                                                          {"password", kStrongPassword}}
                                                         .dump());
      EXPECT_TRUE(IsAnswer(r, 201));
      other_focal_made_ = true;
    }
    return SignIn(*server_, kLogin, kStrongPassword);
  }

  static ServerProcess* server_;
  static TempDir* dir_;
  static std::string clip_;
  static bool other_focal_made_;
  Signed focal_;
};
ServerProcess* VideoApi::server_ = nullptr;
TempDir* VideoApi::dir_ = nullptr;
std::string VideoApi::clip_;
bool VideoApi::other_focal_made_ = false;

// --- the protocol's discovery

TEST_F(VideoApi, OptionsAnnouncesTheTusVersionExtensionsLimitAndChecksum) {
  const auto r = focal_.http->Request("OPTIONS", "/api/v1/uploads", "", {kNoContentType});
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.Header("tus-resumable"), "1.0.0");
  EXPECT_NE(r.Header("tus-version").find("1.0.0"), std::string::npos) << r.Header("tus-version");
  const auto extensions = r.Header("tus-extension");
  for (const char* e :
       {"creation", "creation-with-upload", "termination", "expiration", "checksum"}) {
    EXPECT_NE(("," + extensions + ",").find(std::string(",") + e + ","), std::string::npos)
        << e << " missing in " << extensions;
  }
  EXPECT_EQ(r.Header("tus-max-size"), std::to_string(kMaxUpload));
  EXPECT_NE(r.Header("tus-checksum-algorithm").find("sha256"), std::string::npos);
}

// --- entries

TEST_F(VideoApi, AFocalPointCreatesAnEntryForTheirUnitWithItsCreditsAndThemes) {
  const auto title = NewTitle();
  const auto body = EntryBody(title);
  const auto e = NewEntry(*focal_.http, body);
  ASSERT_TRUE(e.contains("id")) << e.dump();
  EXPECT_TRUE(e["id"].is_number_integer());
  EXPECT_EQ(e["unit_code"], kUnit);
  EXPECT_EQ(e["unit_name"], kUnitName);
  EXPECT_EQ(e["title"], title) << "the diacritics come back as sent";
  EXPECT_EQ(e["description"], body["description"]);
  EXPECT_EQ(e["form"], "musical");
  EXPECT_EQ(e["form_label"], "Nhạc kịch");
  EXPECT_EQ(e["themes"], body["themes"]);
  ASSERT_EQ(e["theme_labels"].size(), 2u);
  for (const auto& label : e["theme_labels"])
    EXPECT_TRUE(HasNonAscii(label.get<std::string>())) << "a Vietnamese label: " << label;
  ASSERT_EQ(e["credits"].size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(e["credits"][i]["name"], body["credits"][i]["name"]) << i;
    EXPECT_EQ(e["credits"][i]["role"], body["credits"][i]["role"]) << i;
    EXPECT_EQ(e["credits"][i]["invited"], body["credits"][i]["invited"]) << i;
  }
  EXPECT_EQ(e["status"], "draft");
  EXPECT_EQ(e["status_label"], "Chưa có video");
  EXPECT_EQ(e["reject_reason"], "");
  EXPECT_TRUE(e["upload"].is_null());
  EXPECT_TRUE(e["video"].is_null());
  EXPECT_GT(EpochMs(e.value("created_at", "")), 0);
  EXPECT_GT(EpochMs(e.value("updated_at", "")), 0);
  EXPECT_EQ(GetEntry(*focal_.http, IdOf(e)), e) << "read back as created";
  // Nothing to watch yet.
  EXPECT_TRUE(IsAnswer(focal_.http->Get(EntryPath(IdOf(e), "/poster")), 404, "video_not_ready"));
  EXPECT_TRUE(IsAnswer(focal_.http->Get(EntryPath(IdOf(e), "/video")), 404, "video_not_ready"));
}

TEST_F(VideoApi, ABadTitleFormThemesOrCreditIs422NamingTheFieldAndCreatesNothing) {
  const auto before = focal_.http->Get("/api/v1/videos").Json()["items"].size();
  auto bad = [&](const json& change, const std::string& field) {
    auto body = EntryBody(NewTitle());
    body.update(change);
    const auto r = focal_.http->Post("/api/v1/videos", body.dump());
    EXPECT_TRUE(IsAnswer(r, 422, "validation")) << change.dump();
    // A credit's error may name the credit itself ("credits[0].name").
    EXPECT_TRUE(ErrorOf(r).value("field", "").starts_with(field))
        << change.dump() << ": " << r.body;
    EXPECT_TRUE(HasNonAscii(ErrorOf(r).value("message", ""))) << "a Vietnamese message";
  };
  bad({{"title", ""}}, "title");
  bad({{"title", std::string(201, 'a')}}, "title");
  bad({{"form", "opera"}}, "form");
  bad({{"themes", json::array()}}, "themes");
  bad({{"themes", {"one_stop", "tax_holiday"}}}, "themes");
  bad({{"credits", {{{"name", ""}, {"role", "Đạo diễn"}, {"invited", false}}}}}, "credits");
  EXPECT_EQ(focal_.http->Get("/api/v1/videos").Json()["items"].size(), before);
  // The longest title taken.
  EXPECT_TRUE(
      IsAnswer(focal_.http->Post("/api/v1/videos", EntryBody(std::string(200, 'a')).dump()), 201));
}

TEST_F(VideoApi, OnlyFocalPointsAndTheOrganisersCreateEntries) {
  for (const char* login : {"0912345678", "giamkhao", "thuky"}) {
    auto who = SignIn(*server_, login);
    EXPECT_TRUE(IsAnswer(who.http->Post("/api/v1/videos", EntryBody(NewTitle()).dump()), 403))
        << login;
  }
  HttpClient anonymous(server_->base_url());
  EXPECT_EQ(anonymous.Post("/api/v1/videos", EntryBody(NewTitle()).dump()).status, 401);
  // A focal point speaks for their own unit only.
  auto body = EntryBody(NewTitle());
  body["unit_code"] = kOtherUnit;
  EXPECT_TRUE(IsAnswer(focal_.http->Post("/api/v1/videos", body.dump()), 403, "other_unit"));
  body["unit_code"] = kUnit;
  EXPECT_EQ(NewEntry(*focal_.http, body).value("unit_code", ""), kUnit) << "their own: taken";
  // The organisers must say for which unit.
  auto btc = SignIn(*server_, "btc");
  const auto without = btc.http->Post("/api/v1/videos", EntryBody(NewTitle()).dump());
  EXPECT_TRUE(IsAnswer(without, 422));
  EXPECT_EQ(ErrorOf(without).value("field", ""), "unit_code");
  body["unit_code"] = kOtherUnit;
  EXPECT_EQ(NewEntry(*btc.http, body).value("unit_code", ""), kOtherUnit);
}

TEST_F(VideoApi, AnEntryIsSeenByItsUnitAndTheOrganisersNotByAnotherUnit) {
  const auto mine = NewEntry(*focal_.http);
  ASSERT_TRUE(mine.contains("id"));
  auto btc = SignIn(*server_, "btc");
  auto body = EntryBody(NewTitle());
  body["unit_code"] = kOtherUnit;
  const auto theirs = NewEntry(*btc.http, body);
  ASSERT_TRUE(theirs.contains("id"));

  const auto own = focal_.http->Get("/api/v1/videos");
  ASSERT_TRUE(IsAnswer(own, 200));
  EXPECT_TRUE(Lists(own.Json(), IdOf(mine)));
  EXPECT_FALSE(Lists(own.Json(), IdOf(theirs)));
  const auto own_items = own.Json()["items"];
  for (const auto& e : own_items)
    EXPECT_EQ(e["unit_code"], kUnit) << e.dump();

  const auto all = btc.http->Get("/api/v1/videos");
  ASSERT_TRUE(IsAnswer(all, 200));
  EXPECT_TRUE(Lists(all.Json(), IdOf(mine)));
  EXPECT_TRUE(Lists(all.Json(), IdOf(theirs)));
  const auto filtered = btc.http->Get(std::string("/api/v1/videos?unit=") + kUnit);
  ASSERT_TRUE(IsAnswer(filtered, 200));
  EXPECT_TRUE(Lists(filtered.Json(), IdOf(mine)));
  EXPECT_FALSE(Lists(filtered.Json(), IdOf(theirs)));
  EXPECT_EQ(GetEntry(*btc.http, IdOf(mine))["title"], mine["title"]);

  auto other = OtherFocal();
  const auto others = other.http->Get("/api/v1/videos");
  ASSERT_TRUE(IsAnswer(others, 200));
  EXPECT_FALSE(Lists(others.Json(), IdOf(mine)));
  EXPECT_TRUE(Lists(others.Json(), IdOf(theirs)));
  // Another unit's entry does not exist for them: not even its id is confirmed.
  EXPECT_TRUE(IsAnswer(other.http->Get(EntryPath(IdOf(mine))), 404, "not_found"));
  const auto change = Patch(*other.http, EntryPath(IdOf(mine)), {{"title", "Đổi tên trộm"}});
  EXPECT_TRUE(change.status == 403 || change.status == 404) << change.status << " " << change.body;
  EXPECT_EQ(GetEntry(*focal_.http, IdOf(mine))["title"], mine["title"]);

  // A participant has no business with the entries. (The secretary watches every unit's;
  // judges see the videos they score through the judging API: judging_api_test.)
  auto participant = SignIn(*server_, "0912345678");
  EXPECT_TRUE(IsAnswer(participant.http->Get("/api/v1/videos"), 403));
  const auto one = participant.http->Get(EntryPath(IdOf(mine)));
  EXPECT_TRUE(one.status == 403 || one.status == 404) << one.status << " " << one.body;
}

TEST_F(VideoApi, PatchChangesTheTitleAndLeavesTheRest) {
  const auto e = NewEntry(*focal_.http);
  ASSERT_TRUE(e.contains("id"));
  const std::string title = "Dịch vụ công trực tuyến mức độ 4 — " + UniqueName();
  const auto r = Patch(*focal_.http, EntryPath(IdOf(e)), {{"title", title}});
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto changed = r.Json();
  EXPECT_EQ(changed["title"], title);
  for (const char* same :
       {"id", "unit_code", "description", "form", "themes", "credits", "status", "created_at"}) {
    EXPECT_EQ(changed[same], e[same]) << same;
  }
  EXPECT_GE(EpochMs(changed["updated_at"]), EpochMs(e["updated_at"]));
  EXPECT_EQ(GetEntry(*focal_.http, IdOf(e))["title"], title);
  const auto bad = Patch(*focal_.http, EntryPath(IdOf(e)), {{"form", "opera"}});
  EXPECT_TRUE(IsAnswer(bad, 422, "validation"));
  EXPECT_EQ(ErrorOf(bad).value("field", ""), "form");
  EXPECT_EQ(GetEntry(*focal_.http, IdOf(e))["form"], "musical");
}

TEST_F(VideoApi, TheUnitsOverviewListsUnitsWithoutAReadyVideoFirst) {
  const auto e = NewEntry(*focal_.http);
  ASSERT_TRUE(e.contains("id"));
  UploadWhole(*focal_.http, IdOf(e), clip_);
  ASSERT_EQ(WaitForStatus(*focal_.http, IdOf(e), {"ready", "rejected"}).value("status", ""),
            "ready");

  auto btc = SignIn(*server_, "btc");
  const auto r = btc.http->Get("/api/v1/videos/units");
  ASSERT_TRUE(IsAnswer(r, 200));
  const auto items = r.Json()["items"];
  ASSERT_GT(items.size(), 1u);
  bool ready_seen = false, found = false;
  for (const auto& u : items) {
    EXPECT_FALSE(u.value("status_label", "").empty()) << u.dump();
    const bool ready = u.value("ready", 0) > 0;
    EXPECT_FALSE(ready_seen && !ready)
        << "a unit without a ready video after one with: " << u.dump();
    ready_seen = ready_seen || ready;
    if (u["unit_code"] == kUnit) {
      found = true;
      EXPECT_EQ(u["unit_name"], kUnitName);
      EXPECT_GE(u["entries"].get<int>(), 1);
      EXPECT_GE(u["ready"].get<int>(), 1);
    }
  }
  EXPECT_TRUE(found) << r.body;
  EXPECT_EQ(items[0].value("ready", -1), 0) << "the demo's other units have no video";
  auto secretary = SignIn(*server_, "thuky");
  EXPECT_TRUE(IsAnswer(secretary.http->Get("/api/v1/videos/units"), 200));
  EXPECT_TRUE(IsAnswer(focal_.http->Get("/api/v1/videos/units"), 403));
}

// --- uploads

TEST_F(VideoApi, AClipUploadedInThreeChunksIsProcessedIntoAPosterAndAWebCopy) {
  const auto e = NewEntry(*focal_.http);
  ASSERT_TRUE(e.contains("id"));
  const auto id = IdOf(e);
  const auto size = clip_.size();

  const auto created = CreateUpload(*focal_.http, id, size);
  ASSERT_TRUE(IsAnswer(created, 201));
  EXPECT_EQ(created.Header("tus-resumable"), "1.0.0");
  EXPECT_TRUE(created.Header("upload-expires").ends_with(" GMT"))
      << created.Header("upload-expires");
  const auto path = UploadPath(created);
  ASSERT_TRUE(IsUploadPath(path)) << "Location: " << created.Header("location");
  const auto uploading = GetEntry(*focal_.http, id);
  EXPECT_EQ(uploading["status"], "uploading");
  EXPECT_EQ(uploading["status_label"], "Đang tải lên");
  ASSERT_TRUE(uploading["upload"].is_object()) << uploading.dump();
  EXPECT_EQ("/api/v1/uploads/" + uploading["upload"].value("id", ""), path);
  EXPECT_EQ(uploading["upload"]["length"], size);
  EXPECT_EQ(uploading["upload"]["finished"], false);

  const auto head = HeadUpload(*focal_.http, path);
  ASSERT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("upload-offset"), "0");
  EXPECT_EQ(head.Header("upload-length"), std::to_string(size));
  EXPECT_EQ(head.Header("cache-control"), "no-store");
  EXPECT_EQ(head.Header("tus-resumable"), "1.0.0");
  const auto metadata = head.Header("upload-metadata");
  EXPECT_NE(metadata.find("entry_id " + Base64(std::to_string(id))), std::string::npos) << metadata;
  EXPECT_NE(metadata.find("filename " + Base64("clip.mp4")), std::string::npos) << metadata;

  const std::uint64_t cut1 = size / 3, cut2 = 2 * size / 3;
  // Refused before a byte is taken: no protocol version, and a body of another type.
  const auto unversioned = focal_.http->Request("PATCH", path, clip_.substr(0, cut1),
                                                {kOffsetStream, "Upload-Offset: 0"});
  EXPECT_TRUE(IsAnswer(unversioned, 412, "tus_version_unsupported"));
  EXPECT_NE(unversioned.Header("tus-version").find("1.0.0"), std::string::npos);
  const auto untyped = focal_.http->Request(
      "PATCH", path, clip_.substr(0, cut1),
      {kTusResumable, "Content-Type: application/octet-stream", "Upload-Offset: 0"});
  EXPECT_EQ(untyped.status, 415) << untyped.body;
  EXPECT_EQ(OffsetOf(*focal_.http, path), 0);

  auto r = PatchUpload(*focal_.http, path, 0, clip_.substr(0, cut1));
  ASSERT_TRUE(IsAnswer(r, 204));
  EXPECT_EQ(r.Header("upload-offset"), std::to_string(cut1));
  EXPECT_EQ(r.Header("tus-resumable"), "1.0.0");
  EXPECT_EQ(OffsetOf(*focal_.http, path), static_cast<long long>(cut1));

  // A client that lost track of the offset is told, and nothing is written.
  EXPECT_TRUE(IsAnswer(PatchUpload(*focal_.http, path, cut1 + 7, clip_.substr(cut1 + 7, 100)), 409,
                       "upload_offset_mismatch"));
  EXPECT_TRUE(IsAnswer(PatchUpload(*focal_.http, path, 0, clip_.substr(0, cut1)), 409,
                       "upload_offset_mismatch"));
  EXPECT_EQ(OffsetOf(*focal_.http, path), static_cast<long long>(cut1));

  r = PatchUpload(*focal_.http, path, cut1, clip_.substr(cut1, cut2 - cut1));
  ASSERT_TRUE(IsAnswer(r, 204));
  EXPECT_EQ(r.Header("upload-offset"), std::to_string(cut2));
  EXPECT_EQ(OffsetOf(*focal_.http, path), static_cast<long long>(cut2));
  EXPECT_EQ(GetEntry(*focal_.http, id)["status"], "uploading");

  r = PatchUpload(*focal_.http, path, cut2, clip_.substr(cut2));
  ASSERT_TRUE(IsAnswer(r, 204));
  EXPECT_EQ(r.Header("upload-offset"), std::to_string(size));
  const auto uploaded = GetEntry(*focal_.http, id);
  EXPECT_TRUE(std::set<std::string>({"uploaded", "processing", "ready"})
                  .contains(uploaded.value("status", "")))
      << uploaded.dump();
  EXPECT_EQ(uploaded["upload"]["finished"], true);
  // A finished upload takes nothing more.
  EXPECT_EQ(PatchUpload(*focal_.http, path, size, "").status, 410);

  const auto ready = WaitForStatus(*focal_.http, id, {"ready", "rejected"});
  ASSERT_EQ(ready["status"], "ready") << ready.dump();
  EXPECT_EQ(ready["status_label"], "Sẵn sàng");
  EXPECT_EQ(ready["reject_reason"], "");
  ASSERT_TRUE(ready["video"].is_object()) << ready.dump();
  EXPECT_NEAR(ready["video"]["duration_s"].get<double>(), 2.0, 0.25);
  EXPECT_EQ(ready["video"]["width"], 320);
  EXPECT_EQ(ready["video"]["height"], 240);
  EXPECT_NE(ready["video"].value("duration_label", "").find("giây"), std::string::npos)
      << ready["video"].dump();

  // The web copy, whole and by ranges.
  const auto whole = focal_.http->Get(EntryPath(id, "/video"));
  ASSERT_EQ(whole.status, 200) << whole.body.substr(0, 500);
  EXPECT_EQ(whole.Header("content-type"), "video/mp4");
  EXPECT_FALSE(whole.Header("etag").empty());
  ASSERT_GT(whole.body.size(), 100u);
  EXPECT_EQ(whole.body.substr(4, 4), "ftyp") << "an mp4";
  const auto web_size = std::to_string(whole.body.size());
  const auto part = focal_.http->Get(EntryPath(id, "/video"), {"Range: bytes=0-99"});
  ASSERT_EQ(part.status, 206) << part.body.substr(0, 500);
  EXPECT_EQ(part.Header("content-range"), "bytes 0-99/" + web_size);
  EXPECT_EQ(part.Header("content-type"), "video/mp4");
  EXPECT_EQ(part.body, whole.body.substr(0, 100));
  const auto past = focal_.http->Get(EntryPath(id, "/video"), {"Range: bytes=" + web_size + "-"});
  EXPECT_EQ(past.status, 416);
  EXPECT_EQ(past.Header("content-range"), "bytes */" + web_size);

  const auto poster = focal_.http->Get(EntryPath(id, "/poster"));
  ASSERT_EQ(poster.status, 200);
  EXPECT_EQ(poster.Header("content-type"), "image/jpeg");
  ASSERT_GE(poster.body.size(), 2u);
  EXPECT_EQ(poster.body.substr(0, 2), "\xFF\xD8") << "a JPEG";

  // The original as sent, to the organisers and (through judging) the judges only.
  auto btc = SignIn(*server_, "btc");
  const auto original = btc.http->Get(EntryPath(id, "/original"));
  ASSERT_EQ(original.status, 200);
  EXPECT_TRUE(original.body == clip_)
      << "the original differs from the upload: " << original.body.size() << " bytes, sent "
      << size;
  EXPECT_NE(original.Header("content-disposition").find("attachment"), std::string::npos)
      << original.Header("content-disposition");
  // Judges reach it through the judging API (judging_api_test), not here.
  auto judge = SignIn(*server_, "giamkhao");
  EXPECT_EQ(judge.http->Get(EntryPath(id, "/original")).status, 403);
  EXPECT_EQ(judge.http->Get("/api/v1/judging/videos/" + std::to_string(id) + "/original").status,
            200);
  EXPECT_TRUE(IsAnswer(focal_.http->Get(EntryPath(id, "/original")), 403));
  auto participant = SignIn(*server_, "0912345678");
  EXPECT_EQ(participant.http->Get(EntryPath(id, "/video")).status, 403);
  EXPECT_EQ(participant.http->Get(EntryPath(id, "/original")).status, 403);
}

TEST_F(VideoApi, APatchCutMidBodyKeepsWhatArrivedAndTheUploadResumesFromThere) {
  const auto e = NewEntry(*focal_.http);
  ASSERT_TRUE(e.contains("id"));
  const auto created = CreateUpload(*focal_.http, IdOf(e), clip_.size());
  ASSERT_TRUE(IsAnswer(created, 201));
  const auto path = UploadPath(created);
  ASSERT_FALSE(path.empty());

  // The whole file announced, half of it sent, then the connection gone (a phone that lost its
  // signal).
  const std::size_t half = clip_.size() / 2;
  const std::string request = "PATCH " + path +
                              " HTTP/1.1\r\n"
                              "Host: 127.0.0.1\r\n"
                              "Authorization: Bearer " +
                              focal_.token +
                              "\r\n"
                              "Tus-Resumable: 1.0.0\r\n"
                              "Upload-Offset: 0\r\n"
                              "Content-Type: application/offset+octet-stream\r\n"
                              "Content-Length: " +
                              std::to_string(clip_.size()) + "\r\n\r\n" + clip_.substr(0, half);
  const auto answer = RawExchange(server_->port(), request, 1500ms);
  EXPECT_NE(RawStatus(answer), 204) << "half a body cannot complete the upload";

  // The server may still be noticing the closed connection: resume from whatever HEAD says
  // until the rest is taken.
  long long offset = -1;
  HttpResponse rest;
  const bool resumed = Eventually(
      [&] {
        offset = OffsetOf(*focal_.http, path);
        if (offset < 0) return false;
        EXPECT_LE(offset, static_cast<long long>(half)) << "more than was sent";
        rest = PatchUpload(*focal_.http, path, static_cast<std::uint64_t>(offset),
                           clip_.substr(static_cast<std::size_t>(offset)));
        return rest.status == 204;
      },
      10s, 200ms);
  ASSERT_TRUE(resumed) << "offset " << offset << ": " << rest.status << " " << rest.body;
  EXPECT_GE(offset, 0);
  EXPECT_EQ(rest.Header("upload-offset"), std::to_string(clip_.size()));

  const auto ready = WaitForStatus(*focal_.http, IdOf(e), {"ready", "rejected"});
  ASSERT_EQ(ready["status"], "ready") << ready.dump();
  auto btc = SignIn(*server_, "btc");
  const auto original = btc.http->Get(EntryPath(IdOf(e), "/original"));
  ASSERT_EQ(original.status, 200);
  EXPECT_TRUE(original.body == clip_) << "resumed at " << offset << ", stored "
                                      << original.body.size() << " bytes of " << clip_.size();
}

TEST_F(VideoApi, CreationWithUploadTakesTheWholeFileInThePost) {
  const auto e = NewEntry(*focal_.http);
  ASSERT_TRUE(e.contains("id"));
  const auto r =
      focal_.http->Request("POST", "/api/v1/uploads", clip_,
                           {kTusResumable, kOffsetStream,
                            "Upload-Length: " + std::to_string(clip_.size()), Metadata(IdOf(e))});
  ASSERT_TRUE(IsAnswer(r, 201));
  EXPECT_EQ(r.Header("upload-offset"), std::to_string(clip_.size()));
  const auto path = UploadPath(r);
  ASSERT_FALSE(path.empty()) << "Location: " << r.Header("location");
  const auto head = HeadUpload(*focal_.http, path);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("upload-offset"), std::to_string(clip_.size()));
  const auto ready = WaitForStatus(*focal_.http, IdOf(e), {"ready", "rejected"});
  ASSERT_EQ(ready["status"], "ready") << ready.dump();
  auto btc = SignIn(*server_, "btc");
  EXPECT_TRUE(btc.http->Get(EntryPath(IdOf(e), "/original")).body == clip_);
}

TEST_F(VideoApi, AChunkWithAWrongChecksumIs460AndIsNotKept) {
  const auto e = NewEntry(*focal_.http);
  ASSERT_TRUE(e.contains("id"));
  const auto created = CreateUpload(*focal_.http, IdOf(e), clip_.size());
  ASSERT_TRUE(IsAnswer(created, 201));
  const auto path = UploadPath(created);
  ASSERT_FALSE(path.empty());
  const auto chunk = clip_.substr(0, clip_.size() / 2);
  // A well-formed SHA-256 (32 bytes) that is not the chunk's.
  const std::string wrong(32, '\x5a');
  const auto r =
      PatchUpload(*focal_.http, path, 0, chunk, {"Upload-Checksum: sha256 " + Base64(wrong)});
  EXPECT_EQ(r.status, 460) << r.body;
  EXPECT_EQ(OffsetOf(*focal_.http, path), 0) << "the chunk that failed its checksum was kept";
  // Only sha256 is served: another algorithm is the extension's 400.
  EXPECT_TRUE(IsAnswer(PatchUpload(*focal_.http, path, 0, chunk,
                                   {"Upload-Checksum: sha1 " + Base64(std::string(20, 'x'))}),
                       400, "checksum_algorithm_unsupported"));
  EXPECT_EQ(OffsetOf(*focal_.http, path), 0);
  // The upload goes on as if the bad chunk had never come.
  const auto good = PatchUpload(*focal_.http, path, 0, chunk);
  EXPECT_TRUE(IsAnswer(good, 204));
  EXPECT_EQ(good.Header("upload-offset"), std::to_string(chunk.size()));
}

TEST_F(VideoApi, ATerminatedUploadIsGoneAndTheEntryIsADraftAgain) {
  const auto e = NewEntry(*focal_.http);
  ASSERT_TRUE(e.contains("id"));
  const auto created = CreateUpload(*focal_.http, IdOf(e), clip_.size());
  ASSERT_TRUE(IsAnswer(created, 201));
  const auto path = UploadPath(created);
  ASSERT_FALSE(path.empty());
  ASSERT_TRUE(IsAnswer(PatchUpload(*focal_.http, path, 0, clip_.substr(0, 1000)), 204));

  const auto deleted = focal_.http->Request("DELETE", path, "", {kTusResumable, kNoContentType});
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  const auto head = HeadUpload(*focal_.http, path);
  EXPECT_TRUE(head.status == 410 || head.status == 404) << head.status;
  const auto more = PatchUpload(*focal_.http, path, 1000, clip_.substr(1000, 1000));
  EXPECT_TRUE(more.status == 410 || more.status == 404) << more.status << " " << more.body;
  const auto after = GetEntry(*focal_.http, IdOf(e));
  EXPECT_EQ(after["status"], "draft");
  EXPECT_EQ(after["status_label"], "Chưa có video");
  EXPECT_TRUE(after["upload"].is_null()) << after.dump();
}

TEST_F(VideoApi, AnUploadIsRefusedOverTheLimitForAnotherUnitOrRoleAndWithoutItsEntry) {
  const auto e = NewEntry(*focal_.http);
  ASSERT_TRUE(e.contains("id"));
  const auto id = IdOf(e);
  const auto big = CreateUpload(*focal_.http, id, kMaxUpload + 1);
  EXPECT_TRUE(IsAnswer(big, 413, "upload_too_large"));
  EXPECT_TRUE(HasNonAscii(ErrorOf(big).value("message", "")));

  auto other = OtherFocal();
  EXPECT_TRUE(IsAnswer(CreateUpload(*other.http, id, clip_.size()), 403, "other_unit"));
  auto participant = SignIn(*server_, "0912345678");
  EXPECT_TRUE(IsAnswer(CreateUpload(*participant.http, id, clip_.size()), 403));

  const auto no_entry =
      focal_.http->Request("POST", "/api/v1/uploads", "",
                           {kTusResumable, "Upload-Length: " + std::to_string(clip_.size()),
                            "Upload-Metadata: filename " + Base64("clip.mp4"), kNoContentType});
  EXPECT_TRUE(IsAnswer(no_entry, 400, "upload_entry_missing"));
  EXPECT_TRUE(IsAnswer(CreateUpload(*focal_.http, 987654321, clip_.size()), 404));
  const auto unversioned = focal_.http->Request(
      "POST", "/api/v1/uploads", "",
      {"Upload-Length: " + std::to_string(clip_.size()), Metadata(id), kNoContentType});
  EXPECT_TRUE(IsAnswer(unversioned, 412, "tus_version_unsupported"));
  EXPECT_NE(unversioned.Header("tus-version").find("1.0.0"), std::string::npos);

  const auto after = GetEntry(*focal_.http, id);
  EXPECT_EQ(after["status"], "draft") << "a refused upload changed the entry";
  EXPECT_TRUE(after["upload"].is_null());
}

TEST_F(VideoApi, ATextFileNamedMp4IsRejectedAndTheUnitMayUploadAgain) {
  const auto e = NewEntry(*focal_.http);
  ASSERT_TRUE(e.contains("id"));
  std::string text;
  for (int i = 0; i < 200; ++i)
    text += "đây không phải video\n";
  UploadWhole(*focal_.http, IdOf(e), text, "phim.mp4");
  const auto rejected = WaitForStatus(*focal_.http, IdOf(e), {"ready", "rejected"});
  ASSERT_EQ(rejected["status"], "rejected") << rejected.dump();
  EXPECT_EQ(rejected["status_label"], "Bị từ chối");
  const auto reason = rejected.value("reject_reason", "");
  EXPECT_FALSE(reason.empty());
  EXPECT_TRUE(HasNonAscii(reason)) << "a reason in Vietnamese: " << reason;
  EXPECT_TRUE(rejected["video"].is_null());
  EXPECT_TRUE(IsAnswer(focal_.http->Get(EntryPath(IdOf(e), "/poster")), 404, "video_not_ready"));

  const auto again = CreateUpload(*focal_.http, IdOf(e), clip_.size());
  EXPECT_TRUE(IsAnswer(again, 201));
  EXPECT_EQ(GetEntry(*focal_.http, IdOf(e))["status"], "uploading");
}

TEST_F(VideoApi, AWithdrawnEntryTakesNoNewUploadOrChange) {
  const auto e = NewEntry(*focal_.http);
  ASSERT_TRUE(e.contains("id"));
  const auto r = focal_.http->Post(EntryPath(IdOf(e), "/withdraw"), "");
  ASSERT_TRUE(IsAnswer(r, 200));
  EXPECT_EQ(r.Json()["status"], "withdrawn");
  EXPECT_EQ(r.Json()["status_label"], "Đã rút");
  EXPECT_EQ(GetEntry(*focal_.http, IdOf(e))["status"], "withdrawn");
  EXPECT_TRUE(IsAnswer(CreateUpload(*focal_.http, IdOf(e), clip_.size()), 409, "entry_withdrawn"));
  EXPECT_TRUE(IsAnswer(Patch(*focal_.http, EntryPath(IdOf(e)), {{"title", NewTitle()}}), 409,
                       "entry_withdrawn"));
}

TEST_F(VideoApi, TheOrganisersPutAReadyVideoInThePublicGalleryWhereReloadsCountOnce) {
  const auto e = NewEntry(*focal_.http);
  ASSERT_TRUE(e.contains("id"));
  const auto id = IdOf(e);
  const auto title = e.value("title", "");
  auto btc = SignIn(*server_, "btc");
  EXPECT_TRUE(IsAnswer(btc.http->Post(EntryPath(id, "/approval"), ""), 409, "video_not_ready"));
  UploadWhole(*focal_.http, id, clip_);
  ASSERT_EQ(WaitForStatus(*focal_.http, id, {"ready", "rejected"}).value("status", ""), "ready");

  HttpClient anonymous(server_->base_url());
  const auto page = "/video/" + std::to_string(id);
  EXPECT_EQ(anonymous.Get(page).status, 404) << "not public before the organisers approve it";
  EXPECT_EQ(anonymous.Get(page + "/phat").status, 404);
  EXPECT_TRUE(IsAnswer(focal_.http->Post(EntryPath(id, "/approval"), ""), 403));
  const auto approved = btc.http->Post(EntryPath(id, "/approval"), "");
  ASSERT_TRUE(IsAnswer(approved, 200));
  EXPECT_EQ(approved.Json()["approved"], true);

  const auto gallery = anonymous.Get("/video");
  ASSERT_EQ(gallery.status, 200);
  EXPECT_NE(gallery.body.find(title), std::string::npos) << "the gallery lists it";
  EXPECT_NE(gallery.body.find(kUnitName), std::string::npos);
  const auto elsewhere = anonymous.Get(std::string("/video?don-vi=") + kOtherUnit);
  EXPECT_EQ(elsewhere.body.find(title), std::string::npos) << "filtered by another unit";

  // A storm of reloads by one viewer counts one view; another browser counts one more.
  for (int i = 0; i < 6; ++i)
    ASSERT_EQ(anonymous.Get(page).status, 200);
  HttpClient other(server_->base_url());
  ASSERT_EQ(other.Get(page, {"User-Agent: Trình duyệt khác"}).status, 200);
  std::string shown;
  EXPECT_TRUE(Eventually([&] {
    shown = anonymous.Get(page).body;
    return shown.find("2 lượt xem") != std::string::npos;
  })) << shown.substr(0, 2000);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(anonymous.Get(page).status, 200);
  EXPECT_NE(anonymous.Get(page).body.find("2 lượt xem"), std::string::npos);

  const auto player = anonymous.Get(page);
  EXPECT_NE(player.body.find("<video"), std::string::npos);
  EXPECT_NE(player.Header("content-security-policy").find("frame-ancestors 'none'"),
            std::string::npos);
  const auto part = anonymous.Get(page + "/phat", {"Range: bytes=0-9"});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.Header("content-type"), "video/mp4");
  EXPECT_EQ(part.body.size(), 10u);
  const auto poster = anonymous.Get(page + "/anh");
  EXPECT_EQ(poster.status, 200);
  EXPECT_EQ(poster.Header("content-type"), "image/jpeg");
  // The embed page is the one a unit's website may frame.
  const auto embed = anonymous.Get(page + "/nhung");
  ASSERT_EQ(embed.status, 200);
  EXPECT_NE(embed.Header("content-security-policy").find("frame-ancestors *"), std::string::npos);
  EXPECT_NE(embed.body.find("<video"), std::string::npos);

  // Out of the gallery again; a new upload would take it out too.
  EXPECT_TRUE(IsAnswer(btc.http->Request("DELETE", EntryPath(id, "/approval"), "", {}), 200));
  EXPECT_EQ(anonymous.Get(page).status, 404);
  EXPECT_EQ(anonymous.Get(page + "/nhung").status, 404);
}

TEST_F(VideoApi, TheUnitPageRefusesAFormWithBrokenTextAndKeepsWhatWasTyped) {
  // Bytes that are no UTF-8 in the title: refused naming the field, never stored or cleaned.
  const auto path = std::string("/don-vi/") + kUnit + "/video";
  const auto bad = focal_.http->Post(path, "title=%FF%FE&form=song&themes=other",
                                     "application/x-www-form-urlencoded");
  EXPECT_EQ(bad.status, 422) << bad.body.substr(0, 300);
  EXPECT_NE(bad.body.find("Tên video không được để trống"), std::string::npos);
  const auto good = focal_.http->Post(
      path, "title=Ph%C3%B3ng+s%E1%BB%B1+m%E1%BB%99t+c%E1%BB%ADa&form=reportage&themes=one_stop",
      "application/x-www-form-urlencoded");
  EXPECT_EQ(good.status, 303) << good.body.substr(0, 300);
  const auto list = focal_.http->Get("/api/v1/videos");
  ASSERT_TRUE(IsAnswer(list, 200));
  EXPECT_NE(list.body.find("Phóng sự một cửa"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// A restart in the middle of processing: the stop hands the job back (ffmpeg is stopped), and
// the next start processes the video from the beginning.

TEST(VideoRestart, AVideoBeingProcessedWhenTheServerStopsIsProcessedAfterTheRestart) {
  TempDir dir;
  // Long enough (30 s of 720p) that the transcode is still running when the server is stopped.
  const auto clip = MakeClip(dir.path() / "long.mp4", 30, "1280x720");
  ASSERT_FALSE(clip.empty());
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  auto focal = SignIn(server, kFocal);
  const auto e = NewEntry(*focal.http);
  ASSERT_TRUE(e.contains("id"));
  const auto id = IdOf(e);
  UploadWhole(*focal.http, id, clip);
  const auto during = WaitForStatus(*focal.http, id, {"processing", "ready", "rejected"});
  ASSERT_EQ(during.value("status", ""), "processing")
      << "the transcode ended before the server could be stopped: " << during.dump();

  EXPECT_EQ(server.Stop(SIGTERM), 0);
  server.Start();
  auto again = SignIn(server, kFocal);
  const auto after = WaitForStatus(*again.http, id, {"ready", "rejected"}, std::chrono::minutes(3));
  EXPECT_EQ(after.value("status", ""), "ready") << after.dump();
  EXPECT_NEAR(after["video"].value("duration_s", 0.0), 30.0, 0.5);
  EXPECT_EQ(after["video"].value("height", 0), 720);
  const auto web = again.http->Get(EntryPath(id, "/video"), {"Range: bytes=0-7"});
  EXPECT_EQ(web.status, 206);
  ExpectCleanStop(server);
}

// ---------------------------------------------------------------------------------------------
// The video deadline: a server of its own whose clock is moved past it.

class VideoDeadline : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(ClockControl());
    server_->SeedDemo();
    server_->Start();
  }
  static void TearDownTestSuite() {
    ExpectCleanStop(*server_);
    delete server_;
    server_ = nullptr;
  }
  static ServerProcess* server_;
};
ServerProcess* VideoDeadline::server_ = nullptr;

TEST_F(VideoDeadline, AfterTheVideoDeadlineNoEntryOrUploadIsStartedOrContinued) {
  auto before = SignIn(*server_, kFocal);
  const auto e = NewEntry(*before.http);
  ASSERT_TRUE(e.contains("id"));
  const std::string bytes(4000, 'v');  // never processed: the upload stays unfinished
  const auto created = CreateUpload(*before.http, IdOf(e), bytes.size());
  ASSERT_TRUE(IsAnswer(created, 201));
  const auto path = UploadPath(created);
  ASSERT_FALSE(path.empty());
  ASSERT_TRUE(IsAnswer(PatchUpload(*before.http, path, 0, bytes.substr(0, 1000)), 204));

  HttpClient anonymous(server_->base_url());
  const auto contest = anonymous.Get("/api/v1/contest").Json();
  // Without a video deadline of its own, the video part closes with the quiz.
  const auto closes =
      contest.contains("video_closes_at") ? contest["video_closes_at"] : contest["closes_at"];
  ASSERT_TRUE(closes.is_string()) << contest.dump();
  const auto deadline_ms = EpochMs(closes);
  // The date as the server may write it: "dd/mm/yyyy", or the day before when the deadline is
  // midnight written as 24:00.
  const auto date = VietnamTime(deadline_ms).substr(6);
  const auto date_as_24 = VietnamTime(deadline_ms, true).substr(6);

  // Expiry: an unfinished upload may be resumed for 24 hours after its last piece (the
  // default video.upload_expiry_h); one resumed in time lives on, one left alone is gone.
  const auto kept_entry = NewEntry(*before.http);
  const auto kept = UploadPath(CreateUpload(*before.http, IdOf(kept_entry), bytes.size()));
  ASSERT_FALSE(kept.empty());
  SetClock(*server_, 23 * 3600);
  auto day_later = SignIn(*server_, kFocal);
  ASSERT_TRUE(IsAnswer(PatchUpload(*day_later.http, kept, 0, bytes.substr(0, 2000)), 204));
  SetClock(*server_, 25 * 3600);
  EXPECT_TRUE(IsAnswer(HeadUpload(*day_later.http, path), 410));
  EXPECT_TRUE(
      IsAnswer(PatchUpload(*day_later.http, path, 1000, bytes.substr(1000)), 410, "upload_gone"));
  EXPECT_EQ(OffsetOf(*day_later.http, kept), 2000);

  SetClock(*server_, 31LL * 86400);  // the demo's video deadline is 30 days after it opened
  // Signed in at the moved time (a month on, the first session has expired).
  auto focal = SignIn(*server_, kFocal);
  auto deadline_passed = [&](const HttpResponse& r, const char* what) {
    EXPECT_TRUE(IsAnswer(r, 403, "video_deadline_passed")) << what;
    const auto message = ErrorOf(r).value("message", "");
    EXPECT_TRUE(message.find(date) != std::string::npos ||
                message.find(date_as_24) != std::string::npos)
        << what << ": expected " << date << " in " << message;
  };
  deadline_passed(CreateUpload(*focal.http, IdOf(e), bytes.size()), "a new upload");
  deadline_passed(PatchUpload(*focal.http, path, 1000, bytes.substr(1000)), "the rest of one");
  deadline_passed(PatchUpload(*focal.http, kept, 2000, bytes.substr(2000)), "the rest of another");
  deadline_passed(focal.http->Post("/api/v1/videos", EntryBody(NewTitle()).dump()), "a new entry");
  deadline_passed(Patch(*focal.http, EntryPath(IdOf(e)), {{"title", NewTitle()}}),
                  "a change to an entry");

  const auto after = GetEntry(*focal.http, IdOf(e));
  EXPECT_EQ(after["title"], e["title"]);
  // Both uploads have expired by now (the second 24 hours after its last piece).
  EXPECT_TRUE(IsAnswer(HeadUpload(*focal.http, kept), 410));
}

}  // namespace
}  // namespace hoithi::testing
