// The ffprobe/ffmpeg command lines and the reading of their answers. Every run allows only local
// files and the demuxers of video containers (kDemuxers), and writes to a temporary file that is
// renamed into place only when the program succeeded.
#include "video/media.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <system_error>
#include <vector>

#include "core/subprocess.hpp"
#include "video/storage.hpp"

namespace hoithi::video::media {

namespace fs = std::filesystem;
using core::ErrorKind;
using core::MakeError;
using nlohmann::json;

namespace {

/// The demuxers ffmpeg may use on an upload: video containers only. Not hls/concat/image
/// formats, whose files name other files to read.
constexpr std::string_view kDemuxers = "mov,matroska,webm,avi,mpegts,mpeg,flv,asf";

core::Error Unreadable(std::string detail = {}) {
  auto e = MakeError(ErrorKind::kValidation, "video_unreadable",
                     "Tệp không phải là video hoặc bị hỏng.", "video");
  e.detail = std::move(detail);
  return e;
}

core::Error NotVideo(std::string code, std::string message) {
  return MakeError(ErrorKind::kValidation, std::move(code), std::move(message), "video");
}

/// A number that ffprobe writes as a JSON number or as a string ("3.000000", "N/A").
double Number(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) return 0;
  if (it->is_number()) return it->get<double>();
  if (!it->is_string()) return 0;
  const auto& s = it->get_ref<const std::string&>();
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && std::isfinite(v) ? v : 0;
}

std::string String(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// "30000/1001" -> 29.97; 0 when not a rate.
double Rate(const std::string& s) {
  const auto slash = s.find('/');
  if (slash == std::string::npos) return 0;
  double num = 0, den = 0;
  std::from_chars(s.data(), s.data() + slash, num);
  std::from_chars(s.data() + slash + 1, s.data() + s.size(), den);
  return den > 0 && std::isfinite(num / den) ? num / den : 0;
}

int Rotation(const json& stream) {
  double degrees = 0;
  if (const auto list = stream.find("side_data_list"); list != stream.end() && list->is_array()) {
    for (const auto& side : *list) {
      if (side.is_object() && side.contains("rotation")) degrees = Number(side, "rotation");
    }
  }
  if (degrees == 0) {
    if (const auto tags = stream.find("tags"); tags != stream.end() && tags->is_object()) {
      degrees = Number(*tags, "rotate");
    }
  }
  if (!std::isfinite(degrees) || std::abs(degrees) > 3600) return 0;
  int r = static_cast<int>(std::lround(degrees)) % 360;
  if (r > 180) r -= 360;
  if (r <= -180) r += 360;
  return r;
}

/// The short side of a frame at most `max` (never enlarged), the other side in proportion,
/// both even (H.264 in yuv420p needs it). ffmpeg has already applied the rotation here.
std::string ScaleFilter(int max) {
  return fmt::format(
      "scale=w='if(gt(iw,ih),-2,trunc(min({0},iw)/2)*2)':h='if(gt(iw,ih),trunc(min({0},ih)/"
      "2)*2,-2)'",
      max);
}

/// What every ffmpeg run starts with, up to and including the input.
std::vector<std::string> InputArgs(const Settings& s, const fs::path& input,
                                   std::optional<double> seek_s = std::nullopt) {
  std::vector<std::string> args = {s.ffmpeg,
                                   "-hide_banner",
                                   "-nostdin",
                                   "-nostats",
                                   "-v",
                                   "error",
                                   "-y",
                                   "-protocol_whitelist",
                                   "file",
                                   "-format_whitelist",
                                   std::string(kDemuxers),
                                   "-threads",
                                   std::to_string(std::max(1, s.threads))};
  if (seek_s) {
    args.push_back("-ss");
    args.push_back(fmt::format("{:.3f}", *seek_s));
  }
  args.push_back("-i");
  // "file:" so that no name is taken for another protocol or for an option.
  args.push_back("file:" + fs::absolute(input).string());
  return args;
}

core::SubprocessOptions RunOptions(const Settings& s, std::chrono::seconds timeout,
                                   std::stop_token cancel) {
  core::SubprocessOptions o;
  o.timeout = timeout;
  o.nice = s.nice;
  o.cancel = std::move(cancel);
  return o;
}

/// The Error for a program that did not succeed; `failed` is the one for a non-zero exit.
core::Error RunError(const core::SubprocessResult& r, std::string_view program,
                     std::string_view timed_out_code, core::Error failed) {
  core::Error e;
  switch (r.end) {
    case core::SubprocessResult::End::kTimedOut:
      e = MakeError(ErrorKind::kUnavailable, std::string(timed_out_code),
                    "Xử lý video quá thời gian cho phép; vui lòng thử lại sau.");
      break;
    case core::SubprocessResult::End::kCancelled:
      e = MakeError(ErrorKind::kUnavailable, "media_cancelled", "Việc xử lý video đã bị hủy.");
      break;
    default:
      if (r.stderr_tail.find("No space left on device") != std::string::npos) {
        e = WriteError(ENOSPC, program);
      } else {
        e = std::move(failed);
      }
  }
  e.detail = fmt::format("{} {}: {}", program, r.Describe(), r.stderr_tail);
  return e;
}

void RemoveQuietly(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

bool NonEmptyFile(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return !ec && size > 0;
}

}  // namespace

core::Result<ProbeInfo> ParseProbeJson(std::string_view text) {
  const auto root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!root.is_object()) return Unreadable("ffprobe output is not a JSON object");
  const auto format = root.find("format");
  if (format == root.end() || !format->is_object()) return Unreadable("ffprobe: no format");
  ProbeInfo info;
  info.container = String(*format, "format_name");
  info.duration_s = Number(*format, "duration");
  info.bit_rate = static_cast<std::int64_t>(Number(*format, "bit_rate"));
  if (const auto streams = root.find("streams"); streams != root.end() && streams->is_array()) {
    for (const auto& st : *streams) {
      if (!st.is_object()) continue;
      const auto type = String(st, "codec_type");
      bool cover = false;
      if (const auto d = st.find("disposition"); d != st.end() && d->is_object()) {
        cover = Number(*d, "attached_pic") != 0;
      }
      if (type == "video" && !cover && !info.has_video) {
        info.has_video = true;
        info.video_index = static_cast<int>(Number(st, "index"));
        info.video_codec = String(st, "codec_name");
        info.width = static_cast<int>(std::clamp(Number(st, "width"), 0.0, 1e6));
        info.height = static_cast<int>(std::clamp(Number(st, "height"), 0.0, 1e6));
        info.rotation = Rotation(st);
        info.fps = Rate(String(st, "avg_frame_rate"));
        if (info.fps == 0) info.fps = Rate(String(st, "r_frame_rate"));
        if (info.duration_s <= 0) info.duration_s = Number(st, "duration");
      } else if (type == "audio" && !info.audio_codec) {
        info.audio_codec = String(st, "codec_name");
        info.audio_index = static_cast<int>(Number(st, "index"));
      }
    }
  }
  if (!std::isfinite(info.duration_s) || info.duration_s < 0) info.duration_s = 0;
  return info;
}

core::Result<ProbeInfo> Probe(const fs::path& path, const Settings& settings,
                              std::stop_token cancel) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    auto e = MakeError(ErrorKind::kInternal, "video_file_missing",
                       "Không tìm thấy tệp video trên máy chủ.");
    e.detail = path.string();
    return e;
  }
  auto options = RunOptions(settings, settings.probe_timeout, std::move(cancel));
  options.capture_stdout = true;
  auto run =
      core::RunSubprocess({settings.ffprobe, "-v", "error", "-protocol_whitelist", "file",
                           "-format_whitelist", std::string(kDemuxers), "-print_format", "json",
                           "-show_format", "-show_streams", "file:" + fs::absolute(path).string()},
                          options);
  if (!run) return std::move(run).error();
  if (!run->succeeded() || run->stdout_truncated) {
    return RunError(*run, "ffprobe", "probe_timed_out", Unreadable());
  }
  return ParseProbeJson(run->stdout_text);
}

