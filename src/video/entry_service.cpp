// EntryService: access to entries, the video deadline, audited changes and the uploads'
// bookkeeping.
#include "video/entry_service.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "accounts/auth_service.hpp"
#include "audit/audit_log.hpp"
#include "core/text.hpp"
#include "core/time_format.hpp"
#include "jobs/queue.hpp"
#include "video/audit_actions.hpp"
#include "video/processing.hpp"

namespace hoithi::video {
namespace {

using accounts::Role;
using core::ErrorKind;
using nlohmann::json;

core::Error EntryNotFound() {
  return core::MakeError(ErrorKind::kNotFound, "not_found", "Không tìm thấy video dự thi.");
}

core::Error UploadNotFound() {
  return core::MakeError(ErrorKind::kNotFound, "upload_not_found",
                         "Không tìm thấy lượt tải lên này.");
}

core::Error OtherUnit() {
  return core::MakeError(ErrorKind::kForbidden, "other_unit",
                         "Bạn chỉ được quản lý video của đơn vị mình.");
}

core::Error Withdrawn() {
  return core::MakeError(ErrorKind::kConflict, "entry_withdrawn",
                         "Video này đã được rút khỏi hội thi; hãy đăng ký một video mới.");
}

/// Those who follow every unit's entries without changing them. Not the judges: they see the
/// videos they score through the judging module, never their own unit's.
bool IsWatcher(const accounts::SignedIn& actor, std::int64_t contest_id) {
  return actor.role == Role::kSecretary && actor.WorksIn(contest_id);
}

/// The fields as stored: person-typed text cleaned (trimmed, NFC). Invalid UTF-8 is left as it
/// came, for ValidateFields to refuse (the text helpers require valid UTF-8).
EntryFields Cleaned(EntryFields f) {
  const auto clean = [](std::string& s) {
    if (core::IsValidUtf8(s)) s = core::CleanText(s);
  };
  clean(f.title);
  if (core::IsValidUtf8(f.description)) f.description = core::ToNfc(f.description);
  for (auto& c : f.credits) {
    clean(c.name);
    clean(c.role);
  }
  return f;
}

std::string AuditJson(const Entry& e) {
  return json{{"unit_id", e.unit_id},
              {"title", e.fields.title},
              {"description", e.fields.description},
              {"form", e.fields.form},
              {"themes", e.fields.themes},
              {"credits", CreditsJson(e.fields.credits)},
              {"status", StatusCode(e.status)}}
      .dump();
}

audit::Entry AuditEntry(const Entry& e, const audit::Action& action,
                        std::optional<std::string> before, std::optional<std::string> after) {
  return audit::Entry{e.contest_id,      action,          "video_entry", std::to_string(e.id),
                      std::move(before), std::move(after)};
}

/// Removes every file of the uploads `ids`; a failure is only logged by the store (the files
/// are no one's any more, and a later withdrawal or a sweep retries).
void RemoveFiles(FileStore& files, const std::vector<std::string>& ids) {
  for (const auto& text : ids) {
    if (auto id = FileId::Parse(text)) (void)files.RemoveAll(*id);
  }
}

}  // namespace

core::Error EntryService::DeadlinePassed(const contest::Contest& contest) {
  return core::MakeError(
      ErrorKind::kForbidden, "video_deadline_passed",
      "Đã hết hạn nộp video dự thi (hạn chót: " +
          core::FormatDateTime(contest::VideoClosesAt(contest), contest.time_zone, true) +
          ", giờ Việt Nam).");
}

EntryService::EntryService(store::Database& db, const core::Clock& clock, FileStore& files,
                           VideoOptions options, std::function<void()> wake)
    : db_(db), clock_(clock), files_(files), options_(options), wake_(std::move(wake)) {}

bool EntryService::MayManage(const accounts::SignedIn& actor, const Entry& entry) const {
  if (actor.Organises(entry.contest_id)) return true;
  return actor.role == Role::kFocalPoint && actor.unit_id == entry.unit_id &&
         actor.WorksIn(entry.contest_id);
}

std::string_view UnitVideoState(const UnitVideos& u) {
  if (u.ready > 0) return "Đã có video sẵn sàng";
  if (u.in_progress > 0) return "Đang tải lên hoặc đang xử lý";
  if (u.rejected > 0) return "Video bị từ chối, cần nộp lại";
  if (u.entries > 0) return "Đã đăng ký, chưa tải video lên";
  return "Chưa đăng ký video";
}

core::TimePoint EntryService::ExpiryFrom(core::TimePoint now) const {
  return now + options_.upload_expiry;
}

core::Result<std::vector<Entry>> EntryService::List(const accounts::SignedIn& actor,
                                                    const contest::Contest& contest,
                                                    std::optional<std::int64_t> unit_id) {
  if (actor.role == Role::kFocalPoint) {
    if (!actor.unit_id) return std::vector<Entry>{};
    if (unit_id && unit_id != actor.unit_id) return OtherUnit();
    unit_id = actor.unit_id;
  } else if (!actor.Organises(contest.id) && !IsWatcher(actor, contest.id)) {
    return core::MakeError(ErrorKind::kForbidden, "forbidden",
                           "Bạn không có quyền xem danh sách video dự thi.");
  }
  auto lease = db_.Read();
  return ListEntries(*lease, contest.id, unit_id);
}

core::Result<Entry> EntryService::Load(const contest::Contest& contest, std::int64_t id) {
  core::Result<std::optional<Entry>> entry = std::optional<Entry>();
  {
    auto lease = db_.Read();
    entry = FindEntry(*lease, id);
  }
  if (!entry) return std::move(entry).error();
  if (!*entry || (*entry)->contest_id != contest.id) return EntryNotFound();
  return std::move(**entry);
}

core::Result<Entry> EntryService::Find(const accounts::SignedIn& actor,
                                       const contest::Contest& contest, std::int64_t id) {
  auto entry = Load(contest, id);
  if (entry && !MayManage(actor, *entry) && !IsWatcher(actor, contest.id)) return EntryNotFound();
  return entry;
}

core::Result<Entry> EntryService::Manageable(const accounts::SignedIn& actor,
                                             const contest::Contest& contest, std::int64_t id,
                                             bool hide_other_unit) {
  auto entry = Load(contest, id);
  if (!entry) return entry;
  if (!MayManage(actor, *entry)) {
    return hide_other_unit && !IsWatcher(actor, contest.id) ? EntryNotFound() : OtherUnit();
  }
  return entry;
}

core::Result<std::vector<UnitVideos>> EntryService::ByUnit(const contest::Contest& contest) {
  auto lease = db_.Read();
  auto units = units::ListUnits(*lease, contest.id);
  if (!units) return std::move(units).error();
  auto entries = ListEntries(*lease, contest.id);
  if (!entries) return std::move(entries).error();
  std::vector<UnitVideos> out;
  for (auto& u : *units)
    out.push_back(UnitVideos{std::move(u)});
  for (const auto& e : *entries) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const UnitVideos& u) { return u.unit.id == e.unit_id; });
    if (it == out.end() || e.status == EntryStatus::kWithdrawn) continue;
    ++it->entries;
    switch (e.status) {
      case EntryStatus::kReady:
        ++it->ready;
        break;
      case EntryStatus::kUploading:
      case EntryStatus::kUploaded:
      case EntryStatus::kProcessing:
        ++it->in_progress;
        break;
      case EntryStatus::kRejected:
        ++it->rejected;
        break;
      default:
        break;
    }
  }
  // ListUnits gives the units' own order; the ones still owing a video move to the front.
  std::stable_partition(out.begin(), out.end(), [](const UnitVideos& u) { return u.ready == 0; });
  return out;
}

