// Writing audit entries.
#include "audit/audit_log.hpp"

#include <algorithm>

namespace hoithi::audit {
namespace {
constexpr std::string_view kInsert =
    "INSERT INTO audit_log (contest_id, at, actor_id, actor, ip, action, target_type, target_id,"
    " before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
}

core::Status Record(store::Connection& conn, const Actor& actor, const Entry& entry,
                    core::TimePoint at) {
  auto r = conn.Exec(kInsert, {entry.contest_id, core::ToEpochMs(at), actor.user_id, actor.label,
                               actor.ip, entry.action, entry.target_type, entry.target_id,
                               entry.before_json, entry.after_json});
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Result<Page> Search(store::Connection& conn, const Query& q) {
  std::string where = " WHERE 1 = 1";
  std::vector<store::Param> params;
  auto next = [&] { return "$" + std::to_string(params.size() + 1); };
  if (q.contest_id) {
    where += " AND contest_id = " + next();
    params.emplace_back(*q.contest_id);
  }
  std::string prefix;
  if (!q.action_prefix.empty()) {
    for (char c : q.action_prefix) {
      if (c == '%' || c == '_' || c == '\\') prefix += '\\';
      prefix += c;
    }
    prefix += '%';
    where += " AND action LIKE " + next() + " ESCAPE '\\'";
    params.emplace_back(prefix);
  }
  if (!q.actor.empty()) {
    where += " AND actor = " + next();
    params.emplace_back(q.actor);
  }
  if (q.from) {
    where += " AND at >= " + next();
    params.emplace_back(core::ToEpochMs(*q.from));
  }
  if (q.to) {
    where += " AND at < " + next();
    params.emplace_back(core::ToEpochMs(*q.to));
  }
  Page page;
  page.page = std::max(1, q.page);
  page.per_page = std::clamp(q.per_page, 1, 500);
  auto total = store::QueryInt(conn, "SELECT COUNT(*) FROM audit_log" + where, params);
  if (!total) return std::move(total).error();
  page.total = total->value_or(0);
  const std::string sql =
      "SELECT id, contest_id, at, actor_id, actor, ip, action, target_type, target_id,"
      " before_json, after_json FROM audit_log" +
      where + " ORDER BY id DESC LIMIT " + std::to_string(page.per_page) + " OFFSET " +
      std::to_string(static_cast<long long>(page.page - 1) * page.per_page);
  HOITHI_TRY(conn.Query(sql, params, [&](const store::Row& r) {
    Row row;
    row.id = r.Int(0);
    row.contest_id = r.OptInt(1);
    row.at = core::FromEpochMs(r.Int(2));
    row.actor_id = r.OptInt(3);
    row.actor = r.Str(4);
    row.ip = r.Str(5);
    row.action = r.Str(6);
    row.target_type = r.Str(7);
    row.target_id = r.Str(8);
    row.before_json = r.OptStr(9);
    row.after_json = r.OptStr(10);
    page.rows.push_back(std::move(row));
  }));
  return page;
}

std::string_view ActionLabel(std::string_view action) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"auth.login", "Đăng nhập"},
      {"auth.login_failed", "Đăng nhập sai"},
      {"auth.logout", "Đăng xuất"},
      {"auth.password_change", "Đổi mật khẩu"},
      {"participant.register", "Thí sinh đăng ký"},
      {"user.create", "Tạo tài khoản"},
      {"user.update", "Sửa tài khoản"},
      {"user.role_change", "Đổi vai trò"},
      {"user.disable", "Khóa tài khoản"},
      {"user.enable", "Mở khóa tài khoản"},
      {"user.password_reset", "Cấp lại mật khẩu"},
      {"unit.create", "Thêm đơn vị"},
      {"unit.update", "Sửa đơn vị"},
      {"unit.delete", "Xóa đơn vị"},
      {"unit.import", "Nhập danh sách đơn vị"},
      {"roster.import", "Nhập danh sách cán bộ"},
      {"roster.passwords_export", "Tải danh sách mật khẩu ban đầu"},
      {"contest.seed_demo", "Tạo hội thi mẫu"},
      {"contest.settings_update", "Thay đổi cài đặt hội thi"},
  };
  for (const auto& [code, label] : kLabels) {
    if (code == action) return label;
  }
  return action;
}

}  // namespace hoithi::audit
