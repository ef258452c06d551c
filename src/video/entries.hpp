// A unit's video entries and their tus uploads: what is stored of them and the rules of their
// fields. The services that move them (video/entry_service.hpp) and the processing job
// (video/processing.hpp) build on these.
//
// The state machine of an entry:
//   draft       created (title, form, themes, credits), no video yet, or its upload was terminated
//   uploading   an upload was created for it; bytes arrive, a PATCH at a time, resumable
//   uploaded    the upload's last byte is stored (fsynced); the processing job is queued
//   processing  the job runs: ffprobe checks it, then the poster and the web copy are made
//   ready       playable; the original is kept, byte for byte, for the jury
//   rejected    not a video, corrupt, too long: `reject_reason` says why in Vietnamese
//   withdrawn   the unit (or the organisers) withdrew it; its files are removed; final
// Until the video deadline, a new upload may start from any state but withdrawn (the unit
// replaces its video: -> uploading, the earlier upload's files removed), and any state but
// withdrawn may be withdrawn. The job records its outcome only while the entry still shows the
// upload it was queued for, so a replaced upload's late outcome changes nothing.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::video {

enum class EntryStatus {
  kDraft,
  kUploading,
  kUploaded,
  kProcessing,
  kReady,
  kRejected,
  kWithdrawn
};
std::string_view StatusCode(EntryStatus s);   // "draft", "uploading", ...
std::string_view StatusLabel(EntryStatus s);  // "Chưa có video", "Đang tải lên", ...
std::optional<EntryStatus> ParseStatus(std::string_view code);

/// The forms and themes the plan names, as codes with their Vietnamese labels.
struct Choice {
  std::string_view code;
  std::string_view label;
};
const std::vector<Choice>& Forms();
const std::vector<Choice>& Themes();
/// The label of a form or theme code; "" when unknown.
std::string_view FormLabel(std::string_view code);
std::string_view ThemeLabel(std::string_view code);

struct Credit {
  std::string name;      // "Nguyễn Thị Hoa"
  std::string role;      // "Biên kịch", "Ca sĩ", ...
  bool invited = false;  // not of the unit: a talented person it invited
};

/// The credits as JSON, the one form every stored, audited and served copy takes:
/// [{"name", "role", "invited"}, ...].
nlohmann::json CreditsJson(const std::vector<Credit>& credits);

/// What the unit writes about its video.
struct EntryFields {
  std::string title;
  std::string description;
  std::string form;                 // a code of Forms()
  std::vector<std::string> themes;  // codes of Themes(), at least one, no repeats
  std::vector<Credit> credits;
};

/// kValidation naming the first field at fault (title, description, form, themes, credits),
/// every field at fault in `fields`.
core::Status ValidateFields(const EntryFields& fields);

struct Entry {
  std::int64_t id = 0;
  std::int64_t contest_id = 0;
  std::int64_t unit_id = 0;
  EntryFields fields;
  EntryStatus status = EntryStatus::kDraft;
  std::string reject_reason;
  std::optional<std::string> file_id;          // the upload it shows (video::FileId's text)
  std::optional<std::uint64_t> upload_length;  // that upload's Upload-Length
  std::optional<std::int64_t> duration_ms;
  std::optional<int> width, height;  // of the web copy, as displayed
  /// When an organiser put it in the public gallery (ready videos only; a new upload clears it).
  std::optional<core::TimePoint> approved_at;
  std::optional<std::int64_t> created_by;
  core::TimePoint created_at;
  core::TimePoint updated_at;
};

/// A tus upload: the resource at /api/v1/uploads/<id>.
struct Upload {
  std::string id;  // video::FileId's text
  std::int64_t entry_id = 0;
  std::uint64_t length = 0;
  std::string metadata;  // the Upload-Metadata header as received
  std::optional<std::int64_t> created_by;
  core::TimePoint created_at;
  core::TimePoint expires_at;
  std::optional<core::TimePoint> finished_at;
  std::optional<core::TimePoint> ended_at;  // terminated, expired or replaced
};

core::Result<std::int64_t> InsertEntry(store::Connection& conn, const Entry& entry,
                                       core::TimePoint now);
core::Status UpdateFields(store::Connection& conn, std::int64_t id, const EntryFields& fields,
                          core::TimePoint now);
/// Sets the status and reject_reason (and, when given, the file it shows).
core::Status SetStatus(store::Connection& conn, std::int64_t id, EntryStatus status,
                       std::string_view reject_reason, core::TimePoint now);
core::Status SetFile(store::Connection& conn, std::int64_t id,
                     const std::optional<std::string>& file_id, EntryStatus status,
                     core::TimePoint now);
/// ready, with what the web copy is.
core::Status SetReady(store::Connection& conn, std::int64_t id, std::int64_t duration_ms, int width,
                      int height, core::TimePoint now);

/// Into the public gallery (`by` an organiser) or out of it (nullopt).
core::Status SetApproved(store::Connection& conn, std::int64_t id, std::optional<std::int64_t> by,
                         core::TimePoint now);
/// One view of an entry by `viewer` on `day`; a second one the same day counts nothing.
core::Status RecordView(store::Connection& conn, std::int64_t entry_id, std::string_view viewer,
                        std::string_view day);
/// Views of each entry of a contest, or of the one entry given (entries never viewed are absent).
core::Result<std::map<std::int64_t, std::int64_t>> ViewCounts(
    store::Connection& conn, std::int64_t contest_id,
    std::optional<std::int64_t> entry_id = std::nullopt);

core::Result<std::optional<Entry>> FindEntry(store::Connection& conn, std::int64_t id);
/// A contest's entries (of one unit when given), by unit then id.
core::Result<std::vector<Entry>> ListEntries(store::Connection& conn, std::int64_t contest_id,
                                             std::optional<std::int64_t> unit_id = std::nullopt);

core::Status InsertUpload(store::Connection& conn, const Upload& upload);
core::Result<std::optional<Upload>> FindUpload(store::Connection& conn, std::string_view id);
/// The upload's last byte arrived.
core::Status MarkFinished(store::Connection& conn, std::string_view id, core::TimePoint now);
/// An unfinished upload stays for `until` more (each PATCH pushes it on).
core::Status ExtendExpiry(store::Connection& conn, std::string_view id, core::TimePoint until);
/// Terminated, expired or replaced: its files are (being) removed.
core::Status MarkEnded(store::Connection& conn, std::string_view id, core::TimePoint now);
/// Uploads neither finished nor ended whose expiry is before `now`, at most `limit`.
core::Result<std::vector<Upload>> ExpiredUploads(store::Connection& conn, core::TimePoint now,
                                                 int limit);
/// Ends (MarkEnded) every upload of the entry that has not ended; returns their ids, whose files
/// the caller removes once the write is committed.
core::Result<std::vector<std::string>> EndLiveUploads(store::Connection& conn,
                                                      std::int64_t entry_id, core::TimePoint now);

}  // namespace hoithi::video
