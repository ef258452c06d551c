// The processing job of an uploaded video, run by the durable job queue: ffprobe checks it (a
// video stream, a readable container, not too long), then the poster and the web copy are made,
// and the entry becomes ready, or rejected with the reason in Vietnamese. Cancellable between
// and inside the steps (ffmpeg is killed); a transient failure is retried by the worker.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "jobs/worker.hpp"
#include "store/database.hpp"
#include "video/media.hpp"
#include "video/storage.hpp"

namespace hoithi::video {

inline constexpr std::string_view kProcessJobKind = "video_process";
/// Runs of one job before a failure that is not the file's fault (ffmpeg timed out, a full
/// disk, the database away) is told to the unit as a refusal it can answer by uploading again.
inline constexpr int kProcessAttempts = 3;

/// {"entry_id": N, "file_id": "<32 hex>"}
std::string ProcessPayload(std::int64_t entry_id, const std::string& file_id);

/// The job's handler. Records its outcome on the entry only while the entry still shows the
/// job's upload (in the transaction that checks the job's claim); otherwise it was replaced or
/// withdrawn meanwhile, and the outcome is dropped with the files it made.
core::Result<std::string> ProcessVideo(store::Database& db, const core::Clock& clock,
                                       FileStore& files, const media::Settings& settings,
                                       jobs::JobContext& context);

}  // namespace hoithi::video
