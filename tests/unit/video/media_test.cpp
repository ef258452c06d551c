// video::media with the real ffprobe and ffmpeg, on clips generated here at test time (lavfi
// testsrc and sine; no binary fixture in the repository): probing mp4, webm and mkv; refusing
// text, a truncated mp4, a playlist posing as a video, sound alone, a video too long; the
// poster; the web-playable copy (H.264, AAC, at most 720p, moov before mdat); cancellation.
#include "video/media.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/subprocess.hpp"
#include "support/temp_dir.hpp"

namespace hoithi::video::media {
namespace {

namespace fs = std::filesystem;
using core::ErrorKind;
using testing::ReadFile;

/// Runs ffmpeg to make a test clip; fails the test when it cannot.
void Generate(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y"};
  argv.insert(argv.end(), args.begin(), args.end());
  core::SubprocessOptions o;
  o.timeout = std::chrono::minutes(5);
  auto r = core::RunSubprocess(argv, o);
  ASSERT_TRUE(r.ok()) << r.error().message << " (scripts/install-deps installs ffmpeg)";
  ASSERT_TRUE(r->succeeded()) << r->Describe() << ": " << r->stderr_tail;
}

/// The types of an MP4's top-level boxes, in file order.
std::vector<std::string> TopLevelBoxes(const fs::path& path) {
  std::vector<std::string> types;
  std::ifstream in(path, std::ios::binary);
  const auto file_size = fs::file_size(path);
  std::uint64_t at = 0;
  while (at + 8 <= file_size) {
    unsigned char header[16];
    in.seekg(static_cast<std::streamoff>(at));
    in.read(reinterpret_cast<char*>(header), 8);
    std::uint64_t size =
        (std::uint64_t(header[0]) << 24) | (header[1] << 16) | (header[2] << 8) | header[3];
    types.emplace_back(reinterpret_cast<char*>(header) + 4, 4);
    if (size == 1) {  // a 64-bit size follows the type
      in.read(reinterpret_cast<char*>(header) + 8, 8);
      size = 0;
      for (int i = 8; i < 16; ++i)
        size = (size << 8) | header[i];
    } else if (size == 0) {  // to the end of the file
      size = file_size - at;
    }
    if (size < 8) break;
    at += size;
  }
  return types;
}

std::ptrdiff_t IndexOf(const std::vector<std::string>& v, const std::string& s) {
  const auto it = std::find(v.begin(), v.end(), s);
  return it == v.end() ? -1 : it - v.begin();
}

/// The clips, each made the first time a test asks for it (CTest runs each test in a process
/// of its own: a test makes only what it uses), in a directory shared by the suite.
class Media : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static fs::path Clip(const std::string& name) {
    if (!dir_) dir_ = new testing::TempDir();
    const auto path = dir_->path() / name;
    if (!fs::exists(path)) Make(name, path);
    return path;
  }