void EntryService::Create(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                          const contest::Contest& contest, const units::Unit& unit,
                          EntryFields fields, core::Callback<Entry> done) {
  auto entry = std::make_shared<Entry>();
  entry->contest_id = contest.id;
  entry->unit_id = unit.id;
  entry->created_by = actor.user_id;
  if (unit.contest_id != contest.id) return done(EntryNotFound());
  if (!MayManage(actor, *entry)) return done(OtherUnit());
  const auto now = clock_.Now();
  if (now >= contest::VideoClosesAt(contest)) return done(DeadlinePassed(contest));
  entry->fields = Cleaned(std::move(fields));
  if (auto st = ValidateFields(entry->fields); !st) return done(std::move(st).error());
  entry->created_at = entry->updated_at = now;
  const auto actor_record = accounts::ActorOf(actor, client);
  db_.Write(
      [entry, now, actor_record](store::Connection& c) -> core::Status {
        auto id = InsertEntry(c, *entry, now);
        if (!id) return std::move(id).error();
        entry->id = *id;
        return audit::Record(
            c, actor_record,
            AuditEntry(*entry, actions::kEntryCreate, std::nullopt, AuditJson(*entry)), now);
      },
      [entry, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(*entry);
      });
}

core::Result<Entry> EntryService::Changeable(const accounts::SignedIn& actor,
                                             const contest::Contest& contest, std::int64_t id) {
  auto entry = Manageable(actor, contest, id, true);
  if (!entry) return entry;
  if (entry->status == EntryStatus::kWithdrawn) return Withdrawn();
  if (clock_.Now() >= contest::VideoClosesAt(contest)) return DeadlinePassed(contest);
  return entry;
}

