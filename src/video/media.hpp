// The ffprobe/ffmpeg recipe for an uploaded video: what it is (Probe), whether the contest takes
// it (Validate), its poster (MakePoster) and its web-playable copy (Transcode: H.264/AAC MP4,
// faststart, at most 720p). Synchronous, for a job's thread; programs run through
// core::RunSubprocess at low priority, with time limits, cancellable.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace hoithi::video::media {

struct Settings {
  std::string ffprobe = "ffprobe";
  std::string ffmpeg = "ffmpeg";
  /// Validate: the longest video taken, and the largest frame side (a decompression bomb of a
  /// 30 000 × 30 000 frame is refused before ffmpeg decodes it).
  std::chrono::seconds max_duration{15 * 60};
  int max_frame_side = 8192;
  /// The playable copy and the poster: the short side at most this (720p for a landscape
  /// video, 720 wide for a portrait one), never enlarged.
  int max_short_side = 720;
  /// libx264: quality (CRF), speed preset, a bitrate cap for viewers on weak connections.
  int crf = 23;
  std::string preset = "veryfast";
  int max_video_kbps = 2500;
  int max_fps = 30;
  int audio_kbps = 128;
  /// CPU: threads of the decoder and of the encoder each, and the nice value of the programs
  /// (the web server keeps the CPU it needs on a small box).
  int threads = 2;
  int nice = 10;
  std::chrono::seconds probe_timeout{60};
  std::chrono::seconds poster_timeout{120};
  std::chrono::seconds transcode_timeout{3600};
};

/// What ffprobe says of a file.
struct ProbeInfo {
  std::string container;      // ffprobe's format_name: "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"
  double duration_s = 0;      // 0 when unknown
  std::int64_t bit_rate = 0;  // bits per second, 0 when unknown
  bool has_video = false;
  int video_index = -1;  // the stream's index in the file (-1: none)
  int audio_index = -1;
  std::string video_codec;    // "h264", "vp9", ...
  int width = 0, height = 0;  // as coded, before rotation
  int rotation = 0;           // degrees a player turns the picture (phones: 90, -90, 180)
  double fps = 0;
  std::optional<std::string> audio_codec;  // nullopt: no sound
};

/// Reads ffprobe's `-print_format json -show_format -show_streams` output. A cover picture
/// (attached_pic) is not a video stream. kValidation ("video_unreadable") when it is not that.
core::Result<ProbeInfo> ParseProbeJson(std::string_view json);

/// Runs ffprobe on `path`. Only the demuxers of video containers are allowed (mp4/mov,
/// mkv/webm, avi, mpeg-ts/ps, flv, asf) and only local files, so that an upload posing as a
/// playlist cannot make ffmpeg read other files. Errors: kValidation ("video_unreadable",
/// "Tệp không phải là video hoặc bị hỏng"); ffprobe missing or timed out: its core error or
/// kUnavailable ("probe_timed_out"); cancelled: kUnavailable ("media_cancelled").
core::Result<ProbeInfo> Probe(const std::filesystem::path& path, const Settings& settings,
                              std::stop_token cancel = {});

/// Whether the contest takes the video: a video stream, a known duration of at most
/// settings.max_duration (rounded to the second), sane frame sides. kValidation, field "video",
/// codes "video_no_video_stream", "video_duration_unknown", "video_too_long",
/// "video_frame_too_large".
core::Status Validate(const ProbeInfo& info, const Settings& settings);

/// "16 phút 05 giây", "1 giờ 02 phút 03 giây", "45 giây", "15 phút" (whole seconds, rounded).
std::string FormatDuration(double seconds);

/// Writes a JPEG of the frame at about 10% of the video to `output` (atomically: a temporary
/// file beside it, then renamed), scaled like the playable copy.
core::Status MakePoster(const std::filesystem::path& input, const ProbeInfo& info,
                        const std::filesystem::path& output, const Settings& settings,
                        std::stop_token cancel = {});

/// Called with the share done, 0..1, as ffmpeg reports it (a few times a second).
using ProgressFn = std::function<void(double fraction)>;

/// Makes the web-playable copy at `output` (atomically): H.264 (libx264, yuv420p, even frame
/// sides), AAC stereo when the source has sound (none otherwise), MP4 with the index first
/// (faststart), metadata stripped (phones record the place). Errors: kValidation
/// ("transcode_failed": ffmpeg could not read it through), kUnavailable ("transcode_timed_out",
/// "media_cancelled"), kInsufficientStorage when the disk is full.
core::Status Transcode(const std::filesystem::path& input, const ProbeInfo& info,
                       const std::filesystem::path& output, const Settings& settings,
                       const ProgressFn& on_progress = {}, std::stop_token cancel = {});

}  // namespace hoithi::video::media