std::string FormatDuration(double seconds) {
  const long long total = std::isfinite(seconds) && seconds > 0 ? std::llround(seconds) : 0;
  const long long h = total / 3600, m = total / 60 % 60, s = total % 60;
  std::string out;
  if (h > 0) out = fmt::format("{} giờ", h);
  if (m > 0 || (h > 0 && s > 0)) {
    out += out.empty() ? fmt::format("{} phút", m) : fmt::format(" {:02} phút", m);
  }
  if (s > 0 || total == 0) {
    out += out.empty() ? fmt::format("{} giây", s) : fmt::format(" {:02} giây", s);
  }
  return out;
}

core::Status Validate(const ProbeInfo& info, const Settings& settings) {
  if (!info.has_video) {
    return NotVideo("video_no_video_stream",
                    "Tệp không có hình ảnh (chỉ có âm thanh hoặc trống), không phải là video.");
  }
  if (info.width <= 0 || info.height <= 0) return Unreadable("no frame size");
  if (info.width > settings.max_frame_side || info.height > settings.max_frame_side) {
    return NotVideo("video_frame_too_large",
                    fmt::format("Khung hình video quá lớn ({} × {} điểm ảnh); mỗi chiều tối đa "
                                "{} điểm ảnh.",
                                info.width, info.height, settings.max_frame_side));
  }
  if (info.duration_s <= 0) {
    return NotVideo("video_duration_unknown",
                    "Không xác định được độ dài video; tệp có thể bị hỏng.");
  }
  // Whole seconds, as shown: a video of 15:00.4 is "15 phút" and is taken.
  if (std::llround(info.duration_s) > settings.max_duration.count()) {
    return NotVideo(
        "video_too_long",
        fmt::format("Video dài {}, vượt quá giới hạn {}.", FormatDuration(info.duration_s),
                    FormatDuration(static_cast<double>(settings.max_duration.count()))));
  }
  return core::Ok();
}

