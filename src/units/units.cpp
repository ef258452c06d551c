// Unit validation and the units table.
#include "units/units.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "core/text.hpp"

namespace hoithi::units {
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

core::Status SetHeadcount(store::Connection& conn, std::int64_t unit_id, int headcount,
                          core::TimePoint now) {
  auto r = conn.Exec("UPDATE units SET headcount = $2, updated_at = $3 WHERE id = $1",
                     {unit_id, headcount, core::ToEpochMs(now)});
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Status DeleteUnit(store::Connection& conn, std::int64_t unit_id) {
  auto r = conn.Exec("DELETE FROM units WHERE id = $1", {unit_id});
  if (!r) {
    if (r.error().kind == ErrorKind::kConflict) {
      return core::MakeError(ErrorKind::kConflict, "unit_in_use",
                             "Đơn vị đang được dùng ở nơi khác nên không xóa được.");
    }
    return std::move(r).error();
  }
  return core::Ok();
}

const std::vector<std::string>& UnitColumns() {
  static const std::vector<std::string> columns = {
      "code", "name", "group", "headcount", "contact_name", "contact_phone", "contact_email"};
  return columns;
}

spreadsheet::Sheet UnitSheet(const std::vector<Unit>& units) {
  spreadsheet::Sheet sheet;
  sheet.name = "Don vi";
  sheet.header = UnitColumns();
  sheet.widths = {24, 48, 22, 12, 28, 18, 30};
  for (const auto& u : units) {
    sheet.rows.push_back({u.code, u.name, u.group,
                          u.headcount ? spreadsheet::Cell(static_cast<long long>(*u.headcount))
                                      : spreadsheet::Cell(std::string()),
                          u.contact_name, u.contact_phone, u.contact_email});
  }
  return sheet;
}

core::Result<std::vector<UnitImportRow>> ReadUnitTable(const std::vector<spreadsheet::Row>& rows) {
  if (rows.empty()) {
    return core::MakeError(ErrorKind::kValidation, "empty_file", "Tệp không có dữ liệu.", "file");
  }
  // English column names as exported, or their Vietnamese equivalents.
  static const std::vector<std::pair<std::string, std::string>> kAliases = {
      {"ma don vi", "code"},
      {"ma", "code"},
      {"ten don vi", "name"},
      {"ten", "name"},
      {"nhom", "group"},
      {"nhom don vi", "group"},
      {"so can bo", "headcount"},
      {"so cbccvc", "headcount"},
      {"nguoi lien he", "contact_name"},
      {"dien thoai lien he", "contact_phone"},
      {"email lien he", "contact_email"}};
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < rows.front().cells.size(); ++i) {
    std::string h = core::IsValidUtf8(rows.front().cells[i])
                        ? core::FoldForSearch(rows.front().cells[i])
                        : std::string();
    for (const auto& [alias, column] : kAliases) {
      if (h == alias) h = column;
    }
    if (!at.count(h)) at[h] = i;
  }
  if (!at.count("code") || !at.count("name") || !at.count("group")) {
    return core::MakeError(ErrorKind::kValidation, "bad_header",
                           "Dòng tiêu đề phải có các cột: code, name, group (có thể thêm "
                           "headcount, contact_name, contact_phone, contact_email).",
                           "file");
  }
  std::vector<UnitImportRow> out;
  std::map<std::string, int> seen;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    auto cell = [&](const char* column) -> std::string {
      const auto it = at.find(column);
      if (it == at.end() || it->second >= r.cells.size()) return {};
      const auto& v = r.cells[it->second];
      return core::IsValidUtf8(v) ? core::CleanText(v) : v;
    };
    UnitImportRow row;
    row.row = r.number;
    row.unit.code = core::AsciiLower(cell("code"));
    row.unit.name = cell("name");
    row.unit.group = core::AsciiLower(cell("group"));
    row.unit.contact_name = cell("contact_name");
    row.unit.contact_phone = cell("contact_phone");
    row.unit.contact_email = core::AsciiLower(cell("contact_email"));
    row.unit.position = static_cast<int>(i);
    const auto headcount = cell("headcount");
    if (!headcount.empty()) {
      if (headcount.size() > 7 || headcount.find_first_not_of("0123456789") != std::string::npos) {
        row.errors.push_back("Số cán bộ phải là số nguyên không âm.");
      } else {
        row.unit.headcount = std::stoi(headcount);
      }
    }
    for (const auto& f : {row.unit.name, row.unit.contact_name, row.unit.contact_phone}) {
      if (!core::IsValidUtf8(f)) row.errors.push_back("Có ô chứa ký tự không hợp lệ.");
    }
    if (auto st = ValidateUnit(row.unit); !st) row.errors.push_back(st.error().message);
    if (row.errors.empty()) {
      const auto [it, fresh] = seen.emplace(row.unit.code, row.row);
      if (!fresh)
        row.errors.push_back("Mã đơn vị trùng với dòng " + std::to_string(it->second) + ".");
    }
    out.push_back(std::move(row));
  }
  return out;
}

core::Result<std::map<std::int64_t, Unit>> UnitsById(store::Connection& conn,
                                                     std::int64_t contest_id) {
  auto list = ListUnits(conn, contest_id);
  if (!list) return std::move(list).error();
  std::map<std::int64_t, Unit> out;
  for (auto& u : *list)
    out.emplace(u.id, std::move(u));
  return out;
}

core::Result<std::vector<Unit>> ListUnits(store::Connection& conn, std::int64_t contest_id) {
  std::vector<Unit> out;
  const std::string sql = "SELECT " + std::string(kColumns) +
                          " FROM units WHERE contest_id = $1 ORDER BY position, name";
  HOITHI_TRY(
      conn.Query(sql, {contest_id}, [&](const store::Row& r) { out.push_back(FromRow(r)); }));
  return out;
}

core::Result<std::optional<Unit>> FindUnitById(store::Connection& conn, std::int64_t id) {
  std::optional<Unit> out;
  HOITHI_TRY(conn.Query("SELECT " + std::string(kColumns) + " FROM units WHERE id = $1", {id},
                        [&](const store::Row& r) { out = FromRow(r); }));
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

}  // namespace hoithi::units