  static void Make(const std::string& name, const fs::path& path) {
    const auto out = path.string();
    if (name == "clip1080.mp4") {
      // libx264 + AAC in mp4, the moov at the end (ffmpeg's default): what a phone sends.
      Generate({"-f", "lavfi", "-i", "testsrc=size=1920x1080:rate=30:duration=3", "-f", "lavfi",
                "-i", "sine=frequency=440:duration=3", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", out});
    } else if (name == "clip.webm") {
      Generate({"-f",        "lavfi",     "-i",        "testsrc=size=320x240:rate=25:duration=3",
                "-f",        "lavfi",     "-i",        "sine=frequency=330:duration=3",
                "-c:v",      "libvpx",    "-deadline", "realtime",
                "-cpu-used", "8",         "-b:v",      "300k",
                "-c:a",      "libvorbis", "-shortest", out});
    } else if (name == "silent.mkv") {  // no sound, in Matroska
      Generate({"-f", "lavfi", "-i", "testsrc=size=640x360:rate=25:duration=2", "-c:v", "libx264",
                "-preset", "ultrafast", out});
    } else if (name == "portrait.mp4") {
      // A phone held upright: coded 640x360, shown turned by 90 degrees.
      Generate(
          {"-i", Clip("silent.mkv").string(), "-c", "copy", "-metadata:s:v:0", "rotate=90", out});
    } else if (name == "long.mp4") {
      // Long enough to be refused: 16 min 05 s, tiny frames at 1 fps (quick to make).
      Generate({"-f", "lavfi", "-i", "color=c=blue:size=32x32:rate=1:duration=965", "-c:v",
                "libx264", "-preset", "ultrafast", out});
    } else if (name == "sound.m4a") {
      Generate({"-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", out});
    } else if (name == "slow.mkv") {
      // 20 s that a veryslow encode takes a while over: for cancellation and the time limit.
      Generate({"-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=20", "-c:v",
                "libx264", "-preset", "ultrafast", out});
    } else if (name == "text.mp4") {
      testing::WriteFile(path, "Đây là một tệp văn bản, không phải video.\n");
    } else if (name == "truncated.mp4") {
      const auto whole = ReadFile(Clip("clip1080.mp4"));
      testing::WriteFile(path, whole.substr(0, whole.size() / 2));
    } else if (name == "playlist.mp4") {
      // An HLS playlist posing as a video: a demuxer that follows it would read local files.
      testing::WriteFile(path,
                         "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile:///etc/passwd\n"
                         "#EXT-X-ENDLIST\n");
    } else {
      FAIL() << "no recipe for " << name;
    }
  }

  void SetUp() override { out_ = std::make_unique<testing::TempDir>(); }
  fs::path Out(const char* name) const { return out_->path() / name; }
  std::vector<std::string> TempFilesInOut() const {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(out_->path())) {
      if (e.path().filename().string().starts_with(".tmp-")) found.push_back(e.path().string());
    }
    return found;
  }

  static inline testing::TempDir* dir_ = nullptr;
  std::unique_ptr<testing::TempDir> out_;
  Settings settings_;
};

TEST_F(Media, ProbesAnMp4) {
  auto info = Probe(Clip("clip1080.mp4"), settings_);
  ASSERT_TRUE(info.ok()) << info.error().detail;
  EXPECT_NE(info->container.find("mp4"), std::string::npos) << info->container;
  EXPECT_NEAR(info->duration_s, 3.0, 0.1);
  EXPECT_TRUE(info->has_video);
  EXPECT_EQ(info->video_codec, "h264");
  EXPECT_EQ(info->width, 1920);
  EXPECT_EQ(info->height, 1080);
  EXPECT_NEAR(info->fps, 30.0, 0.01);
  EXPECT_EQ(info->audio_codec, "aac");
  EXPECT_GT(info->bit_rate, 0);
  EXPECT_TRUE(Validate(*info, settings_).ok());
}

TEST_F(Media, ProbesWebmAndMkv) {
  auto webm = Probe(Clip("clip.webm"), settings_);
  ASSERT_TRUE(webm.ok()) << webm.error().detail;
  EXPECT_EQ(webm->container, "matroska,webm");
  EXPECT_EQ(webm->video_codec, "vp8");
  EXPECT_EQ(webm->width, 320);
  EXPECT_EQ(webm->height, 240);
  EXPECT_EQ(webm->audio_codec, "vorbis");
  EXPECT_NEAR(webm->duration_s, 3.0, 0.1);

  auto mkv = Probe(Clip("silent.mkv"), settings_);
  ASSERT_TRUE(mkv.ok()) << mkv.error().detail;
  EXPECT_EQ(mkv->video_codec, "h264");
  EXPECT_FALSE(mkv->audio_codec) << "no sound";
  EXPECT_TRUE(Validate(*mkv, settings_).ok());

  auto portrait = Probe(Clip("portrait.mp4"), settings_);
  ASSERT_TRUE(portrait.ok());
  EXPECT_EQ(std::abs(portrait->rotation), 90);
}

TEST_F(Media, ATextFileNamedMp4IsNotAVideo) {
  const auto r = Probe(Clip("text.mp4"), settings_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kValidation);
  EXPECT_EQ(r.error().code, "video_unreadable");
  EXPECT_EQ(r.error().message, "Tệp không phải là video hoặc bị hỏng.");
  EXPECT_EQ(r.error().field, "video");
  EXPECT_NE(r.error().detail.find("ffprobe"), std::string::npos) << "the log says why";
}

TEST_F(Media, AnMp4CutInHalfIsRefused) {
  const auto r = Probe(Clip("truncated.mp4"), settings_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "video_unreadable");
  EXPECT_NE(r.error().detail.find("moov atom not found"), std::string::npos) << r.error().detail;
}

TEST_F(Media, APlaylistPosingAsAVideoIsNotFollowed) {
  const auto r = Probe(Clip("playlist.mp4"), settings_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "video_unreadable");
  EXPECT_NE(r.error().detail.find("whitelist"), std::string::npos) << r.error().detail;
}

TEST_F(Media, SoundAloneIsNotAVideo) {
  auto info = Probe(Clip("sound.m4a"), settings_);
  ASSERT_TRUE(info.ok()) << info.error().detail;
  EXPECT_FALSE(info->has_video);
  const auto v = Validate(*info, settings_);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, "video_no_video_stream");
}

TEST_F(Media, AVideoOverFifteenMinutesIsRefusedWithItsLength) {
  auto info = Probe(Clip("long.mp4"), settings_);
  ASSERT_TRUE(info.ok()) << info.error().detail;
  const auto v = Validate(*info, settings_);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind, ErrorKind::kValidation);
  EXPECT_EQ(v.error().code, "video_too_long");
  EXPECT_EQ(v.error().message, "Video dài 16 phút 05 giây, vượt quá giới hạn 15 phút.");
  Settings longer;
  longer.max_duration = std::chrono::minutes(20);
  EXPECT_TRUE(Validate(*info, longer).ok());
}

