// Video entries and uploads: their codes and labels, the checks of the unit's fields, and the
// video_entries and video_uploads tables.
#include "video/entries.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace hoithi::video {
namespace {

using core::ErrorKind;
using nlohmann::json;

// With the length of the upload the entry shows.
constexpr std::string_view kEntrySelect =
    "SELECT e.id, e.contest_id, e.unit_id, e.title, e.description, e.form, e.themes, e.credits,"
    " e.status, e.reject_reason, e.file_id, e.duration_ms, e.width, e.height, e.created_by,"
    " e.created_at, e.updated_at, u.length, e.approved_at"
    " FROM video_entries e LEFT JOIN video_uploads u ON u.id = e.file_id";

constexpr std::string_view kUploadColumns =
    "id, entry_id, length, metadata, created_by, created_at, expires_at, finished_at, ended_at";

std::optional<core::TimePoint> OptTime(const store::Row& r, int col) {
  if (r.IsNull(col)) return std::nullopt;
  return core::FromEpochMs(r.Int(col));
}

std::string ThemesJson(const std::vector<std::string>& themes) {
  return json(themes).dump();
}

Entry EntryFromRow(const store::Row& r) {
  Entry e;
  e.id = r.Int(0);
  e.contest_id = r.Int(1);
  e.unit_id = r.Int(2);
  e.fields.title = r.Str(3);
  e.fields.description = r.Str(4);
  e.fields.form = r.Str(5);
  // Written by this file only, as JSON arrays; anything else reads as empty rather than failing.
  const auto themes = json::parse(r.Text(6), nullptr, false);
  if (themes.is_array()) {
    for (const auto& t : themes)
      if (t.is_string()) e.fields.themes.push_back(t.get<std::string>());
  }
  const auto credits = json::parse(r.Text(7), nullptr, false);
  if (credits.is_array()) {
    for (const auto& c : credits) {
      if (!c.is_object()) continue;
      e.fields.credits.push_back(
          {c.value("name", ""), c.value("role", ""), c.value("invited", false)});
    }
  }
  e.status = ParseStatus(r.Text(8)).value_or(EntryStatus::kDraft);
  e.reject_reason = r.Str(9);
  e.file_id = r.OptStr(10);
  e.duration_ms = r.OptInt(11);
  if (!r.IsNull(12)) e.width = static_cast<int>(r.Int(12));
  if (!r.IsNull(13)) e.height = static_cast<int>(r.Int(13));
  e.created_by = r.OptInt(14);
  e.created_at = core::FromEpochMs(r.Int(15));
  e.updated_at = core::FromEpochMs(r.Int(16));
  if (!r.IsNull(17)) e.upload_length = static_cast<std::uint64_t>(r.Int(17));
  e.approved_at = OptTime(r, 18);
  return e;
}

Upload UploadFromRow(const store::Row& r) {
  Upload u;
  u.id = r.Str(0);
  u.entry_id = r.Int(1);
  u.length = static_cast<std::uint64_t>(r.Int(2));
  u.metadata = r.Str(3);
  u.created_by = r.OptInt(4);
  u.created_at = core::FromEpochMs(r.Int(5));
  u.expires_at = core::FromEpochMs(r.Int(6));
  u.finished_at = OptTime(r, 7);
  u.ended_at = OptTime(r, 8);
  return u;
}

std::string_view LabelOf(const std::vector<Choice>& choices, std::string_view code) {
  for (const auto& c : choices)
    if (c.code == code) return c.label;
  return {};
}

/// A person-typed text: valid UTF-8, at most `max` characters (and not empty when `required`).
bool TextOk(const std::string& s, std::size_t max, bool required) {
  if (!core::IsValidUtf8(s)) return false;
  const auto n = core::CodePointCount(s);
  return n <= max && (!required || !core::CleanText(s).empty());
}

core::Status NotFoundOrOk(core::Result<std::int64_t> changed, std::string what) {
  if (!changed) return std::move(changed).error();
  if (*changed == 0) return store::InternalError(std::move(what) + " vanished");
  return core::Ok();
}

}  // namespace

json CreditsJson(const std::vector<Credit>& credits) {
  json a = json::array();
  for (const auto& c : credits)
    a.push_back({{"name", c.name}, {"role", c.role}, {"invited", c.invited}});
  return a;
}