void EntryService::Update(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                          const contest::Contest& contest, std::int64_t id, EntryFields fields,
                          core::Callback<Entry> done) {
  auto before = Changeable(actor, contest, id);
  if (!before) return done(std::move(before).error());
  const auto now = clock_.Now();
  auto after = std::make_shared<Entry>(*before);
  after->fields = Cleaned(std::move(fields));
  if (auto st = ValidateFields(after->fields); !st) return done(std::move(st).error());
  after->updated_at = now;
  const auto actor_record = accounts::ActorOf(actor, client);
  db_.Write(
      [after, before = *before, now, actor_record](store::Connection& c) -> core::Status {
        HOITHI_TRY(UpdateFields(c, after->id, after->fields, now));
        return audit::Record(
            c, actor_record,
            AuditEntry(*after, actions::kEntryUpdate, AuditJson(before), AuditJson(*after)), now);
      },
      [after, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(*after);
      });
}

void EntryService::Withdraw(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                            const contest::Contest& contest, std::int64_t id,
                            core::Callback<Entry> done) {
  auto before = Changeable(actor, contest, id);
  if (!before) return done(std::move(before).error());
  const auto now = clock_.Now();
  auto after = std::make_shared<Entry>(*before);
  after->status = EntryStatus::kWithdrawn;
  after->file_id.reset();
  after->updated_at = now;
  auto ended = std::make_shared<std::vector<std::string>>();
  const auto actor_record = accounts::ActorOf(actor, client);
  db_.Write(
      [after, ended, before = *before, now, actor_record](store::Connection& c) -> core::Status {
        auto live = EndLiveUploads(c, after->id, now);
        if (!live) return std::move(live).error();
        *ended = std::move(*live);
        if (before.file_id &&
            std::find(ended->begin(), ended->end(), *before.file_id) == ended->end()) {
          ended->push_back(*before.file_id);
        }
        HOITHI_TRY(SetFile(c, after->id, std::nullopt, EntryStatus::kWithdrawn, now));
        return audit::Record(
            c, actor_record,
            AuditEntry(*after, actions::kEntryWithdraw, AuditJson(before), AuditJson(*after)), now);
      },
      [this, after, ended, done](const core::Status& st) {
        if (!st) return done(st.error());
        RemoveFiles(files_, *ended);
        done(*after);
      });
}

