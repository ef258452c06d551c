// Video entries and tus uploads as tests drive them: a clip ffmpeg makes at test time (no binary
// fixture in the repository), the tus requests of a client (creation, PATCH, HEAD), an entry
// made, read and waited for until processed. Shared by the video tests and the authorization
// matrix.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/subprocess.hpp"
#include "support/http_client.hpp"
#include "support/quiz_client.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

namespace hoithi::testing {

// Processing runs ffprobe and two ffmpeg passes; a loaded CI machine (ASan, both databases in
// parallel) can take a while over even a tiny clip.
inline constexpr auto kProcessing = std::chrono::seconds(60);

// --- the clip

/// A clip of `seconds` at `size` (testsrc and a sine tone, H.264 and AAC in mp4) at `path`; its
/// bytes, or "" with a test failure when ffmpeg could not make it.
inline std::string MakeClip(const std::filesystem::path& path, int seconds = 2,
                            const std::string& size = "320x240") {
  const auto duration = std::to_string(seconds);
  core::SubprocessOptions o;
  o.timeout = std::chrono::minutes(2);
  const auto r =
      core::RunSubprocess({"ffmpeg",    "-hide_banner",
                           "-nostdin",  "-v",
                           "error",     "-y",
                           "-f",        "lavfi",
                           "-i",        "testsrc=size=" + size + ":rate=25:duration=" + duration,
                           "-f",        "lavfi",
                           "-i",        "sine=frequency=440:duration=" + duration,
                           "-c:v",      "libx264",
                           "-preset",   "ultrafast",
                           "-pix_fmt",  "yuv420p",
                           "-c:a",      "aac",
                           "-shortest", path.string()},
                          o);
  if (!r.ok()) {
    ADD_FAILURE() << r.error().message << " (scripts/install-deps installs ffmpeg)";
    return {};
  }
  if (!r->succeeded()) {
    ADD_FAILURE() << r->Describe() << ": " << r->stderr_tail;
    return {};
  }
  return ReadFile(path);
}

// --- tus on the wire

inline std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (const auto rest = in.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

inline constexpr char kTusResumable[] = "Tus-Resumable: 1.0.0";
inline constexpr char kOffsetStream[] = "Content-Type: application/offset+octet-stream";
// curl gives a POST body a form Content-Type of its own unless told otherwise; a creation
// without a body carries none, as tus clients send it.
inline constexpr char kNoContentType[] = "Content-Type:";

inline std::string Metadata(std::int64_t entry_id, const std::string& filename = "clip.mp4") {
  return "Upload-Metadata: entry_id " + Base64(std::to_string(entry_id)) + ",filename " +
         Base64(filename);
}

/// POST /api/v1/uploads for an entry, without a body.
inline HttpResponse CreateUpload(HttpClient& c, std::int64_t entry_id, std::uint64_t length,
                                 const std::string& filename = "clip.mp4") {
  return c.Request("POST", "/api/v1/uploads", "",
                   {kTusResumable, "Upload-Length: " + std::to_string(length),
                    Metadata(entry_id, filename), kNoContentType});
}

/// The path of the upload a 201 named in Location ("" when it named none).
inline std::string UploadPath(const HttpResponse& created) {
  const auto location = created.Header("location");
  const auto at = location.find("/api/v1/uploads/");
  return at == std::string::npos ? std::string() : location.substr(at);
}

/// Whether `path` is /api/v1/uploads/ and an upload id (32 lower-case hex digits).
inline bool IsUploadPath(const std::string& path) {
  constexpr std::string_view kPrefix = "/api/v1/uploads/";
  if (!path.starts_with(kPrefix) || path.size() != kPrefix.size() + 32) return false;
  return std::all_of(path.begin() + kPrefix.size(), path.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

inline HttpResponse PatchUpload(HttpClient& c, const std::string& path, std::uint64_t offset,
                                const std::string& bytes, std::vector<std::string> headers = {}) {
  headers.insert(headers.end(),
                 {kTusResumable, kOffsetStream, "Upload-Offset: " + std::to_string(offset)});
  return c.Request("PATCH", path, bytes, headers);
}

inline HttpResponse HeadUpload(HttpClient& c, const std::string& path) {
  return c.Request("HEAD", path, "", {kTusResumable});
}

/// Upload-Offset from HEAD; -1 when HEAD did not answer 200.
inline long long OffsetOf(HttpClient& c, const std::string& path) {
  const auto r = HeadUpload(c, path);
  if (r.status != 200) return -1;
  return std::stoll(r.Header("upload-offset"));
}

// --- entries

inline std::string EntryPath(std::int64_t id, const std::string& suffix = "") {
  return "/api/v1/videos/" + std::to_string(id) + suffix;
}

/// A valid entry: every field the form has, with diacritics where a unit would write them.
inline json EntryBody(const std::string& title) {
  return {{"title", title},
          {"description", "Tiểu phẩm về tiếp nhận hồ sơ tại bộ phận một cửa cấp huyện."},
          {"form", "musical"},
          {"themes", {"online_public_services", "one_stop"}},
          {"credits",
           {{{"name", "Võ Đầu Mối"}, {"role", "Biên kịch"}, {"invited", false}},
            {{"name", "Lâm Thị Khách Mời"}, {"role", "Ca sĩ khách mời"}, {"invited", true}}}}};
}

inline std::string NewTitle() {
  return "Một cửa liên thông — gần dân, vì dân (" + UniqueName() + ")";
}

/// Creates an entry as `c`; the 201 body, or an empty object with a failure.
inline json NewEntry(HttpClient& c, json body = json()) {
  if (body.is_null()) body = EntryBody(NewTitle());
  const auto r = c.Post("/api/v1/videos", body.dump());
  EXPECT_TRUE(IsAnswer(r, 201)) << body.dump();
  return r.status == 201 ? r.Json() : json::object();
}

inline std::int64_t IdOf(const json& entry) {
  return entry.value("id", std::int64_t{0});
}

inline json GetEntry(HttpClient& c, std::int64_t id) {
  const auto r = c.Get(EntryPath(id));
  EXPECT_TRUE(IsAnswer(r, 200));
  return r.status == 200 ? r.Json() : json::object();
}

/// The entry once its status is one of `wanted`; fails, answering the last entry read, when
/// `timeout` passes first. Every status on the way is told on failure.
inline json WaitForStatus(HttpClient& c, std::int64_t id, std::initializer_list<std::string> wanted,
                          std::chrono::milliseconds timeout = kProcessing) {
  json entry;
  std::vector<std::string> seen;
  const bool reached = Eventually(
      [&] {
        const auto r = c.Get(EntryPath(id));
        if (r.status != 200) return false;
        entry = r.Json();
        const auto status = entry.value("status", "");
        if (seen.empty() || seen.back() != status) seen.push_back(status);
        return std::find(wanted.begin(), wanted.end(), status) != wanted.end();
      },
      timeout, std::chrono::milliseconds(200));
  if (!reached) {
    ADD_FAILURE() << "entry " << id << " went through " << ::testing::PrintToString(seen)
                  << " and stopped at " << entry.dump();
  }
  return entry;
}

/// Uploads `bytes` to `entry_id` whole (one creation, one PATCH); the upload's path.
inline std::string UploadWhole(HttpClient& c, std::int64_t entry_id, const std::string& bytes,
                               const std::string& filename = "clip.mp4") {
  const auto created = CreateUpload(c, entry_id, bytes.size(), filename);
  EXPECT_TRUE(IsAnswer(created, 201));
  const auto path = UploadPath(created);
  EXPECT_FALSE(path.empty()) << "Location: " << created.Header("location");
  if (path.empty()) return path;
  const auto r = PatchUpload(c, path, 0, bytes);
  EXPECT_TRUE(IsAnswer(r, 204));
  EXPECT_EQ(r.Header("upload-offset"), std::to_string(bytes.size()));
  return path;
}

}  // namespace hoithi::testing
