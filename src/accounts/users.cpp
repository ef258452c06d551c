// Account validation rules and the users table.
#include "accounts/users.hpp"

#include <algorithm>
#include <array>

#include "core/text.hpp"

namespace hoithi::accounts {
namespace {

using core::ErrorKind;

constexpr std::string_view kColumns =
    "id, contest_id, login, role, unit_id, full_name, phone, email, position, status,"
    " must_change_password, extra, registration_status";

User FromRow(const store::Row& r) {
  User u;
  u.id = r.Int(0);
  u.contest_id = r.OptInt(1);
  u.login = r.Str(2);
  u.role = ParseRole(r.Text(3)).value_or(Role::kParticipant);
  u.unit_id = r.OptInt(4);
  u.full_name = r.Str(5);
  u.phone = r.Str(6);
  u.email = r.Str(7);
  u.position = r.Str(8);
  u.active = r.Text(9) == "active";
  u.must_change_password = r.Bool(10);
  u.extra_json = r.Str(11);
  u.registration_pending = r.Text(12) == "pending";
  return u;
}

// The most common passwords of leaked lists, and the obvious Vietnamese ones.
constexpr std::array<std::string_view, 40> kCommonPasswords = {
    "12345678", "123456789", "1234567890", "password",   "password1", "11111111",  "00000000",
    "88888888", "66666666",  "12341234",   "87654321",   "qwertyui",  "qwerty123", "iloveyou",
    "abc12345", "abcd1234",  "1q2w3e4r",   "123123123",  "11223344",  "asdfghjk",  "zxcvbnm1",
    "admin123", "matkhau1",  "matkhau123", "anhyeuem",   "emyeuanh",  "vietnam1",  "123456a@",
    "a1234567", "11111111a", "passw0rd",   "welcome1",   "sunshine",  "princess",  "football",
    "baseball", "superman",  "qazwsxedc",  "hoithi2021", "12345678a",
};

}  // namespace

std::string SearchKey(std::string_view full_name, std::string_view login, std::string_view phone) {
  std::string text(full_name);
  text += ' ';
  text += login;
  if (phone != login) {
    text += ' ';
    text += phone;
  }
  return core::FoldForSearch(text);
}

std::optional<std::string> NormalizePhone(std::string_view input) {
  std::string digits;
  for (size_t i = 0; i < input.size(); ++i) {
    const char c = input[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && digits.empty() && i == 0) {
      continue;
    } else if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')') {
      continue;
    } else {
      return std::nullopt;
    }
  }
  if (digits.starts_with("84") && digits.size() == 11) digits.replace(0, 2, "0");
  if (digits.size() != 10 || digits[0] != '0' || digits[1] == '0') return std::nullopt;
  return digits;
}

bool LooksLikeEmail(std::string_view e) {
  if (e.size() < 3 || e.size() > 254) return false;
  const auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const auto domain = e.substr(at + 1);
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
  return std::none_of(e.begin(), e.end(), [](char c) {
    return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '<' || c == '>' ||
           static_cast<unsigned char>(c) < 0x20;
  });
}

core::Result<std::map<std::int64_t, PublicName>> PublicNames(store::Connection& conn,
                                                             const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, PublicName> out;
  // In chunks: one statement per 100 ids keeps the prepared-statement cache small.
  for (std::size_t start = 0; start < ids.size(); start += 100) {
    const auto end = std::min(ids.size(), start + 100);
    std::string in;
    std::vector<store::Param> params;
    for (auto i = start; i < end; ++i) {
      params.emplace_back(ids[i]);
      if (!in.empty()) in += ", ";
      in += store::Placeholder(params.size());
    }
    HOITHI_TRY(
        conn.Query("SELECT id, full_name, phone FROM users WHERE id IN (" + in + ")", params,
                   [&](const store::Row& r) {
                     out[r.Int(0)] = PublicName{r.Str(1), r.IsNull(2) ? std::string() : r.Str(2)};
                   }));
  }
  return out;
}

core::Status ValidateLogin(std::string_view login) {
  const bool ok =
      login.size() >= 3 && login.size() <= 64 &&
      std::all_of(login.begin(), login.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      });
  if (!ok) {
    return core::MakeError(ErrorKind::kValidation, "invalid_login",
                           "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, chữ số, dấu "
                           "chấm, gạch dưới hoặc gạch ngang.",
                           "login");
  }
  return core::Ok();
}

core::Status ValidatePassword(std::string_view password) {
  if (!core::IsValidUtf8(password)) {
    return core::MakeError(ErrorKind::kValidation, "invalid_utf8",
                           "Mật khẩu chứa ký tự không hợp lệ.", "password");
  }
  const auto length = core::CodePointCount(password);
  if (length < 8) {
    return core::MakeError(ErrorKind::kValidation, "weak_password",
                           "Mật khẩu phải có ít nhất 8 ký tự.", "password");
  }
  if (password.size() > 128) {
    return core::MakeError(ErrorKind::kValidation, "password_too_long",
                           "Mật khẩu không được dài quá 128 ký tự.", "password");
  }
  const auto lowered = core::AsciiLower(password);
  if (std::find(kCommonPasswords.begin(), kCommonPasswords.end(), lowered) !=
      kCommonPasswords.end()) {
    return core::MakeError(ErrorKind::kValidation, "weak_password",
                           "Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác.",
                           "password");
  }
  return core::Ok();
}

