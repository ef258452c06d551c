// `hoithi user add`: create an account from the command line (the first administrator, above all).
// The password is asked at the terminal (twice, not echoed) or read from the first line of
// standard input; never taken from the command line, which other users of the machine can read.
#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "accounts/audit_actions.hpp"
#include "accounts/password.hpp"
#include "accounts/users.hpp"
#include "audit/audit_log.hpp"
#include "cli/database.hpp"
#include "contest/contest.hpp"
#include "units/units.hpp"

namespace hoithi::cli {
namespace {

struct UserAddOptions {
  std::string login, password, role, unit, name, contest, phone, email, position;
};

core::Error Invalid(std::string message, std::string field) {
  return core::MakeError(core::ErrorKind::kValidation, "invalid_argument", std::move(message),
                         std::move(field));
}

/// The password: asked twice at a terminal with echo off, else the first line of standard input.
core::Result<std::string> ReadPassword() {
  auto line = [] {
    std::string s;
    std::getline(std::cin, s);
    if (!s.empty() && s.back() == '\r') s.pop_back();
    return s;
  };
  if (!isatty(STDIN_FILENO)) {
    auto password = line();
    if (password.empty()) {
      return Invalid("Không đọc được mật khẩu: hãy gửi mật khẩu ở dòng đầu tiên của đầu vào chuẩn.",
                     "password");
    }
    return password;
  }
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::cerr << "Mật khẩu: " << std::flush;
  const auto first = line();
  std::cerr << "\nNhập lại mật khẩu: " << std::flush;
  const auto second = line();
  std::cerr << "\n";
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  if (first != second) return Invalid("Hai lần nhập mật khẩu không giống nhau.", "password");
  return first;
}

core::Result<std::int64_t> AddUser(store::Database& db, const UserAddOptions& o,
                                   const accounts::PasswordCost& cost) {
  const auto role = accounts::ParseRole(o.role);
  if (!role) {
    return Invalid("--role phải là một trong: admin, secretary, judge, focal_point, participant.",
                   "role");
  }
  std::string login = o.login;
  if (*role == accounts::Role::kParticipant) {
    auto phone = accounts::NormalizePhone(o.login);
    if (!phone) {
      return Invalid(
          "Thí sinh đăng nhập bằng số điện thoại: --login phải là số điện thoại Việt "
          "Nam (10 chữ số, bắt đầu bằng 0, hoặc +84).",
          "login");
    }
    login = *phone;
  } else {
    HOITHI_TRY(accounts::ValidateLogin(login));
  }
  HOITHI_TRY(accounts::ValidatePassword(o.password));
  auto name = accounts::CleanFullName(o.name);
  if (!name) return std::move(name).error();

  // An administrator without --contest manages every contest of the install.
  const bool global = *role == accounts::Role::kAdmin && o.contest.empty();
  std::optional<contest::Contest> contest;
  if (!global) {
    auto lease = db.Read();
    auto found = o.contest.empty() ? contest::CurrentContest(*lease, core::SystemClock().Now())
                                   : contest::FindContestBySlug(*lease, o.contest);
    if (!found) return std::move(found).error();
    if (!*found) {
      return Invalid(o.contest.empty() ? "Chưa có hội thi nào; hãy chỉ rõ --contest hoặc tạo hội "
                                         "thi trước (ví dụ: hoithi seed-demo)."
                                       : "Không có hội thi với mã " + o.contest + ".",
                     "contest");
    }
    contest = **found;
  }
  if (accounts::RoleNeedsUnit(*role) && o.unit.empty()) {
    return Invalid("Vai trò này cần --unit (mã đơn vị, ví dụ so-noi-vu).", "unit");
  }
  if (!o.unit.empty() && !contest) {
    return Invalid("--unit cần một hội thi: thêm --contest.", "unit");
  }

  auto hash = accounts::HashPassword(o.password, cost);
  if (!hash) return std::move(hash).error();

  std::int64_t id = 0;
  const auto now = core::SystemClock().Now();
  HOITHI_TRY(db.WriteAndWait([&](store::Connection& conn) -> core::Status {
    accounts::NewUser u;
    u.contest_id = contest ? std::optional<std::int64_t>(contest->id) : std::nullopt;
    u.login = login;
    u.password_hash = *hash;
    u.role = *role;
    u.full_name = *name;
    u.phone = *role == accounts::Role::kParticipant ? login : o.phone;
    u.email = o.email;
    u.position = o.position;
    if (!o.unit.empty()) {
      auto unit = units::FindUnitByCode(conn, contest->id, o.unit);
      if (!unit) return std::move(unit).error();
      if (!*unit) {
        return Invalid("Không có đơn vị với mã " + o.unit + " trong hội thi " + contest->slug + ".",
                       "unit");
      }
      u.unit_id = (*unit)->id;
    }
    auto inserted = accounts::InsertUser(conn, u, now);
    if (!inserted) return std::move(inserted).error();
    if (!*inserted) return accounts::LoginTaken();
    id = **inserted;
    return audit::Record(
        conn, audit::Actor::Cli(),
        audit::Entry{u.contest_id, accounts::actions::kUserCreate, "user", std::to_string(id),
                     std::nullopt, fmt::format(R"({{"login":"{}","role":"{}"}})", login, o.role)},
        now);
  }));
  return id;
}

}  // namespace

void AddUserCommand(CLI::App& app, Globals& globals) {
  auto* user = app.add_subcommand("user", "Quản lý tài khoản");
  user->require_subcommand(1);
  auto* add = user->add_subcommand(
      "add",
      "Tạo một tài khoản (ví dụ: quản trị viên đầu tiên). Mật khẩu (ít nhất 8 ký tự) được hỏi ở "
      "màn hình, hoặc đọc từ dòng đầu tiên của đầu vào chuẩn; không bao giờ ghi trên dòng lệnh");
  auto o = std::make_shared<UserAddOptions>();
  add->add_option("--login", o->login, "Tên đăng nhập (thí sinh: số điện thoại)")->required();
  add->add_option("--role", o->role, "admin | secretary | judge | focal_point | participant")
      ->required();
  add->add_option("--name", o->name, "Họ và tên")->required();
  add->add_option("--unit", o->unit, "Mã đơn vị (bắt buộc với focal_point và participant)");
  add->add_option("--contest", o->contest,
                  "Mã hội thi (mặc định: hội thi hiện tại; admin không có --contest quản lý mọi "
                  "hội thi)");
  add->add_option("--phone", o->phone, "Số điện thoại");
  add->add_option("--email", o->email, "Thư điện tử");
  add->add_option("--position", o->position, "Chức vụ, vị trí công tác");
  add->callback([&globals, o] {
    auto config = LoadConfigOrReport(globals);
    if (!config) return;
    auto db = OpenDatabaseOrReport(*config, globals, nullptr);
    if (!db) return;
    accounts::InitCrypto();
    auto password = ReadPassword();
    if (!password) {
      ReportError(password.error());
      globals.exit_code = kExitUsage;
      return;
    }
    o->password = std::move(*password);
    auto id = AddUser(*db, *o, PasswordCostFrom(*config));
    if (!id) {
      ReportError(id.error());
      globals.exit_code = id.error().kind == core::ErrorKind::kValidation ||
                                  id.error().kind == core::ErrorKind::kConflict
                              ? kExitUsage
                              : kExitFailure;
      return;
    }
    std::cout << "Đã tạo tài khoản " << o->login << " (mã " << *id << ").\n";
  });
}

}  // namespace hoithi::cli
