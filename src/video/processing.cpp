// The processing job: probe, validate, poster, web copy, and the entry's outcome.
#include "video/processing.hpp"

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

#include "video/entries.hpp"

namespace hoithi::video {
namespace {

using core::ErrorKind;
using nlohmann::json;

/// What the job ended with, as its stored result.
std::string Outcome(std::string_view what, std::string_view reason = {}) {
  json j = {{"outcome", what}};
  if (!reason.empty()) j["reason"] = reason;
  return j.dump();
}

/// A failure that is the file's fault (not a video, corrupt, too long): the entry is rejected.
/// Anything else (ffmpeg missing or timed out, a full disk, a stop) is the job's to retry.
bool IsTheFilesFault(const core::Error& e) {
  return e.kind == ErrorKind::kValidation;
}

class Job {
 public:
  Job(store::Database& db, const core::Clock& clock, FileStore& files,
      const media::Settings& settings, jobs::JobContext& context)
      : db_(db), clock_(clock), files_(files), settings_(settings), context_(context) {}

  core::Result<std::string> Run() {
    const auto payload = json::parse(context_.job.payload, nullptr, false);
    entry_id_ = payload.is_object() ? payload.value("entry_id", std::int64_t{0}) : 0;
    auto file = FileId::Parse(payload.is_object() ? payload.value("file_id", "") : "");
    if (!file) return store::InternalError("video_process: bad payload " + context_.job.payload);
    file_ = std::move(*file);
    const FileId& file_id = *file_;

    // uploaded -> processing, while the entry still shows this upload.
    auto current = Record([&](store::Connection& c) {
      return SetStatus(c, entry_id_, EntryStatus::kProcessing, "", clock_.Now());
    });
    if (!current) return std::move(current).error();
    if (!*current) return Superseded();

    const auto original = files_.PathOf(file_id, FileKind::kOriginal);
    auto info = media::Probe(original, settings_, context_.stop_token());
    if (!info) return Failed(std::move(info).error());
    if (auto ok = media::Validate(*info, settings_); !ok) return Failed(std::move(ok).error());
    Progress(50);
    auto poster = media::MakePoster(original, *info, files_.PathOf(file_id, FileKind::kPoster),
                                    settings_, context_.stop_token());
    if (!poster) return Failed(std::move(poster).error());
    Progress(100);
    const auto playable = files_.PathOf(file_id, FileKind::kPlayable);
    auto made = media::Transcode(
        original, *info, playable, settings_,
        [this](double fraction) { Progress(100 + static_cast<int>(std::lround(fraction * 880))); },
        context_.stop_token());
    if (!made) return Failed(std::move(made).error());
    // What the viewer gets: the web copy's own frame (rotation applied, scaled) and length.
    auto web = media::Probe(playable, settings_, context_.stop_token());
    if (!web) return Failed(std::move(web).error());
    const bool turned = web->rotation == 90 || web->rotation == -90 || web->rotation == 270;
    const int width = turned ? web->height : web->width;
    const int height = turned ? web->width : web->height;
    const auto duration_ms = static_cast<std::int64_t>(std::llround(info->duration_s * 1000));
    auto ready = Record([&](store::Connection& c) {
      return SetReady(c, entry_id_, duration_ms, width, height, clock_.Now());
    });
    if (!ready) return std::move(ready).error();
    if (!*ready) return Superseded();
    return Outcome("ready");
  }

 private:
  /// Progress in thousandths: probing and the poster are quick, the transcode is the rest.
  void Progress(int done) {
    if (context_.progress) context_.progress(done, 1000);
  }

  /// Runs `change` in a write that holds the job's claim, if the entry still shows this job's
  /// upload and is not withdrawn. Returns whether it did.
  core::Result<bool> Record(const std::function<core::Status(store::Connection&)>& change) {
    bool current = false;
    auto st = db_.WriteAndWait([&](store::Connection& c) -> core::Status {
      HOITHI_TRY(jobs::CheckClaim(c, context_.job.id, context_.claimant));
      auto entry = FindEntry(c, entry_id_);
      if (!entry) return std::move(entry).error();
      current = *entry && (*entry)->file_id == file_->str() &&
                (*entry)->status != EntryStatus::kWithdrawn;
      if (!current) return core::Ok();
      return change(c);
    });
    if (!st) return std::move(st).error();
    return current;
  }

  /// The entry moved on (a new upload, a withdrawal): what this run made is no one's.
  core::Result<std::string> Superseded() {
    (void)files_.Remove(*file_, FileKind::kPoster);
    (void)files_.Remove(*file_, FileKind::kPlayable);
    return Outcome("superseded");
  }

  core::Result<std::string> Failed(core::Error error) {
    if (context_.stop_requested()) return error;
    if (!IsTheFilesFault(error)) {
      // Ours, not the file's: tried again later (with backoff); after the last try the unit is
      // told, rather than left waiting on "processing" for ever.
      if (context_.job.attempts + 1 < kProcessAttempts) {
        auto retry = jobs::Transient(error.code, error.message);
        retry.detail = error.detail;
        return retry;
      }
      error.message = "Máy chủ chưa xử lý được tệp này (" + error.message +
                      "). Hãy tải lên lại, hoặc báo cho Ban Tổ chức.";
    }
    (void)files_.Remove(*file_, FileKind::kPoster);
    (void)files_.Remove(*file_, FileKind::kPlayable);
    auto rejected = Record([&](store::Connection& c) {
      return SetStatus(c, entry_id_, EntryStatus::kRejected, error.message, clock_.Now());
    });
    if (!rejected) return std::move(rejected).error();
    return Outcome(*rejected ? "rejected" : "superseded", error.message);
  }

  store::Database& db_;
  const core::Clock& clock_;
  FileStore& files_;
  const media::Settings& settings_;
  jobs::JobContext& context_;
  std::int64_t entry_id_ = 0;
  std::optional<FileId> file_;  // from the payload
};

}  // namespace

std::string ProcessPayload(std::int64_t entry_id, const std::string& file_id) {
  return json{{"entry_id", entry_id}, {"file_id", file_id}}.dump();
}

core::Result<std::string> ProcessVideo(store::Database& db, const core::Clock& clock,
                                       FileStore& files, const media::Settings& settings,
                                       jobs::JobContext& context) {
  return Job(db, clock, files, settings, context).Run();
}

}  // namespace hoithi::video