TEST(MediaValidate, RulesOnTheProbedFacts) {
  Settings s;
  ProbeInfo info;
  info.has_video = true;
  info.width = 1920;
  info.height = 1080;
  info.duration_s = 900.4;  // shown as 15 phút: taken
  EXPECT_TRUE(Validate(info, s).ok());
  info.duration_s = 900.6;
  EXPECT_EQ(Validate(info, s).error().message,
            "Video dài 15 phút 01 giây, vượt quá giới hạn 15 phút.");
  info.duration_s = 0;
  EXPECT_EQ(Validate(info, s).error().code, "video_duration_unknown");
  info.duration_s = 10;
  info.width = 30000;
  EXPECT_EQ(Validate(info, s).error().code, "video_frame_too_large");
  info.width = 0;
  EXPECT_EQ(Validate(info, s).error().code, "video_unreadable");
}

TEST(MediaValidate, DurationsInVietnamese) {
  EXPECT_EQ(FormatDuration(965), "16 phút 05 giây");
  EXPECT_EQ(FormatDuration(900), "15 phút");
  EXPECT_EQ(FormatDuration(45.2), "45 giây");
  EXPECT_EQ(FormatDuration(3723), "1 giờ 02 phút 03 giây");
  EXPECT_EQ(FormatDuration(3600), "1 giờ");
  EXPECT_EQ(FormatDuration(5400), "1 giờ 30 phút");
  EXPECT_EQ(FormatDuration(3605), "1 giờ 00 phút 05 giây");
  EXPECT_EQ(FormatDuration(0), "0 giây");
}

TEST(MediaParse, ReadsFfprobeJson) {
  const auto info = ParseProbeJson(R"({
    "streams": [
      {"index": 0, "codec_type": "video", "codec_name": "mjpeg", "width": 600, "height": 600,
       "disposition": {"attached_pic": 1}},
      {"index": 1, "codec_type": "audio", "codec_name": "aac"},
      {"index": 2, "codec_type": "video", "codec_name": "hevc", "width": 3840, "height": 2160,
       "avg_frame_rate": "30000/1001", "duration": "12.5",
       "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]}
    ],
    "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "N/A", "bit_rate": "9000000"}
  })");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->video_index, 2) << "a cover picture is not the video";
  EXPECT_EQ(info->video_codec, "hevc");
  EXPECT_EQ(info->rotation, -90);
  EXPECT_NEAR(info->fps, 29.97, 0.01);
  EXPECT_DOUBLE_EQ(info->duration_s, 12.5) << "the stream's, when the format has none";
  EXPECT_EQ(info->audio_index, 1);
  EXPECT_EQ(info->bit_rate, 9000000);

  for (const char* bad : {"", "not json", "[]", "{}", R"({"format": 3})"}) {
    EXPECT_EQ(ParseProbeJson(bad).error().code, "video_unreadable") << bad;
  }
  const auto odd = ParseProbeJson(R"({"format": {"duration": -5, "format_name": 7},
                                      "streams": [{"codec_type": "video", "width": "wide"}]})");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->duration_s, 0);
  EXPECT_EQ(odd->width, 0);
  EXPECT_FALSE(Validate(*odd, Settings()).ok());
}

TEST_F(Media, MakesAJpegPosterAtMost720p) {
  auto info = Probe(Clip("clip1080.mp4"), settings_);
  ASSERT_TRUE(info.ok());
  const auto poster = Out("poster.jpg");
  const auto r = MakePoster(Clip("clip1080.mp4"), *info, poster, settings_);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  const auto bytes = ReadFile(poster);
  ASSERT_GT(bytes.size(), 3u);
  EXPECT_EQ(bytes.substr(0, 3), "\xFF\xD8\xFF") << "a JPEG";
  core::SubprocessOptions o;
  o.capture_stdout = true;
  auto dims =
      core::RunSubprocess({"ffprobe", "-v", "error", "-show_entries",
                           "stream=codec_name,width,height", "-of", "csv=p=0", poster.string()},
                          o);
  ASSERT_TRUE(dims.ok());
  EXPECT_EQ(dims->stdout_text, "mjpeg,1280,720\n");
  EXPECT_TRUE(TempFilesInOut().empty());
}

