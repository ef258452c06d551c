// Roster checks, the import job and the sealing of initial passwords (libsodium secretbox).
#include "accounts/roster.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "accounts/audit_actions.hpp"
#include "accounts/registration.hpp"
#include "accounts/users.hpp"
#include "accounts/verification.hpp"
#include "core/text.hpp"
#include "units/units.hpp"

namespace hoithi::accounts {
namespace {

using core::ErrorKind;
using nlohmann::json;

enum class Column { kName, kPhone, kEmail, kPosition, kBirthDate };

/// The column a header cell names, by its folded words ("Số điện thoại" -> "so dien thoai").
std::optional<Column> HeaderColumn(const std::string& cell) {
  std::string folded = core::IsValidUtf8(cell) ? core::FoldForSearch(cell) : cell;
  for (auto& c : folded) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) c = ' ';
  }
  folded = core::CleanText(folded);
  static const std::map<std::string, Column> kAliases = {
      {"ho ten", Column::kName},
      {"ho va ten", Column::kName},
      {"hoten", Column::kName},
      {"ten", Column::kName},
      {"full name", Column::kName},
      {"name", Column::kName},
      {"so dien thoai", Column::kPhone},
      {"dien thoai", Column::kPhone},
      {"sdt", Column::kPhone},
      {"so dt", Column::kPhone},
      {"phone", Column::kPhone},
      {"dien thoai di dong", Column::kPhone},
      {"email", Column::kEmail},
      {"e mail", Column::kEmail},
      {"thu dien tu", Column::kEmail},
      {"dia chi email", Column::kEmail},
      {"chuc vu", Column::kPosition},
      {"vi tri", Column::kPosition},
      {"chuc danh", Column::kPosition},
      {"chuc vu vi tri", Column::kPosition},
      {"vi tri cong tac", Column::kPosition},
      {"position", Column::kPosition},
      {"ngay sinh", Column::kBirthDate},
      {"ngay thang nam sinh", Column::kBirthDate},
      {"sinh ngay", Column::kBirthDate},
      {"birth date", Column::kBirthDate},
      {"date of birth", Column::kBirthDate},
  };
  const auto it = kAliases.find(folded);
  if (it == kAliases.end()) return std::nullopt;
  return it->second;
}

/// Excel keeps a phone typed as a number without its leading 0 ("912345678").
std::string RestoreLeadingZero(std::string phone) {
  if (phone.size() == 9 && phone.find_first_not_of("0123456789") == std::string::npos &&
      phone[0] != '0') {
    return "0" + phone;
  }
  return phone;
}

std::string SealKeyMismatch() {
  return "Không mở được danh sách mật khẩu.";
}

}  // namespace

std::string GeneratePassword() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string out;
  for (int i = 0; i < 12; ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  }
  return out;
}

