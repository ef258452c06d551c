// Contest rules of thumb and the contests/prizes tables.
#include "contest/contest.hpp"

#include <algorithm>

#include "core/time_format.hpp"

namespace hoithi::contest {
namespace {

using core::ErrorKind;

constexpr std::string_view kColumns =
    "id, slug, name, organiser, contact_office, contact_phone, contact_email, time_zone,"
    " opens_at, closes_at, video_closes_at, results_due_at, settings, archived_at";

core::Result<Contest> FromRow(const store::Row& r) {
  Contest c;
  c.id = r.Int(0);
  c.slug = r.Str(1);
  c.name = r.Str(2);
  c.organiser = r.Str(3);
  c.contact_office = r.Str(4);
  c.contact_phone = r.Str(5);
  c.contact_email = r.Str(6);
  c.time_zone = r.Str(7);
  c.schedule.opens_at = core::FromEpochMs(r.Int(8));
  c.schedule.closes_at = core::FromEpochMs(r.Int(9));
  if (!r.IsNull(10)) c.schedule.video_closes_at = core::FromEpochMs(r.Int(10));
  if (!r.IsNull(11)) c.schedule.results_due_at = core::FromEpochMs(r.Int(11));
  auto settings = ParseSettings(r.Text(12));
  if (!settings) {
    auto e = store::InternalError("contest " + c.slug + ": " + settings.error().message);
    return e;
  }
  c.settings = std::move(*settings);
  if (!r.IsNull(13)) c.archived_at = core::FromEpochMs(r.Int(13));
  return c;
}

std::optional<std::int64_t> OptMs(const std::optional<core::TimePoint>& t) {
  return t ? std::optional<std::int64_t>(core::ToEpochMs(*t)) : std::nullopt;
}

core::Error SlugTaken() {
  auto e = core::MakeError(ErrorKind::kValidation, "slug_taken",
                           "Mã hội thi này đã được dùng; hãy chọn mã khác.", "slug");
  e.fields = {{e.field, e.message}};
  return e;
}

core::Result<std::optional<Contest>> FindWhere(store::Connection& conn, std::string_view where,
                                               store::ParamList params) {
  std::optional<Contest> out;
  std::optional<core::Error> failed;
  const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM contests WHERE " + std::string(where);
  HOITHI_TRY(conn.Query(sql, params, [&](const store::Row& r) {
    auto c = FromRow(r);
    if (c) {
      out = std::move(*c);
    } else {
      failed = std::move(c).error();
    }
  }));
  if (failed) return *failed;
  return out;
}

}  // namespace

core::TimePoint VideoClosesAt(const Contest& contest) {
  return contest.schedule.video_closes_at.value_or(contest.schedule.closes_at);
}

Phase PhaseAt(const Contest& contest, core::TimePoint now) {
  if (now < contest.schedule.opens_at) return Phase::kNotOpen;
  if (now < contest.schedule.closes_at) return Phase::kOpen;
  return Phase::kClosed;
}

core::Error NoContestError() {
  return core::MakeError(ErrorKind::kNotFound, "no_contest", "Chưa có hội thi nào.");
}

core::Error ContestNotFound() {
  return core::MakeError(ErrorKind::kNotFound, "no_contest", "Không tìm thấy hội thi.");
}

std::string_view PhaseLabel(Phase phase) {
  switch (phase) {
    case Phase::kNotOpen:
      return "chưa mở";
    case Phase::kOpen:
      return "đang diễn ra";
    case Phase::kClosed:
      return "đã kết thúc";
  }
  return "";
}

std::string_view PrizeCategoryName(PrizeCategory c) {
  switch (c) {
    case PrizeCategory::kCollective:
      return "collective";
    case PrizeCategory::kVideo:
      return "video";
    case PrizeCategory::kIndividual:
      return "individual";
  }
  return "";
}

core::Status Validate(const Contest& c) {
  const bool slug_ok = !c.slug.empty() && c.slug.size() <= 64 &&
                       std::all_of(c.slug.begin(), c.slug.end(), [](char ch) {
                         return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
                       });
  if (!slug_ok) {
    return core::MakeError(ErrorKind::kValidation, "invalid_slug",
                           "Mã hội thi chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang "
                           "(tối đa 64 ký tự).",
                           "slug");
  }
  if (c.name.empty()) {
    return core::MakeError(ErrorKind::kValidation, "required", "Vui lòng nhập tên hội thi.",
                           "name");
  }
  if (!core::IsKnownTimeZone(c.time_zone)) {
    return core::MakeError(ErrorKind::kValidation, "invalid_time_zone",
                           "Múi giờ không hợp lệ (ví dụ đúng: Asia/Ho_Chi_Minh).", "time_zone");
  }
  if (c.schedule.closes_at <= c.schedule.opens_at) {
    return core::MakeError(ErrorKind::kValidation, "invalid_schedule",
                           "Thời gian kết thúc phải sau thời gian bắt đầu.", "closes_at");
  }
  if (c.schedule.video_closes_at && *c.schedule.video_closes_at < c.schedule.opens_at) {
    return core::MakeError(ErrorKind::kValidation, "invalid_schedule",
                           "Hạn nộp video không được trước thời gian bắt đầu hội thi.",
                           "video_closes_at");
  }
  if (c.schedule.results_due_at && *c.schedule.results_due_at < c.schedule.closes_at) {
    return core::MakeError(ErrorKind::kValidation, "invalid_schedule",
                           "Ngày công bố kết quả không được trước khi phần thi kết thúc.",
                           "results_due_at");
  }
  return core::Ok();
}

core::Result<std::optional<Contest>> FindContestBySlug(store::Connection& conn,
                                                       std::string_view slug) {
  return FindWhere(conn, "slug = $1", {slug});
}

core::Result<std::optional<Contest>> FindContestById(store::Connection& conn, std::int64_t id) {
  return FindWhere(conn, "id = $1", {id});
}

core::Result<std::vector<Contest>> ListContests(store::Connection& conn) {
  std::vector<Contest> out;
  std::optional<core::Error> failed;
  const std::string sql = "SELECT " + std::string(kColumns) + " FROM contests ORDER BY opens_at";
  HOITHI_TRY(conn.Query(sql, {}, [&](const store::Row& r) {
    auto c = FromRow(r);
    if (c) {
      out.push_back(std::move(*c));
    } else {
      failed = std::move(c).error();
    }
  }));
  if (failed) return *failed;
  return out;
}

core::Result<std::optional<Contest>> CurrentContest(store::Connection& conn, core::TimePoint now) {
  auto all = ListContests(conn);
  if (!all) return std::move(all).error();
  const Contest* open = nullptr;
  const Contest* next = nullptr;
  const Contest* last = nullptr;
  for (const auto& c : *all) {
    if (c.archived_at) continue;
    switch (PhaseAt(c, now)) {
      case Phase::kOpen:
        if (!open || c.schedule.opens_at > open->schedule.opens_at) open = &c;
        break;
      case Phase::kNotOpen:
        if (!next || c.schedule.opens_at < next->schedule.opens_at) next = &c;
        break;
      case Phase::kClosed:
        if (!last || c.schedule.closes_at > last->schedule.closes_at) last = &c;
        break;
    }
  }
  const Contest* pick = open ? open : next ? next : last;
  if (!pick) return std::optional<Contest>();
  return std::optional<Contest>(*pick);
}

core::Result<std::int64_t> SaveContest(store::Connection& conn, const Contest& c,
                                       core::TimePoint now) {
  constexpr std::string_view kUpsert =
      "INSERT INTO contests (slug, name, organiser, contact_office, contact_phone, contact_email,"
      " time_zone, opens_at, closes_at, video_closes_at, results_due_at, settings, created_at,"
      " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)"
      " ON CONFLICT (slug) DO UPDATE SET name = excluded.name, organiser = excluded.organiser,"
      " contact_office = excluded.contact_office, contact_phone = excluded.contact_phone,"
      " contact_email = excluded.contact_email, time_zone = excluded.time_zone,"
      " opens_at = excluded.opens_at, closes_at = excluded.closes_at,"
      " video_closes_at = excluded.video_closes_at, results_due_at = excluded.results_due_at,"
      " settings = excluded.settings, updated_at = excluded.updated_at"
      " RETURNING id";
  HOITHI_TRY(Validate(c));
  auto id = store::QueryInt(
      conn, kUpsert,
      {c.slug, c.name, c.organiser, c.contact_office, c.contact_phone, c.contact_email, c.time_zone,
       core::ToEpochMs(c.schedule.opens_at), core::ToEpochMs(c.schedule.closes_at),
       OptMs(c.schedule.video_closes_at), OptMs(c.schedule.results_due_at),
       SettingsJson("{}", *c.settings), core::ToEpochMs(now)});
  if (!id) return std::move(id).error();
  return id->value_or(0);
}

core::Result<std::int64_t> InsertContest(store::Connection& conn, const Contest& c,
                                         core::TimePoint now) {
  HOITHI_TRY(Validate(c));
  auto id = store::QueryInt(
      conn,
      "INSERT INTO contests (slug, name, organiser, contact_office, contact_phone, contact_email,"
      " time_zone, opens_at, closes_at, video_closes_at, results_due_at, settings, archived_at,"
      " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
      " $14, $14) RETURNING id",
      {c.slug, c.name, c.organiser, c.contact_office, c.contact_phone, c.contact_email, c.time_zone,
       core::ToEpochMs(c.schedule.opens_at), core::ToEpochMs(c.schedule.closes_at),
       OptMs(c.schedule.video_closes_at), OptMs(c.schedule.results_due_at),
       SettingsJson("{}", *c.settings), OptMs(c.archived_at), core::ToEpochMs(now)});
  if (!id) {
    if (store::IsDuplicate(id.error())) return SlugTaken();
    return std::move(id).error();
  }
  return id->value_or(0);
}

core::Status UpdateContest(store::Connection& conn, const Contest& c, core::TimePoint now) {
  HOITHI_TRY(Validate(c));
  auto r = conn.Exec(
      "UPDATE contests SET slug = $2, name = $3, organiser = $4, contact_office = $5,"
      " contact_phone = $6, contact_email = $7, time_zone = $8, opens_at = $9, closes_at = $10,"
      " video_closes_at = $11, results_due_at = $12, archived_at = $13, updated_at = $14"
      " WHERE id = $1",
      {c.id, c.slug, c.name, c.organiser, c.contact_office, c.contact_phone, c.contact_email,
       c.time_zone, core::ToEpochMs(c.schedule.opens_at), core::ToEpochMs(c.schedule.closes_at),
       OptMs(c.schedule.video_closes_at), OptMs(c.schedule.results_due_at), OptMs(c.archived_at),
       core::ToEpochMs(now)});
  if (!r) {
    if (store::IsDuplicate(r.error())) return SlugTaken();
    return std::move(r).error();
  }
  if (*r == 0) {
    return core::MakeError(ErrorKind::kNotFound, "no_contest", "Không tìm thấy hội thi.");
  }
  return core::Ok();
}

core::Status ReplacePrizes(store::Connection& conn, std::int64_t contest_id,
                           const std::vector<Prize>& prizes) {
  HOITHI_TRY(conn.Exec("DELETE FROM prizes WHERE contest_id = $1", {contest_id}));
  for (const auto& p : prizes) {
    HOITHI_TRY(
        conn.Exec("INSERT INTO prizes (contest_id, category, position, title, quantity, amount_vnd)"
                  " VALUES ($1, $2, $3, $4, $5, $6)",
                  {contest_id, PrizeCategoryName(p.category), p.position, p.title, p.quantity,
                   p.amount_vnd}));
  }
  return core::Ok();
}

core::Result<std::vector<Prize>> ListPrizes(store::Connection& conn, std::int64_t contest_id) {
  std::vector<Prize> out;
  HOITHI_TRY(conn.Query(
      "SELECT category, position, title, quantity, amount_vnd FROM prizes WHERE contest_id = $1"
      " ORDER BY CASE category WHEN 'collective' THEN 0 WHEN 'video' THEN 1 ELSE 2 END, position",
      {contest_id}, [&](const store::Row& r) {
        Prize p;
        const auto cat = r.Text(0);
        p.category = cat == "collective" ? PrizeCategory::kCollective
                     : cat == "video"    ? PrizeCategory::kVideo
                                         : PrizeCategory::kIndividual;
        p.position = static_cast<int>(r.Int(1));
        p.title = r.Str(2);
        p.quantity = static_cast<int>(r.Int(3));
        p.amount_vnd = r.Int(4);
        out.push_back(std::move(p));
      }));
  return out;
}

}  // namespace hoithi::contest