std::string_view StatusCode(EntryStatus s) {
  switch (s) {
    case EntryStatus::kDraft:
      return "draft";
    case EntryStatus::kUploading:
      return "uploading";
    case EntryStatus::kUploaded:
      return "uploaded";
    case EntryStatus::kProcessing:
      return "processing";
    case EntryStatus::kReady:
      return "ready";
    case EntryStatus::kRejected:
      return "rejected";
    case EntryStatus::kWithdrawn:
      return "withdrawn";
  }
  return "";
}

std::string_view StatusLabel(EntryStatus s) {
  switch (s) {
    case EntryStatus::kDraft:
      return "Chưa có video";
    case EntryStatus::kUploading:
      return "Đang tải lên";
    case EntryStatus::kUploaded:
      return "Đã tải lên, chờ xử lý";
    case EntryStatus::kProcessing:
      return "Đang xử lý";
    case EntryStatus::kReady:
      return "Sẵn sàng";
    case EntryStatus::kRejected:
      return "Bị từ chối";
    case EntryStatus::kWithdrawn:
      return "Đã rút";
  }
  return "";
}

std::optional<EntryStatus> ParseStatus(std::string_view code) {
  for (auto s : {EntryStatus::kDraft, EntryStatus::kUploading, EntryStatus::kUploaded,
                 EntryStatus::kProcessing, EntryStatus::kReady, EntryStatus::kRejected,
                 EntryStatus::kWithdrawn}) {
    if (StatusCode(s) == code) return s;
  }
  return std::nullopt;
}

const std::vector<Choice>& Forms() {
  // Section II of the plan: "ca khúc, nhạc kịch, sân khấu, lời bình kết hợp đồ họa 2D/3D, ..."
  static const std::vector<Choice> forms = {
      {"song", "Ca khúc"},       {"musical", "Nhạc kịch"},
      {"stage", "Sân khấu hóa"}, {"narration", "Lời bình kết hợp đồ họa 2D/3D"},
      {"reportage", "Phóng sự"}, {"other", "Hình thức khác"},
  };
  return forms;
}

const std::vector<Choice>& Themes() {
  static const std::vector<Choice> themes = {
      {"online_public_services", "Dịch vụ công trực tuyến mức độ 3, 4"},
      {"public_postal", "Dịch vụ bưu chính công ích"},
      {"online_payment", "Thanh toán trực tuyến"},
      {"initiatives", "Sáng kiến, giải pháp cải cách hành chính"},
      {"one_stop", "Cơ chế một cửa, một cửa liên thông"},
      {"other", "Nội dung cải cách hành chính khác"},
  };
  return themes;
}

std::string_view FormLabel(std::string_view code) {
  return LabelOf(Forms(), code);
}
std::string_view ThemeLabel(std::string_view code) {
  return LabelOf(Themes(), code);
}

core::Status ValidateFields(const EntryFields& f) {
  std::vector<std::pair<std::string, std::string>> bad;
  if (!TextOk(f.title, 200, true)) {
    bad.emplace_back("title", "Tên video không được để trống và không quá 200 ký tự.");
  }
  if (!TextOk(f.description, 5000, false)) {
    bad.emplace_back("description", "Phần giới thiệu không quá 5.000 ký tự.");
  }
  if (FormLabel(f.form).empty()) {
    bad.emplace_back("form", "Hãy chọn hình thức thể hiện của video.");
  }
  bool themes_ok = !f.themes.empty() && f.themes.size() <= Themes().size();
  for (std::size_t i = 0; themes_ok && i < f.themes.size(); ++i) {
    themes_ok =
        !ThemeLabel(f.themes[i]).empty() &&
        std::find(f.themes.begin(), f.themes.begin() + i, f.themes[i]) == f.themes.begin() + i;
  }
  if (!themes_ok) bad.emplace_back("themes", "Hãy chọn ít nhất một chủ đề tuyên truyền.");
  bool credits_ok = f.credits.size() <= 100;
  for (const auto& c : f.credits) {
    credits_ok = credits_ok && TextOk(c.name, 200, true) && TextOk(c.role, 200, false);
  }
  if (!credits_ok) {
    bad.emplace_back("credits",
                     "Mỗi người tham gia cần có họ tên (không quá 200 ký tự); tối đa 100 người.");
  }
  if (bad.empty()) return core::Ok();
  auto e =
      core::MakeError(ErrorKind::kValidation, "validation", bad.front().second, bad.front().first);
  e.fields = std::move(bad);
  return e;
}