void EntryService::Approve(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                           const contest::Contest& contest, std::int64_t id, bool approve,
                           core::Callback<Entry> done) {
  auto before = Find(actor, contest, id);
  if (!before) return done(std::move(before).error());
  if (!actor.Organises(contest.id)) {
    return done(core::MakeError(ErrorKind::kForbidden, "forbidden",
                                "Chỉ Ban Tổ chức duyệt video vào thư viện công khai."));
  }
  if (approve && before->status != EntryStatus::kReady) {
    return done(core::MakeError(ErrorKind::kConflict, "video_not_ready",
                                "Chỉ video đã xử lý xong (sẵn sàng) mới đưa vào thư viện được."));
  }
  const auto now = clock_.Now();
  auto after = std::make_shared<Entry>(*before);
  after->approved_at = approve ? std::optional<core::TimePoint>(now) : std::nullopt;
  after->updated_at = now;
  const auto actor_record = accounts::ActorOf(actor, client);
  const std::optional<std::int64_t> by =
      approve ? std::optional<std::int64_t>(actor.user_id) : std::nullopt;
  db_.Write(
      [after, by, approve, now, actor_record](store::Connection& c) -> core::Status {
        HOITHI_TRY(SetApproved(c, after->id, by, now));
        return audit::Record(
            c, actor_record,
            AuditEntry(*after, approve ? actions::kEntryApprove : actions::kEntryUnapprove,
                       std::nullopt, std::nullopt),
            now);
      },
      [after, done](const core::Status& st) {
        if (!st) return done(st.error());
        done(*after);
      });
}

core::Result<std::vector<Entry>> EntryService::Gallery(const contest::Contest& contest) {
  auto lease = db_.Read();
  auto entries = ListEntries(*lease, contest.id);
  if (!entries) return entries;
  std::erase_if(*entries,
                [](const Entry& e) { return e.status != EntryStatus::kReady || !e.approved_at; });
  return entries;
}

core::Result<Entry> EntryService::PublicVideo(const contest::Contest& contest, std::int64_t id) {
  auto entry = Load(contest, id);
  if (entry && (entry->status != EntryStatus::kReady || !entry->approved_at)) {
    return EntryNotFound();
  }
  return entry;
}

void EntryService::CountView(const contest::Contest& contest, const Entry& entry,
                             std::string_view who, std::function<void()> then) {
  unsigned char hash[16];
  crypto_generichash(
      hash, sizeof hash, reinterpret_cast<const unsigned char*>(who.data()), who.size(),
      reinterpret_cast<const unsigned char*>(options_.view_key.data()),
      std::min<std::size_t>(options_.view_key.size(), crypto_generichash_KEYBYTES_MAX));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string viewer;
  for (unsigned char b : hash) {
    viewer += kHex[b >> 4];
    viewer += kHex[b & 15];
  }
  // The day as the contest lives it: "06/01/2027" -> "2027-01-06".
  const auto date = core::FormatDate(clock_.Now(), contest.time_zone);
  const auto day = date.substr(6, 4) + "-" + date.substr(3, 2) + "-" + date.substr(0, 2);
  db_.Write(
      [id = entry.id, viewer, day](store::Connection& c) { return RecordView(c, id, viewer, day); },
      [id = entry.id, then = std::move(then)](const core::Status& st) {
        if (!st) {
          spdlog::warn("view of video {} not counted: {} {}", id, st.error().code,
                       st.error().detail);
        }
        then();
      });
}

core::Result<std::map<std::int64_t, std::int64_t>> EntryService::Views(
    const contest::Contest& contest, std::optional<std::int64_t> entry_id) {
  auto lease = db_.Read();
  return ViewCounts(*lease, contest.id, entry_id);
}

