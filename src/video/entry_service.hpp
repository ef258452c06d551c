// Video entries and their uploads as people drive them: who may see and change which entry, the
// video deadline, the audited changes, and the bookkeeping of a tus upload around the bytes that
// video::FileStore keeps (created, appended, finished -> the processing job, terminated).
// Organisers (administrators of the contest) manage every unit's entries; a focal point manages
// their own unit's; the secretary may watch them (the jury sees them through judging/).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accounts/sessions.hpp"
#include "contest/contest.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"
#include "units/units.hpp"
#include "video/entries.hpp"
#include "video/storage.hpp"
#include "video/tus.hpp"

namespace hoithi::video {

struct VideoOptions {
  tus::Limits tus;  // Tus-Max-Size: video.max_upload_mb
  /// An unfinished upload is dropped this long after its last PATCH (Upload-Expires).
  std::chrono::hours upload_expiry{24};
  /// Keys the hash that stands for a viewer in the view counts (no address is stored).
  std::string view_key;
};

/// One unit's videos, for the organisers' overview.
struct UnitVideos {
  units::Unit unit;
  int entries = 0;  // not withdrawn
  int ready = 0;
  int in_progress = 0;  // uploading, uploaded or processing
  int rejected = 0;
};

/// Where a unit stands, in Vietnamese: "Đã có video sẵn sàng", "Chưa đăng ký video", ...
std::string_view UnitVideoState(const UnitVideos& unit);

class EntryService {
 public:
  /// `wake` tells the worker there is a processing job (it also polls).
  EntryService(store::Database& db, const core::Clock& clock, FileStore& files,
               VideoOptions options, std::function<void()> wake);

  const VideoOptions& options() const { return options_; }
  FileStore& files() { return files_; }

  /// The contest's entries `actor` may see: every unit's for the organisers and the secretary
  /// (of one unit when `unit_id` is given), their own unit's for a focal point.
  core::Result<std::vector<Entry>> List(const accounts::SignedIn& actor,
                                        const contest::Contest& contest,
                                        std::optional<std::int64_t> unit_id);
  /// One entry, kNotFound unless `actor` may see it.
  core::Result<Entry> Find(const accounts::SignedIn& actor, const contest::Contest& contest,
                           std::int64_t id);
  /// Every unit with its counts, the units without a ready video first (then by the units'
  /// order).
  core::Result<std::vector<UnitVideos>> ByUnit(const contest::Contest& contest);

  /// A new entry of `unit` (draft). kForbidden "other_unit" for a focal point of another unit,
  /// "video_deadline_passed" after the deadline; kValidation from ValidateFields.
  void Create(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
              const contest::Contest& contest, const units::Unit& unit, EntryFields fields,
              core::Callback<Entry> done);
  /// New fields. kConflict "entry_withdrawn"; as Create otherwise.
  void Update(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
              const contest::Contest& contest, std::int64_t id, EntryFields fields,
              core::Callback<Entry> done);
  /// -> withdrawn, its uploads ended and their files removed. kConflict "entry_withdrawn".
  void Withdraw(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                const contest::Contest& contest, std::int64_t id, core::Callback<Entry> done);

  /// Into the public gallery (`approve`) or out of it: the organisers only (kForbidden), and
  /// only a ready video goes in (kConflict "video_not_ready"). Audited.
  void Approve(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
               const contest::Contest& contest, std::int64_t id, bool approve,
               core::Callback<Entry> done);
  /// The public gallery: the contest's ready videos the organisers approved.
  core::Result<std::vector<Entry>> Gallery(const contest::Contest& contest);
  /// One video of the gallery; kNotFound for any other.
  core::Result<Entry> PublicVideo(const contest::Contest& contest, std::int64_t id);
  /// Counts a view of `entry` by the viewer `who` stands for (their session, or their address
  /// and browser): once a day each, so reloads add nothing. `then` runs once it is written (a
  /// failure is only logged: a view not counted never keeps anyone from watching).
  void CountView(const contest::Contest& contest, const Entry& entry, std::string_view who,
                 std::function<void()> then);
  /// Views of each entry of the contest, or of the one entry given (a player page need not
  /// count every other video's).
  core::Result<std::map<std::int64_t, std::int64_t>> Views(
      const contest::Contest& contest, std::optional<std::int64_t> entry_id = std::nullopt);