core::Result<std::int64_t> InsertEntry(store::Connection& conn, const Entry& e,
                                       core::TimePoint now) {
  const auto themes = ThemesJson(e.fields.themes);
  const auto credits = CreditsJson(e.fields.credits).dump();
  auto id = store::QueryInt(
      conn,
      "INSERT INTO video_entries (contest_id, unit_id, title, description, form, themes, credits,"
      " status, created_by, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
      {e.contest_id, e.unit_id, e.fields.title, e.fields.description, e.fields.form, themes,
       credits, StatusCode(EntryStatus::kDraft), e.created_by, core::ToEpochMs(now)});
  if (!id) return std::move(id).error();
  if (!*id) return store::InternalError("INSERT INTO video_entries returned no id");
  return **id;
}

core::Status UpdateFields(store::Connection& conn, std::int64_t id, const EntryFields& f,
                          core::TimePoint now) {
  const auto themes = ThemesJson(f.themes);
  const auto credits = CreditsJson(f.credits).dump();
  return NotFoundOrOk(
      conn.Exec("UPDATE video_entries SET title = $2, description = $3, form = $4,"
                " themes = $5, credits = $6, updated_at = $7 WHERE id = $1",
                {id, f.title, f.description, f.form, themes, credits, core::ToEpochMs(now)}),
      "video entry");
}

core::Status SetStatus(store::Connection& conn, std::int64_t id, EntryStatus status,
                       std::string_view reject_reason, core::TimePoint now) {
  return NotFoundOrOk(conn.Exec("UPDATE video_entries SET status = $2, reject_reason = $3,"
                                " updated_at = $4 WHERE id = $1",
                                {id, StatusCode(status), reject_reason, core::ToEpochMs(now)}),
                      "video entry");
}

core::Status SetFile(store::Connection& conn, std::int64_t id,
                     const std::optional<std::string>& file_id, EntryStatus status,
                     core::TimePoint now) {
  return NotFoundOrOk(
      conn.Exec("UPDATE video_entries SET file_id = $2, status = $3, reject_reason = '',"
                " duration_ms = NULL, width = NULL, height = NULL, approved_at = NULL,"
                " approved_by = NULL, updated_at = $4 WHERE id = $1",
                {id, file_id, StatusCode(status), core::ToEpochMs(now)}),
      "video entry");
}

core::Status SetReady(store::Connection& conn, std::int64_t id, std::int64_t duration_ms, int width,
                      int height, core::TimePoint now) {
  return NotFoundOrOk(
      conn.Exec(
          "UPDATE video_entries SET status = $2, reject_reason = '', duration_ms = $3,"
          " width = $4, height = $5, updated_at = $6 WHERE id = $1",
          {id, StatusCode(EntryStatus::kReady), duration_ms, width, height, core::ToEpochMs(now)}),
      "video entry");
}

core::Status SetApproved(store::Connection& conn, std::int64_t id, std::optional<std::int64_t> by,
                         core::TimePoint now) {
  const std::optional<std::int64_t> at =
      by ? std::optional<std::int64_t>(core::ToEpochMs(now)) : std::nullopt;
  return NotFoundOrOk(conn.Exec("UPDATE video_entries SET approved_at = $2, approved_by = $3,"
                                " updated_at = $4 WHERE id = $1",
                                {id, at, by, core::ToEpochMs(now)}),
                      "video entry");
}