core::Status MakePoster(const fs::path& input, const ProbeInfo& info, const fs::path& output,
                        const Settings& settings, std::stop_token cancel) {
  const auto temp = TempPathBeside(output);
  // About a tenth in: past a fade from black, still the opening. Where that gives no frame (a
  // duration that lies), the first frame.
  for (const double at : {info.duration_s * 0.1, 0.0}) {
    auto args = InputArgs(settings, input, at);
    const std::vector<std::string> poster = {"-map",
                                             fmt::format("0:{}", std::max(0, info.video_index)),
                                             "-frames:v",
                                             "1",
                                             "-vf",
                                             ScaleFilter(settings.max_short_side),
                                             "-q:v",
                                             "3",
                                             "-f",
                                             "image2",
                                             "-update",
                                             "1",
                                             "file:" + temp.string()};
    args.insert(args.end(), poster.begin(), poster.end());
    auto run = core::RunSubprocess(args, RunOptions(settings, settings.poster_timeout, cancel));
    if (!run) return std::move(run).error();
    if (!run->succeeded()) {
      RemoveQuietly(temp);
      return RunError(*run, "ffmpeg (poster)", "poster_timed_out", Unreadable());
    }
    if (NonEmptyFile(temp)) return PublishFile(temp, output);
    if (at == 0.0) break;
  }
  RemoveQuietly(temp);
  return Unreadable("ffmpeg wrote no poster frame");
}

core::Status Transcode(const fs::path& input, const ProbeInfo& info, const fs::path& output,
                       const Settings& settings, const ProgressFn& on_progress,
                       std::stop_token cancel) {
  const auto temp = TempPathBeside(output);
  const auto threads = std::to_string(std::max(1, settings.threads));
  auto args = InputArgs(settings, input);
  const std::vector<std::string> video = {
      "-map",       fmt::format("0:{}", std::max(0, info.video_index)),
      "-vf",        ScaleFilter(settings.max_short_side) + ",format=yuv420p",
      "-fpsmax",    std::to_string(settings.max_fps),
      "-c:v",       "libx264",
      "-preset",    settings.preset,
      "-crf",       std::to_string(settings.crf),
      "-maxrate",   fmt::format("{}k", settings.max_video_kbps),
      "-bufsize",   fmt::format("{}k", 2 * settings.max_video_kbps),
      "-profile:v", "high",
      "-threads",   threads};
  args.insert(args.end(), video.begin(), video.end());
  if (info.audio_codec) {
    const std::vector<std::string> audio = {
        "-map", fmt::format("0:{}", std::max(0, info.audio_index)),
        "-c:a", "aac",
        "-b:a", fmt::format("{}k", settings.audio_kbps),
        "-ac",  "2"};
    args.insert(args.end(), audio.begin(), audio.end());
  } else {
    args.push_back("-an");
  }
  const std::vector<std::string> output_args = {
      "-sn",       "-dn",       "-map_metadata",        "-1", "-map_chapters",
      "-1",        "-movflags", "+faststart",           "-f", "mp4",
      "-progress", "pipe:1",    "file:" + temp.string()};
  args.insert(args.end(), output_args.begin(), output_args.end());

  auto options = RunOptions(settings, settings.transcode_timeout, std::move(cancel));
  // ffmpeg -progress writes blocks of key=value lines, each ending with progress=continue (or
  // end). out_time_us (and out_time_ms, despite its name also microseconds) is how far the
  // output has got.
  std::int64_t out_us = 0;
  const double total_us = info.duration_s * 1e6;
  options.on_stdout_line = [&](std::string_view line) {
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return;
    const auto key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "out_time_us" || key == "out_time_ms") {
      std::int64_t v = 0;
      if (std::from_chars(value.data(), value.data() + value.size(), v).ec == std::errc() &&
          v >= 0) {
        out_us = v;
      }
    } else if (key == "progress" && on_progress) {
      if (value == "end") {
        on_progress(1.0);
      } else if (total_us > 0) {
        on_progress(std::clamp(static_cast<double>(out_us) / total_us, 0.0, 1.0));
      }
    }
  };
  auto run = core::RunSubprocess(args, options);
  if (!run) {
    RemoveQuietly(temp);
    return std::move(run).error();
  }
  if (!run->succeeded() || !NonEmptyFile(temp)) {
    RemoveQuietly(temp);
    return RunError(*run, "ffmpeg (transcode)", "transcode_timed_out",
                    MakeError(ErrorKind::kValidation, "transcode_failed",
                              "Không chuyển được video sang định dạng xem trên web; tệp có thể "
                              "bị hỏng.",
                              "video"));
  }
  return PublishFile(temp, output);
}

}  // namespace hoithi::video::media