core::Result<std::string> CleanFullName(std::string_view name) {
  if (!core::IsValidUtf8(name)) {
    return core::MakeError(ErrorKind::kValidation, "invalid_utf8",
                           "Họ và tên chứa ký tự không hợp lệ.", "full_name");
  }
  auto cleaned = core::CleanText(name);
  const auto length = core::CodePointCount(cleaned);
  if (length < 2 || length > 100) {
    return core::MakeError(ErrorKind::kValidation, "invalid_full_name",
                           "Họ và tên phải có từ 2 đến 100 ký tự.", "full_name");
  }
  return cleaned;
}

core::Result<std::optional<std::int64_t>> InsertUser(store::Connection& conn, const NewUser& u,
                                                     core::TimePoint now) {
  constexpr std::string_view kInsert =
      "INSERT INTO users (contest_id, login, password_hash, role, unit_id, full_name, phone,"
      " email, position, extra, search_key, must_change_password, password_changed_at,"
      " created_at, updated_at, registration_key, registration_status)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $13, $14, $15)"
      " RETURNING id";
  auto id =
      store::QueryInt(conn, kInsert,
                      {u.contest_id, u.login, u.password_hash, RoleCode(u.role), u.unit_id,
                       u.full_name, u.phone, u.email, u.position, u.extra_json,
                       SearchKey(u.full_name, u.login, u.phone), u.must_change_password,
                       core::ToEpochMs(now), u.registration_key, u.pending ? "pending" : "active"});
  if (!id) {
    if (store::IsDuplicate(id.error())) return std::optional<std::int64_t>();
    return std::move(id).error();
  }
  return std::optional<std::int64_t>(id->value_or(0));
}

core::Error LoginTaken() {
  return core::MakeError(ErrorKind::kConflict, "login_taken",
                         "Tên đăng nhập (hoặc số điện thoại) này đã được dùng.", "login");
}

core::Result<std::optional<User>> FindUserById(store::Connection& conn, std::int64_t id) {
  std::optional<User> out;
  HOITHI_TRY(conn.Query("SELECT " + std::string(kColumns) + " FROM users WHERE id = $1", {id},
                        [&](const store::Row& r) { out = FromRow(r); }));
  return out;
}

core::Result<std::vector<User>> ActiveUsersWithRole(store::Connection& conn,
                                                    std::int64_t contest_id, Role role) {
  std::vector<User> out;
  HOITHI_TRY(conn.Query("SELECT " + std::string(kColumns) +
                            " FROM users WHERE contest_id = $1 AND role = $2 AND status = 'active'"
                            " ORDER BY id",
                        {contest_id, RoleCode(role)},
                        [&](const store::Row& r) { out.push_back(FromRow(r)); }));
  return out;
}

core::Result<std::optional<User>> FindUserByLogin(store::Connection& conn,
                                                  std::optional<std::int64_t> contest_id,
                                                  std::string_view login) {
  std::optional<User> out;
  const std::string sql = "SELECT " + std::string(kColumns) + " FROM users WHERE login = $1 AND " +
                          (contest_id ? "contest_id = $2" : "contest_id IS NULL");
  auto on_row = [&](const store::Row& r) { out = FromRow(r); };
  if (contest_id) {
    HOITHI_TRY(conn.Query(sql, {login, *contest_id}, on_row));
  } else {
    HOITHI_TRY(conn.Query(sql, {login}, on_row));
  }
  return out;
}

core::Result<std::map<std::int64_t, std::int64_t>> CountAccountsByUnit(store::Connection& conn,
                                                                       std::int64_t contest_id,
                                                                       std::string_view role) {
  std::map<std::int64_t, std::int64_t> out;
  HOITHI_TRY(
      conn.Query("SELECT unit_id, COUNT(*) FROM users WHERE contest_id = $1 AND role = $2"
                 " AND unit_id IS NOT NULL AND registration_status = 'active' GROUP BY unit_id",
                 {contest_id, role}, [&](const store::Row& r) { out[r.Int(0)] = r.Int(1); }));
  return out;
}

core::Result<std::optional<std::string>> AccountsUsingUnit(store::Connection& conn,
                                                           std::int64_t unit_id) {
  auto used = store::QueryInt(conn, "SELECT COUNT(*) FROM users WHERE unit_id = $1", {unit_id});
  if (!used) return std::move(used).error();
  if (used->value_or(0) == 0) return std::optional<std::string>();
  return std::optional<std::string>("Đơn vị đã có " + std::to_string(used->value_or(0)) +
                                    " tài khoản nên không xóa được. Hãy chuyển các tài khoản "
                                    "sang đơn vị khác trước.");
}

}  // namespace hoithi::accounts