core::Status RecordView(store::Connection& conn, std::int64_t entry_id, std::string_view viewer,
                        std::string_view day) {
  auto r = conn.Exec(
      "INSERT INTO video_views (entry_id, viewer, day) VALUES ($1, $2, $3)"
      " ON CONFLICT (entry_id, viewer, day) DO NOTHING",
      {entry_id, viewer, day});
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Result<std::map<std::int64_t, std::int64_t>> ViewCounts(
    store::Connection& conn, std::int64_t contest_id, std::optional<std::int64_t> entry_id) {
  std::map<std::int64_t, std::int64_t> out;
  const std::string sql = std::string(
                              "SELECT v.entry_id, COUNT(*) FROM video_views v"
                              " JOIN video_entries e ON e.id = v.entry_id"
                              " WHERE e.contest_id = $1") +
                          (entry_id ? " AND v.entry_id = $2" : "") + " GROUP BY v.entry_id";
  const auto on_row = [&](const store::Row& r) { out[r.Int(0)] = r.Int(1); };
  if (entry_id) {
    HOITHI_TRY(conn.Query(sql, {contest_id, *entry_id}, on_row));
  } else {
    HOITHI_TRY(conn.Query(sql, {contest_id}, on_row));
  }
  return out;
}

core::Result<std::optional<Entry>> FindEntry(store::Connection& conn, std::int64_t id) {
  std::optional<Entry> found;
  HOITHI_TRY(conn.Query(std::string(kEntrySelect) + " WHERE e.id = $1", {id},
                        [&](const store::Row& r) { found = EntryFromRow(r); }));
  return found;
}

core::Result<std::vector<Entry>> ListEntries(store::Connection& conn, std::int64_t contest_id,
                                             std::optional<std::int64_t> unit_id) {
  std::vector<Entry> out;
  const auto sql = std::string(kEntrySelect) + " WHERE e.contest_id = $1" +
                   (unit_id ? " AND e.unit_id = $2" : "") + " ORDER BY e.unit_id, e.id";
  const auto on_row = [&](const store::Row& r) { out.push_back(EntryFromRow(r)); };
  if (unit_id) {
    HOITHI_TRY(conn.Query(sql, {contest_id, *unit_id}, on_row));
  } else {
    HOITHI_TRY(conn.Query(sql, {contest_id}, on_row));
  }
  return out;
}

core::Status InsertUpload(store::Connection& conn, const Upload& u) {
  auto r = conn.Exec(
      "INSERT INTO video_uploads (id, entry_id, length, metadata, created_by, created_at,"
      " expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {u.id, u.entry_id, static_cast<std::int64_t>(u.length), u.metadata, u.created_by,
       core::ToEpochMs(u.created_at), core::ToEpochMs(u.expires_at)});
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Result<std::optional<Upload>> FindUpload(store::Connection& conn, std::string_view id) {
  std::optional<Upload> found;
  HOITHI_TRY(conn.Query(
      std::string("SELECT ") + std::string(kUploadColumns) + " FROM video_uploads WHERE id = $1",
      {id}, [&](const store::Row& r) { found = UploadFromRow(r); }));
  return found;
}

core::Status MarkFinished(store::Connection& conn, std::string_view id, core::TimePoint now) {
  return NotFoundOrOk(conn.Exec("UPDATE video_uploads SET finished_at = COALESCE(finished_at, $2)"
                                " WHERE id = $1",
                                {id, core::ToEpochMs(now)}),
                      "video upload");
}

core::Status ExtendExpiry(store::Connection& conn, std::string_view id, core::TimePoint until) {
  return NotFoundOrOk(conn.Exec("UPDATE video_uploads SET expires_at = $2 WHERE id = $1",
                                {id, core::ToEpochMs(until)}),
                      "video upload");
}

core::Status MarkEnded(store::Connection& conn, std::string_view id, core::TimePoint now) {
  return NotFoundOrOk(conn.Exec("UPDATE video_uploads SET ended_at = COALESCE(ended_at, $2)"
                                " WHERE id = $1",
                                {id, core::ToEpochMs(now)}),
                      "video upload");
}

core::Result<std::vector<Upload>> ExpiredUploads(store::Connection& conn, core::TimePoint now,
                                                 int limit) {
  std::vector<Upload> out;
  HOITHI_TRY(conn.Query(std::string("SELECT ") + std::string(kUploadColumns) +
                            " FROM video_uploads WHERE finished_at IS NULL AND ended_at IS NULL"
                            " AND expires_at < $1 ORDER BY expires_at LIMIT $2",
                        {core::ToEpochMs(now), limit},
                        [&](const store::Row& r) { out.push_back(UploadFromRow(r)); }));
  return out;
}

core::Result<std::vector<std::string>> EndLiveUploads(store::Connection& conn,
                                                      std::int64_t entry_id, core::TimePoint now) {
  std::vector<std::string> out;
  HOITHI_TRY(conn.Query("SELECT id FROM video_uploads WHERE entry_id = $1 AND ended_at IS NULL",
                        {entry_id}, [&](const store::Row& r) { out.push_back(r.Str(0)); }));
  for (const auto& id : out)
    HOITHI_TRY(MarkEnded(conn, id, now));
  return out;
}

}  // namespace hoithi::video