  // The tus upload's bookkeeping. Each names what it runs on: the network thread (reads only)
  // or a pool thread (it waits for its write).

  /// Network thread: whether `actor` may start an upload for entry `entry_id` now: the entry in
  /// the contest (kNotFound), theirs to manage (kForbidden "other_unit"), not withdrawn
  /// (kConflict "entry_withdrawn"), the deadline not passed (kForbidden
  /// "video_deadline_passed").
  core::Result<Entry> CheckNewUpload(const accounts::SignedIn& actor,
                                     const contest::Contest& contest, std::int64_t entry_id);
  /// A new upload of `length` bytes for `entry`, not stored yet: a fresh id, its expiry.
  Upload NewUpload(const accounts::SignedIn& actor, const Entry& entry, std::uint64_t length,
                   std::string metadata) const;
  /// Pool thread, once the upload's empty original exists: records it, moves the entry to
  /// uploading and showing it, ends the entry's earlier uploads and removes their files
  /// (replacement). Audited.
  core::Status RecordUpload(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                            const Upload& upload);
  /// Network thread: the upload `id` and its entry, for HEAD (`writing` false) or for PATCH and
  /// DELETE. kNotFound unless it exists in the contest and `actor` may manage its entry;
  /// kGone "upload_gone" once terminated, replaced or expired (unfinished past its expiry),
  /// and for `writing` also once finished ("upload_finished"); for `writing`, the deadline.
  core::Result<std::pair<Upload, Entry>> UploadFor(const accounts::SignedIn& actor,
                                                   const contest::Contest& contest,
                                                   std::string_view id, bool writing);
  /// Pool thread, after a PATCH stored bytes up to `offset`: an upload complete at its length is
  /// finished (the entry uploaded, the processing job queued), an unfinished one's expiry moves
  /// on. Returns the upload's Upload-Expires.
  core::Result<core::TimePoint> AfterAppend(const Upload& upload, std::uint64_t offset);
  /// Network thread: terminates the upload (tus termination): ended, files removed, its entry
  /// back to draft when it showed it. Audited. Refused after the deadline (it would take a
  /// finished video away).
  void Terminate(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                 const contest::Contest& contest, const Upload& upload,
                 std::function<void(core::Status)> done);

  /// Ends the uploads left unfinished past their expiry: the entries that showed them go back to
  /// draft, their files are removed. Returns how many. A pool or background thread (it waits
  /// for its write); every instance may run it.
  core::Result<int> SweepExpired();

  /// kForbidden "video_deadline_passed", naming the deadline in the contest's time.
  static core::Error DeadlinePassed(const contest::Contest& contest);

 private:
  bool MayManage(const accounts::SignedIn& actor, const Entry& entry) const;
  /// The entry `id` of `contest`; kNotFound for none, or one of another contest.
  core::Result<Entry> Load(const contest::Contest& contest, std::int64_t id);
  core::Result<Entry> Manageable(const accounts::SignedIn& actor, const contest::Contest& contest,
                                 std::int64_t id, bool hide_other_unit);
  /// Manageable, not withdrawn, before the deadline: an entry `actor` may change now.
  core::Result<Entry> Changeable(const accounts::SignedIn& actor, const contest::Contest& contest,
                                 std::int64_t id);
  core::TimePoint ExpiryFrom(core::TimePoint now) const;

  store::Database& db_;
  const core::Clock& clock_;
  FileStore& files_;
  VideoOptions options_;
  std::function<void()> wake_;
};

}  // namespace hoithi::video