core::Result<Entry> EntryService::CheckNewUpload(const accounts::SignedIn& actor,
                                                 const contest::Contest& contest,
                                                 std::int64_t entry_id) {
  auto entry = Manageable(actor, contest, entry_id, false);
  if (!entry) return entry;
  if (entry->status == EntryStatus::kWithdrawn) return Withdrawn();
  if (clock_.Now() >= contest::VideoClosesAt(contest)) return DeadlinePassed(contest);
  return entry;
}

Upload EntryService::NewUpload(const accounts::SignedIn& actor, const Entry& entry,
                               std::uint64_t length, std::string metadata) const {
  Upload u;
  u.id = FileId::Generate().str();
  u.entry_id = entry.id;
  u.length = length;
  u.metadata = std::move(metadata);
  u.created_by = actor.user_id;
  u.created_at = clock_.Now();
  u.expires_at = ExpiryFrom(u.created_at);
  return u;
}

core::Status EntryService::RecordUpload(const accounts::SignedIn& actor,
                                        const accounts::ClientInfo& client, const Upload& upload) {
  auto replaced = std::make_shared<std::vector<std::string>>();
  const auto actor_record = accounts::ActorOf(actor, client);
  const auto now = upload.created_at;
  auto st = db_.WriteAndWait(
      [&upload, replaced, now, actor_record](store::Connection& c) -> core::Status {
        auto entry = FindEntry(c, upload.entry_id);
        if (!entry) return core::Status(std::move(entry).error());
        if (!*entry) return core::Status(EntryNotFound());
        // Withdrawn between the check and now: the upload is refused, its file removed below.
        if ((*entry)->status == EntryStatus::kWithdrawn) return core::Status(Withdrawn());
        auto live = EndLiveUploads(c, upload.entry_id, now);
        if (!live) return core::Status(std::move(live).error());
        *replaced = std::move(*live);
        HOITHI_TRY(InsertUpload(c, upload));
        HOITHI_TRY(SetFile(c, upload.entry_id, upload.id, EntryStatus::kUploading, now));
        Entry after = **entry;
        after.status = EntryStatus::kUploading;
        return audit::Record(
            c, actor_record,
            AuditEntry(after, actions::kUploadStart, std::nullopt,
                       json{{"upload_id", upload.id}, {"length", upload.length}}.dump()),
            now);
      });
  if (!st) return st;
  RemoveFiles(files_, *replaced);
  return core::Ok();
}

core::Result<std::pair<Upload, Entry>> EntryService::UploadFor(const accounts::SignedIn& actor,
                                                               const contest::Contest& contest,
                                                               std::string_view id, bool writing) {
  if (!FileId::Parse(id)) return UploadNotFound();
  core::Result<std::optional<Upload>> upload = std::optional<Upload>();
  {
    auto lease = db_.Read();
    upload = FindUpload(*lease, id);
  }
  if (!upload) return std::move(upload).error();
  if (!*upload) return UploadNotFound();
  auto entry = Manageable(actor, contest, (*upload)->entry_id, true);
  if (!entry) {
    return entry.error().kind == ErrorKind::kNotFound ? UploadNotFound() : std::move(entry).error();
  }
  const auto& u = **upload;
  const auto now = clock_.Now();
  // After the deadline, that is the answer to a write, whatever became of the upload.
  if (writing && now >= contest::VideoClosesAt(contest)) return DeadlinePassed(contest);
  if (u.ended_at || (!u.finished_at && now >= u.expires_at)) {
    return core::MakeError(ErrorKind::kGone, "upload_gone",
                           "Lượt tải lên này đã bị hủy, đã hết hạn hoặc đã được thay bằng tệp "
                           "khác; hãy tải tệp lên lại từ đầu.");
  }
  if (writing) {
    if (u.finished_at) {
      return core::MakeError(ErrorKind::kGone, "upload_finished",
                             "Tệp này đã được tải lên đầy đủ.");
    }
  }
  return std::pair<Upload, Entry>{u, std::move(*entry)};
}