core::Result<RosterCheck> CheckRoster(store::Connection& conn, std::int64_t contest_id,
                                      const std::vector<spreadsheet::Row>& rows,
                                      bool create_accounts) {
  if (rows.empty()) {
    return core::MakeError(ErrorKind::kValidation, "empty_file", "Tệp không có dữ liệu.", "file");
  }
  std::map<Column, std::size_t> columns;
  for (std::size_t i = 0; i < rows.front().cells.size(); ++i) {
    if (auto c = HeaderColumn(rows.front().cells[i]); c && !columns.count(*c)) columns[*c] = i;
  }
  if (!columns.count(Column::kName) || !columns.count(Column::kPhone)) {
    return core::MakeError(
        ErrorKind::kValidation, "bad_header",
        "Dòng đầu tiên của tệp phải là tiêu đề, có ít nhất các cột \"Họ tên\" và "
        "\"Số điện thoại\" (có thể thêm \"Email\", \"Chức vụ\").",
        "file");
  }
  auto cell = [&](const spreadsheet::Row& r, Column c) -> std::string {
    const auto it = columns.find(c);
    return it != columns.end() && it->second < r.cells.size() ? r.cells[it->second] : std::string();
  };

  RosterCheck check;
  std::map<std::string, int> first_row_of_phone;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    ++check.data_rows;
    std::vector<std::string> problems;
    RosterEntry e;
    e.row = r.number;
    if (auto name = CleanFullName(cell(r, Column::kName))) {
      e.full_name = *name;
    } else {
      problems.push_back(cell(r, Column::kName).empty() ? "thiếu họ tên" : "họ tên không hợp lệ");
    }
    const auto raw_phone = core::IsValidUtf8(cell(r, Column::kPhone))
                               ? core::CleanText(cell(r, Column::kPhone))
                               : std::string();
    if (auto phone = NormalizePhone(RestoreLeadingZero(raw_phone))) {
      e.phone = *phone;
    } else {
      problems.push_back(raw_phone.empty() ? "thiếu số điện thoại"
                                           : "số điện thoại \"" + raw_phone + "\" không hợp lệ");
    }
    const auto email = cell(r, Column::kEmail);
    if (!email.empty()) {
      e.email = core::IsValidUtf8(email) ? core::AsciiLower(core::CleanText(email)) : email;
      if (!LooksLikeEmail(e.email)) problems.push_back("email không hợp lệ");
    }
    const auto birth = core::IsValidUtf8(cell(r, Column::kBirthDate))
                           ? core::CleanText(cell(r, Column::kBirthDate))
                           : std::string();
    if (!birth.empty()) {
      int d = 0, m = 0, y = 0;
      char tail = 0;
      if (std::sscanf(birth.c_str(), "%2d/%2d/%4d%c", &d, &m, &y, &tail) == 3 && d >= 1 &&
          d <= 31 && m >= 1 && m <= 12 && y >= 1900 && y <= 2100) {
        e.birth_date = fmt::format("{:02}/{:02}/{:04}", d, m, y);
      } else {
        problems.push_back("ngày sinh \"" + birth + "\" không đúng dạng dd/mm/yyyy");
      }
    }
    const auto position = cell(r, Column::kPosition);
    if (!core::IsValidUtf8(position) || core::CodePointCount(position) > 200) {
      problems.push_back("chức vụ không hợp lệ hoặc dài quá 200 ký tự");
    } else {
      e.position = core::CleanText(position);
    }
    if (problems.empty()) {
      const auto [it, fresh] = first_row_of_phone.emplace(e.phone, e.row);
      if (!fresh) {
        problems.push_back("số điện thoại trùng với dòng " + std::to_string(it->second));
      } else {
        auto existing = FindUserByLogin(conn, contest_id, e.phone);
        if (!existing) return std::move(existing).error();
        if (*existing) {
          ++check.already_registered;
          if (create_accounts) {
            problems.push_back("số điện thoại " + e.phone + " đã có tài khoản trong hội thi");
          }
        }
      }
    }
    if (problems.empty()) {
      check.accepted.push_back(std::move(e));
    } else {
      std::string reason;
      for (const auto& p : problems)
        reason += (reason.empty() ? "" : "; ") + p;
      reason[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(reason[0])));
      check.rejected.push_back({r.number, reason + "."});
    }
  }
  return check;
}

json RosterPreview(const RosterCheck& check) {
  json rejected = json::array();
  for (const auto& r : check.rejected)
    rejected.push_back({{"row", r.row}, {"reason", r.reason}});
  return {{"rows", check.data_rows},
          {"valid", check.accepted.size()},
          {"already_registered", check.already_registered},
          {"rejected", rejected}};
}

