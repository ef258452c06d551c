// Unit validation and the units table.
#include "accounts/units.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/text.hpp"

namespace hoithi::accounts {
namespace {

using core::ErrorKind;

constexpr std::string_view kColumns =
    "id, contest_id, code, name, unit_group, headcount, contact_name, contact_phone,"
    " contact_email, position";

Unit FromRow(const store::Row& r) {
  Unit u;
  u.id = r.Int(0);
  u.contest_id = r.Int(1);
  u.code = r.Str(2);
  u.name = r.Str(3);
  u.group = r.Str(4);
  if (!r.IsNull(5)) u.headcount = static_cast<int>(r.Int(5));
  u.contact_name = r.Str(6);
  u.contact_phone = r.Str(7);
  u.contact_email = r.Str(8);
  u.position = static_cast<int>(r.Int(9));
  return u;
}

bool IsSlug(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

std::string_view UnitGroupLabel(std::string_view group) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kLabels = {{
      {"co-quan-chuyen-mon", "Cơ quan chuyên môn thuộc UBND tỉnh"},
      {"ban-quan-ly-kcn", "Ban Quản lý các Khu công nghiệp tỉnh"},
      {"vp-doan-dbqh-hdnd", "Văn phòng Đoàn ĐBQH và HĐND tỉnh"},
      {"don-vi-su-nghiep", "Đơn vị sự nghiệp tỉnh"},
      {"co-quan-trung-uong", "Cơ quan Trung ương đóng trên địa bàn tỉnh"},
      {"ubnd-cap-huyen", "UBND cấp huyện"},
  }};
  for (const auto& [code, label] : kLabels) {
    if (code == group) return label;
  }
  return group;
}

core::Status ValidateUnit(const Unit& u) {
  if (!IsSlug(u.code)) {
    return core::MakeError(ErrorKind::kValidation, "invalid_unit_code",
                           "Mã đơn vị chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang "
                           "(tối đa 64 ký tự), ví dụ: so-noi-vu.",
                           "code");
  }
  if (u.name.empty() || core::CodePointCount(u.name) > 200) {
    return core::MakeError(ErrorKind::kValidation, "invalid_unit_name",
                           "Tên đơn vị không được để trống và không quá 200 ký tự.", "name");
  }
  if (!IsSlug(u.group)) {
    return core::MakeError(ErrorKind::kValidation, "invalid_unit_group",
                           "Nhóm đơn vị chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang.",
                           "group");
  }
  if (u.headcount && *u.headcount < 0) {
    return core::MakeError(ErrorKind::kValidation, "invalid_headcount",
                           "Số cán bộ, công chức, viên chức không được âm.", "headcount");
  }
  return core::Ok();
}

core::Result<std::int64_t> SaveUnit(store::Connection& conn, const Unit& u, core::TimePoint now) {
  constexpr std::string_view kUpsert =
      "INSERT INTO units (contest_id, code, name, unit_group, headcount, contact_name,"
      " contact_phone, contact_email, position, search_key, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)"
      " ON CONFLICT (contest_id, code) DO UPDATE SET name = excluded.name,"
      " unit_group = excluded.unit_group, headcount = excluded.headcount,"
      " contact_name = excluded.contact_name, contact_phone = excluded.contact_phone,"
      " contact_email = excluded.contact_email, position = excluded.position,"
      " search_key = excluded.search_key, updated_at = excluded.updated_at"
      " RETURNING id";
  HOITHI_TRY(ValidateUnit(u));
  const std::optional<std::int64_t> headcount =
      u.headcount ? std::optional<std::int64_t>(*u.headcount) : std::nullopt;
  auto id = store::QueryInt(conn, kUpsert,
                            {u.contest_id, u.code, u.name, u.group, headcount, u.contact_name,
                             u.contact_phone, u.contact_email, u.position,
                             core::FoldForSearch(u.name + " " + u.code), core::ToEpochMs(now)});
  if (!id) return std::move(id).error();
  return id->value_or(0);
}

core::Result<std::vector<Unit>> ListUnits(store::Connection& conn, std::int64_t contest_id) {
  std::vector<Unit> out;
  const std::string sql = "SELECT " + std::string(kColumns) +
                          " FROM units WHERE contest_id = $1 ORDER BY position, name";
  HOITHI_TRY(
      conn.Query(sql, {contest_id}, [&](const store::Row& r) { out.push_back(FromRow(r)); }));
  return out;
}

core::Result<std::optional<Unit>> FindUnitByCode(store::Connection& conn, std::int64_t contest_id,
                                                 std::string_view code) {
  std::optional<Unit> out;
  const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM units WHERE contest_id = $1 AND code = $2";
  HOITHI_TRY(conn.Query(sql, {contest_id, code}, [&](const store::Row& r) { out = FromRow(r); }));
  return out;
}

}  // namespace hoithi::accounts