core::Result<core::TimePoint> EntryService::AfterAppend(const Upload& upload,
                                                        std::uint64_t offset) {
  const auto now = clock_.Now();
  const auto expires = ExpiryFrom(now);
  const bool complete = offset == upload.length;
  auto queued = std::make_shared<bool>(false);
  auto st = db_.WriteAndWait(
      [&upload, complete, now, expires, queued](store::Connection& c) -> core::Status {
        if (!complete) return ExtendExpiry(c, upload.id, expires);
        auto entry = FindEntry(c, upload.entry_id);
        if (!entry) return core::Status(std::move(entry).error());
        HOITHI_TRY(MarkFinished(c, upload.id, now));
        // Replaced or withdrawn while its last bytes came: kept as received, processed never.
        if (!*entry || (*entry)->file_id != upload.id) return core::Ok();
        HOITHI_TRY(SetStatus(c, upload.entry_id, EntryStatus::kUploaded, "", now));
        jobs::NewJob job;
        job.contest_id = (*entry)->contest_id;
        job.kind = std::string(kProcessJobKind);
        job.payload = ProcessPayload(upload.entry_id, upload.id);
        job.created_by = upload.created_by;
        job.unit_id = (*entry)->unit_id;
        job.progress_total = 1000;
        auto id = jobs::InsertJob(c, job, now);
        if (!id) return core::Status(std::move(id).error());
        *queued = true;
        return core::Ok();
      });
  if (!st) return std::move(st).error();
  if (*queued && wake_) wake_();
  return complete ? upload.expires_at : expires;
}

core::Result<int> EntryService::SweepExpired() {
  const auto now = clock_.Now();
  auto ended = std::make_shared<std::vector<std::string>>();
  auto st = db_.WriteAndWait([ended, now](store::Connection& c) -> core::Status {
    auto expired = ExpiredUploads(c, now, 500);
    if (!expired) return std::move(expired).error();
    ended->clear();  // a retried batch starts again
    for (const auto& u : *expired) {
      HOITHI_TRY(MarkEnded(c, u.id, now));
      auto entry = FindEntry(c, u.entry_id);
      if (!entry) return std::move(entry).error();
      if (*entry && (*entry)->file_id == u.id && (*entry)->status == EntryStatus::kUploading) {
        HOITHI_TRY(SetFile(c, u.entry_id, std::nullopt, EntryStatus::kDraft, now));
      }
      ended->push_back(u.id);
    }
    return core::Ok();
  });
  if (!st) return std::move(st).error();
  RemoveFiles(files_, *ended);
  return static_cast<int>(ended->size());
}

void EntryService::Terminate(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                             const contest::Contest& contest, const Upload& upload,
                             std::function<void(core::Status)> done) {
  const auto now = clock_.Now();
  if (now >= contest::VideoClosesAt(contest)) return done(DeadlinePassed(contest));
  const auto actor_record = accounts::ActorOf(actor, client);
  db_.Write(
      [upload, now, actor_record](store::Connection& c) -> core::Status {
        auto entry = FindEntry(c, upload.entry_id);
        if (!entry) return std::move(entry).error();
        HOITHI_TRY(MarkEnded(c, upload.id, now));
        if (!*entry) return core::Ok();
        if ((*entry)->file_id == upload.id) {
          HOITHI_TRY(SetFile(c, upload.entry_id, std::nullopt, EntryStatus::kDraft, now));
        }
        return audit::Record(c, actor_record,
                             AuditEntry(**entry, actions::kUploadTerminate,
                                        json{{"upload_id", upload.id}}.dump(), std::nullopt),
                             now);
      },
      [this, id = upload.id, done](const core::Status& st) {
        if (st) RemoveFiles(files_, {id});
        done(st);
      });
}

}  // namespace hoithi::video