std::string RosterPayload(std::int64_t contest_id, std::int64_t unit_id, const RosterCheck& check,
                          const audit::Actor& actor, bool create_accounts) {
  json rows = json::array();
  for (const auto& e : check.accepted) {
    rows.push_back({{"row", e.row},
                    {"full_name", e.full_name},
                    {"phone", e.phone},
                    {"email", e.email},
                    {"position", e.position},
                    {"birth_date", e.birth_date}});
  }
  json j = {{"contest_id", contest_id},
            {"unit_id", unit_id},
            {"headcount", static_cast<int>(check.accepted.size()) +
                              (create_accounts ? check.already_registered : 0)},
            {"create_accounts", create_accounts},
            {"actor",
             {{"user_id", actor.user_id ? json(*actor.user_id) : json(nullptr)},
              {"label", actor.label},
              {"ip", actor.ip}}},
            {"rows", rows},
            {"preview", RosterPreview(check)}};
  return j.dump();
}

core::Result<std::string> ImportRoster(
    store::Database& db, const core::Clock& clock, const PasswordCost& cost,
    std::string_view seal_key, const std::string& payload,
    const std::function<void(int, int)>& progress,
    const std::function<core::Status(store::Connection&)>& still_held) {
  const json p = json::parse(payload, nullptr, false);
  if (p.is_discarded() || !p.contains("rows")) {
    return core::MakeError(ErrorKind::kInternal, "bad_payload", "Dữ liệu công việc bị hỏng.");
  }
  const auto contest_id = p["contest_id"].get<std::int64_t>();
  const auto unit_id = p["unit_id"].get<std::int64_t>();
  const auto headcount = p["headcount"].get<int>();
  const bool create_accounts = p.value("create_accounts", true);
  audit::Actor actor;
  if (p["actor"]["user_id"].is_number()) actor.user_id = p["actor"]["user_id"].get<std::int64_t>();
  actor.label = p["actor"]["label"].get<std::string>();
  actor.ip = p["actor"]["ip"].get<std::string>();

  struct Prepared {
    RosterEntry entry;
    std::string password;
    std::string hash;
  };
  std::vector<Prepared> people;
  const int total = static_cast<int>(p["rows"].size());
  for (const auto& r : p["rows"]) {
    Prepared x;
    x.entry = RosterEntry{r["row"].get<int>(),
                          r["full_name"].get<std::string>(),
                          r["phone"].get<std::string>(),
                          r["email"].get<std::string>(),
                          r["position"].get<std::string>(),
                          r.value("birth_date", "")};
    if (!create_accounts) {  // only the list: nothing to hash
      people.push_back(std::move(x));
      continue;
    }
    x.password = GeneratePassword();
    auto hash = HashPassword(x.password, cost);
    if (!hash) return std::move(hash).error();
    x.hash = std::move(*hash);
    people.push_back(std::move(x));
    progress(static_cast<int>(people.size()), total);
  }

  const auto now = clock.Now();
  std::string conflict;
  auto st = db.WriteAndWait([&](store::Connection& c) -> core::Status {
    if (still_held) HOITHI_TRY(still_held(c));
    std::vector<RosterEntry> entries;
    for (const auto& x : people)
      entries.push_back(x.entry);
    HOITHI_TRY(ReplaceRosterEntries(c, contest_id, unit_id, entries, now));
    for (const auto& x : people) {
      if (!create_accounts) break;
      NewUser u;
      u.contest_id = contest_id;
      u.login = x.entry.phone;
      u.password_hash = x.hash;
      u.role = Role::kParticipant;
      u.unit_id = unit_id;
      u.full_name = x.entry.full_name;
      u.phone = x.entry.phone;
      u.email = x.entry.email;
      u.position = x.entry.position;
      u.must_change_password = true;
      auto id = InsertUser(c, u, now);
      if (!id) return std::move(id).error();
      if (!*id) {
        conflict = x.entry.phone;
        return LoginTaken();
      }
    }
    HOITHI_TRY(units::SetHeadcount(c, unit_id, static_cast<int>(headcount), now));
    return audit::Record(c, actor,
                         audit::Entry{contest_id, actions::kRosterImport, "unit",
                                      std::to_string(unit_id), std::nullopt,
                                      json{{"created", create_accounts ? people.size() : 0},
                                           {"listed", people.size()},
                                           {"headcount", headcount}}
                                          .dump()},
                         now);
  });
  if (!st) {
    if (!conflict.empty()) {
      return core::MakeError(
          ErrorKind::kConflict, "phone_taken",
          "Số điện thoại " + conflict +
              " vừa được đăng ký trong lúc nhập danh sách nên không tài khoản nào "
              "được tạo. Vui lòng tải tệp lên lại.");
    }
    return std::move(st).error();
  }

  // The preview stays in the result: the job's page shows what the file held.
  const auto preview = p.value("preview", json::object());
  if (!create_accounts) {
    return json{
        {"created", 0}, {"listed", people.size()}, {"headcount", headcount}, {"preview", preview}}
        .dump();
  }
  json accounts = json::array();
  json secrets = json::array();
  for (const auto& x : people) {
    accounts.push_back(
        {{"row", x.entry.row}, {"full_name", x.entry.full_name}, {"login", x.entry.phone}});
    secrets.push_back(x.password);
  }
  const std::string plain = secrets.dump();
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), out,
                        reinterpret_cast<const unsigned char*>(seal_key.data()));
  std::string b64(sodium_base64_ENCODED_LEN(sealed.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), out, sealed.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::char_traits<char>::length(b64.c_str()));
  return json{{"created", people.size()},
              {"headcount", headcount},
              {"accounts", accounts},
              {"sealed_passwords", b64},
              {"preview", preview}}
      .dump();
}