TEST_F(Media, Transcodes1080pToAWebPlayable720pMp4) {
  auto info = Probe(Clip("clip1080.mp4"), settings_);
  ASSERT_TRUE(info.ok());
  const auto out = Out("playable.mp4");
  std::vector<double> progress;
  const auto start = std::chrono::steady_clock::now();
  const auto r = Transcode(Clip("clip1080.mp4"), *info, out, settings_,
                           [&](double f) { progress.push_back(f); });
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(r.ok()) << r.error().code << " " << r.error().detail;
  std::cout << "[ transcode ] 3 s of 1920x1080 to 720p in " << took.count() << " ms\n";
  RecordProperty("transcode_ms", static_cast<int>(took.count()));

  auto result = Probe(out, settings_);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(result->video_codec, "h264");
  EXPECT_EQ(result->width, 1280);
  EXPECT_EQ(result->height, 720);
  EXPECT_EQ(result->audio_codec, "aac");
  EXPECT_NEAR(result->duration_s, 3.0, 0.15);

  const auto boxes = TopLevelBoxes(out);
  ASSERT_NE(IndexOf(boxes, "moov"), -1) << ::testing::PrintToString(boxes);
  ASSERT_NE(IndexOf(boxes, "mdat"), -1);
  EXPECT_LT(IndexOf(boxes, "moov"), IndexOf(boxes, "mdat"))
      << "faststart: a browser can play before the whole file arrives";
  // ...which the source, as ffmpeg writes by default, does not have.
  const auto source_boxes = TopLevelBoxes(Clip("clip1080.mp4"));
  EXPECT_GT(IndexOf(source_boxes, "moov"), IndexOf(source_boxes, "mdat"));

  ASSERT_FALSE(progress.empty());
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_DOUBLE_EQ(progress.back(), 1.0);
  EXPECT_TRUE(TempFilesInOut().empty());
}

TEST_F(Media, AVideoWithoutSoundStaysSilentAndSmallOnesAreNotEnlarged) {
  auto info = Probe(Clip("silent.mkv"), settings_);
  ASSERT_TRUE(info.ok());
  const auto out = Out("silent.mp4");
  ASSERT_TRUE(Transcode(Clip("silent.mkv"), *info, out, settings_).ok());
  auto result = Probe(out, settings_);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->audio_codec);
  EXPECT_EQ(result->width, 640);
  EXPECT_EQ(result->height, 360);
}

TEST_F(Media, APortraitVideoComesOutUpright) {
  auto info = Probe(Clip("portrait.mp4"), settings_);
  ASSERT_TRUE(info.ok());
  const auto out = Out("portrait.mp4");
  ASSERT_TRUE(Transcode(Clip("portrait.mp4"), *info, out, settings_).ok());
  auto result = Probe(out, settings_);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->width, 360);
  EXPECT_EQ(result->height, 640);
  EXPECT_EQ(result->rotation, 0);
}

TEST_F(Media, CancellationStopsFfmpeg) {
  auto info = Probe(Clip("slow.mkv"), settings_);
  ASSERT_TRUE(info.ok());
  Settings slow = settings_;
  slow.preset = "veryslow";
  std::stop_source stop;
  const auto out = Out("cancelled.mp4");
  const auto start = std::chrono::steady_clock::now();
  // The first progress report (ffmpeg is running) withdraws the video.
  const auto r = Transcode(
      Clip("slow.mkv"), *info, out, slow, [&](double) { stop.request_stop(); }, stop.get_token());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "media_cancelled");
  EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::minutes(1));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(TempFilesInOut().empty()) << "the partial output is removed";
}

TEST_F(Media, ATranscodeOverItsTimeLimitIsStopped) {
  auto info = Probe(Clip("slow.mkv"), settings_);
  ASSERT_TRUE(info.ok());
  Settings slow = settings_;
  slow.preset = "veryslow";
  slow.transcode_timeout = std::chrono::seconds(1);
  const auto out = Out("late.mp4");
  const auto r = Transcode(Clip("slow.mkv"), *info, out, slow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "transcode_timed_out");
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(TempFilesInOut().empty());
}

TEST_F(Media, AMissingFfmpegIsAClearError) {
  auto info = Probe(Clip("silent.mkv"), settings_);
  ASSERT_TRUE(info.ok());
  Settings missing = settings_;
  missing.ffmpeg = "/nonexistent/ffmpeg";
  missing.ffprobe = "/nonexistent/ffprobe";
  EXPECT_EQ(Transcode(Clip("silent.mkv"), *info, Out("x.mp4"), missing).error().code,
            "program_not_found");
  EXPECT_EQ(Probe(Clip("silent.mkv"), missing).error().code, "program_not_found");
}

}  // namespace
}  // namespace hoithi::video::media