core::Result<std::vector<InitialPassword>> UnsealPasswords(std::string_view result_json,
                                                           std::string_view seal_key) {
  const json r = json::parse(result_json, nullptr, false);
  if (r.is_discarded() || !r.contains("sealed_passwords") || !r["sealed_passwords"].is_string()) {
    return core::MakeError(ErrorKind::kNotFound, "passwords_forgotten",
                           "Danh sách mật khẩu ban đầu đã được xóa khỏi hệ thống. Đầu mối có thể "
                           "cấp lại mật khẩu cho từng người.");
  }
  const auto b64 = r["sealed_passwords"].get<std::string>();
  std::string sealed(b64.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(sealed.data()), sealed.size(), b64.data(),
                        b64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return core::MakeError(ErrorKind::kInternal, "bad_seal", SealKeyMismatch());
  }
  const auto* in = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 in + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, in,
                                 reinterpret_cast<const unsigned char*>(seal_key.data())) != 0) {
    return core::MakeError(ErrorKind::kInternal, "bad_seal", SealKeyMismatch());
  }
  const json passwords = json::parse(plain, nullptr, false);
  std::vector<InitialPassword> out;
  const auto& accounts = r["accounts"];
  for (std::size_t i = 0; i < accounts.size() && i < passwords.size(); ++i) {
    out.push_back({accounts[i]["row"].get<int>(), accounts[i]["full_name"].get<std::string>(),
                   accounts[i]["login"].get<std::string>(), passwords[i].get<std::string>()});
  }
  return out;
}

core::Result<std::string> InitialPasswordsXlsx(const std::vector<InitialPassword>& passwords) {
  spreadsheet::Sheet sheet;
  sheet.name = "Mat khau ban dau";
  sheet.header = {"Dòng", "Họ và tên", "Tên đăng nhập (số điện thoại)", "Mật khẩu ban đầu"};
  sheet.widths = {8, 32, 30, 22};
  for (const auto& p : passwords) {
    sheet.rows.push_back({static_cast<long long>(p.row), p.full_name, p.login, p.password});
  }
  return spreadsheet::WriteXlsx(sheet);
}

std::string ForgetPasswords(std::string_view result_json) {
  json r = json::parse(result_json, nullptr, false);
  if (r.is_discarded()) return std::string(result_json);
  r.erase("sealed_passwords");
  r["passwords_forgotten"] = true;
  return r.dump();
}

}  // namespace hoithi::accounts
