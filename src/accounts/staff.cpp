// Account lists and administration.
#include "accounts/staff.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "accounts/audit_actions.hpp"
#include "accounts/roster.hpp"
#include "audit/audit_log.hpp"
#include "core/text.hpp"
#include "store/paged_query.hpp"
#include "units/units.hpp"

namespace hoithi::accounts {
namespace {

using core::ErrorKind;
using nlohmann::json;

json Snapshot(const User& u, const std::string& unit_code) {
  return {{"login", u.login},      {"full_name", u.full_name}, {"role", RoleCode(u.role)},
          {"unit", unit_code},     {"active", u.active},       {"email", u.email},
          {"position", u.position}};
}

core::Error NotFound() {
  return core::MakeError(ErrorKind::kNotFound, "not_found", "Không tìm thấy tài khoản.");
}

core::Error Invalid(std::string code, std::string message, std::string field) {
  auto e = core::MakeError(ErrorKind::kValidation, std::move(code), message, field);
  e.fields = {{e.field, e.message}};
  return e;
}

/// The unit id for `code` in the contest, or an error naming the field.
core::Result<std::optional<std::int64_t>> UnitIdFor(store::Connection& c,
                                                    std::optional<std::int64_t> contest_id,
                                                    const std::string& code) {
  if (code.empty()) return std::optional<std::int64_t>();
  if (!contest_id) {
    return Invalid("unknown_unit", "Tài khoản quản trị chung không gắn với đơn vị.", "unit_code");
  }
  auto unit = units::FindUnitByCode(c, *contest_id, code);
  if (!unit) return std::move(unit).error();
  if (!*unit) return Invalid("unknown_unit", "Không có đơn vị với mã " + code + ".", "unit_code");
  return std::optional<std::int64_t>((*unit)->id);
}

std::string UnitCodeOf(store::Connection& c, std::optional<std::int64_t> unit_id) {
  if (!unit_id) return {};
  auto unit = units::FindUnitById(c, *unit_id);
  return unit && *unit ? (*unit)->code : std::string();
}

}  // namespace

core::Result<UserPage> SearchUsers(store::Connection& conn, const UserQuery& q) {
  store::Filter filter;
  if (q.contest_id) {
    filter.Where("(u.contest_id = " + filter.NextPlaceholder() +
                     (q.include_global ? " OR u.contest_id IS NULL)" : ")"),
                 {*q.contest_id});
  }
  filter.Contains("u.search_key", core::IsValidUtf8(q.q) ? core::FoldForSearch(q.q) : "");
  if (q.role) filter.Equals("u.role", std::string(RoleCode(*q.role)));
  if (q.unit_id) filter.Equals("u.unit_id", *q.unit_id);
  UserPage page;
  store::Paging paging{q.page, q.per_page};
  const store::PageQuery query{
      "u.id, u.contest_id, u.login, u.role, u.unit_id, u.full_name, u.phone, u.email,"
      " u.position, u.status, u.must_change_password, u.created_at",
      "users u", "", "u.full_name, u.id"};
  auto total = store::ReadPage(conn, query, filter, paging, [&](const store::Row& r) {
    UserListItem item;
    item.user.id = r.Int(0);
    item.user.contest_id = r.OptInt(1);
    item.user.login = r.Str(2);
    item.user.role = ParseRole(r.Text(3)).value_or(Role::kParticipant);
    item.user.unit_id = r.OptInt(4);
    item.user.full_name = r.Str(5);
    item.user.phone = r.Str(6);
    item.user.email = r.Str(7);
    item.user.position = r.Str(8);
    item.user.active = r.Text(9) == "active";
    item.user.must_change_password = r.Bool(10);
    item.created_at = core::FromEpochMs(r.Int(11));
    page.items.push_back(std::move(item));
  });
  if (!total) return std::move(total).error();
  page.total = *total;
  page.page = paging.page;
  page.per_page = paging.per_page;
  // The units of the page, through the units module (a page names a few at most).
  std::map<std::int64_t, std::optional<units::Unit>> unit_of;
  for (auto& item : page.items) {
    if (!item.user.unit_id) continue;
    auto [it, fresh] = unit_of.try_emplace(*item.user.unit_id);
    if (fresh) {
      auto unit = units::FindUnitById(conn, *item.user.unit_id);
      if (!unit) return std::move(unit).error();
      it->second = std::move(*unit);
    }
    if (it->second) {
      item.unit_code = it->second->code;
      item.unit_name = it->second->name;
    }
  }
  return page;
}

StaffService::StaffService(store::Database& db, AuthService& auth, const core::Clock& clock)
    : db_(db), auth_(auth), clock_(clock) {}

core::Status StaffService::CheckScope(const SignedIn& actor, const User& target) {
  switch (actor.role) {
    case Role::kAdmin:
      if (!actor.contest_id) return core::Ok();  // install-wide: everyone
      if (target.contest_id == actor.contest_id) return core::Ok();
      return NotFound();
    case Role::kFocalPoint:
      if (target.role == Role::kParticipant && target.contest_id == actor.contest_id &&
          target.unit_id && target.unit_id == actor.unit_id) {
        return core::Ok();
      }
      return NotFound();
    default:
      return NotFound();
  }
}

void StaffService::Create(const SignedIn& actor, std::optional<std::int64_t> contest_id,
                          StaffInput in, ClientInfo client, Callback<CreatedUser> done) {
  if (actor.role != Role::kAdmin) {
    return done(
        core::MakeError(ErrorKind::kForbidden, "forbidden", "Chỉ Ban Tổ chức được tạo tài khoản."));
  }
  if (actor.contest_id) contest_id = actor.contest_id;  // an organiser stays in their contest
  if (!contest_id && in.role != Role::kAdmin) {
    return done(Invalid("no_contest", "Hãy chọn hội thi cho tài khoản này.", "contest"));
  }
  std::vector<std::pair<std::string, std::string>> problems;
  if (in.role == Role::kParticipant) {
    if (auto phone = NormalizePhone(in.login.empty() ? in.phone : in.login)) {
      in.login = *phone;
      in.phone = *phone;
    } else {
      problems.emplace_back("login", "Thí sinh đăng nhập bằng số điện thoại: số không hợp lệ.");
    }
  } else {
    in.login = core::AsciiLower(in.login);
    if (auto st = ValidateLogin(in.login); !st) problems.emplace_back("login", st.error().message);
    if (!in.phone.empty()) {
      if (auto phone = NormalizePhone(in.phone)) {
        in.phone = *phone;
      } else {
        problems.emplace_back("phone", "Số điện thoại không hợp lệ.");
      }
    }
  }
  if (auto name = CleanFullName(in.full_name)) {
    in.full_name = *name;
  } else {
    problems.emplace_back("full_name", name.error().message);
  }
  in.email = core::IsValidUtf8(in.email) ? core::AsciiLower(core::CleanText(in.email)) : "x";
  if (!in.email.empty() && !LooksLikeEmail(in.email)) {
    problems.emplace_back("email", "Địa chỉ thư điện tử không hợp lệ.");
  }
  if (!core::IsValidUtf8(in.position) || core::CodePointCount(in.position) > 200) {
    problems.emplace_back("position", "Chức vụ không hợp lệ hoặc dài quá 200 ký tự.");
  }
  in.position = core::IsValidUtf8(in.position) ? core::CleanText(in.position) : "";
  if (RoleNeedsUnit(in.role) && in.unit_code.empty()) {
    problems.emplace_back("unit_code", "Vai trò này cần chọn đơn vị.");
  }
  std::string initial;
  if (in.password.empty()) {
    initial = GeneratePassword();
    in.password = initial;
  } else if (auto st = ValidatePassword(in.password); !st) {
    problems.emplace_back("password", st.error().message);
  }
  if (!problems.empty()) {
    auto e = Invalid("invalid_user", problems.front().second, problems.front().first);
    e.fields = problems;
    return done(e);
  }
  auto task = [this, actor, contest_id, in = std::move(in), initial, client, done]() mutable {
    auto hash = HashPassword(in.password, auth_.options().cost);
    if (!hash) return done(std::move(hash).error());
    auto created = std::make_shared<CreatedUser>();
    const auto now = clock_.Now();
    db_.Write(
        [=, hash = *hash](store::Connection& c) -> core::Status {
          auto unit_id = UnitIdFor(c, contest_id, in.unit_code);
          if (!unit_id) return std::move(unit_id).error();
          NewUser u;
          u.contest_id = contest_id;
          u.login = in.login;
          u.password_hash = hash;
          u.role = in.role;
          u.unit_id = *unit_id;
          u.full_name = in.full_name;
          u.phone = in.phone;
          u.email = in.email;
          u.position = in.position;
          u.must_change_password = !initial.empty();
          auto inserted = InsertUser(c, u, now);
          if (!inserted) return std::move(inserted).error();
          if (!*inserted) {
            return Invalid("login_taken", "Tên đăng nhập này đã được dùng.", "login");
          }
          const auto id = *inserted;
          created->user_id = *id;
          created->login = in.login;
          created->initial_password = initial;
          User snapshot;
          snapshot.login = u.login;
          snapshot.full_name = u.full_name;
          snapshot.role = u.role;
          snapshot.email = u.email;
          snapshot.position = u.position;
          return audit::Record(
              c, audit::Actor{actor.user_id, actor.login, client.ip},
              audit::Entry{contest_id, actions::kUserCreate, "user", std::to_string(*id),
                           std::nullopt, Snapshot(snapshot, in.unit_code).dump()},
              now);
        },
        [created, done](const core::Status& st) {
          if (!st) return done(st.error());
          done(std::move(*created));
        });
  };
  if (!auth_.hash_pool().TrySubmit(std::move(task))) {
    auto e = core::MakeError(ErrorKind::kTooManyRequests, "busy",
                             "Hệ thống đang bận. Vui lòng thử lại sau vài giây.");
    e.retry_after_s = 3;
    done(e);
  }
}

void StaffService::Update(const SignedIn& actor, std::int64_t user_id, UserPatch patch,
                          ClientInfo client, Callback<User> done) {
  if (actor.role != Role::kAdmin) {
    return done(core::MakeError(ErrorKind::kForbidden, "forbidden",
                                "Chỉ Ban Tổ chức được thay đổi tài khoản."));
  }
  if (user_id == actor.user_id &&
      ((patch.active && !*patch.active) || (patch.role && *patch.role != Role::kAdmin))) {
    return done(core::MakeError(ErrorKind::kConflict, "self_lockout",
                                "Bạn không thể tự khóa hoặc tự hạ quyền tài khoản của mình."));
  }
  if (patch.full_name) {
    auto name = CleanFullName(*patch.full_name);
    if (!name) return done(std::move(name).error());
    patch.full_name = *name;
  }
  if (patch.email) {
    *patch.email =
        core::IsValidUtf8(*patch.email) ? core::AsciiLower(core::CleanText(*patch.email)) : "x";
    if (!patch.email->empty() && !LooksLikeEmail(*patch.email)) {
      return done(Invalid("invalid_email", "Địa chỉ thư điện tử không hợp lệ.", "email"));
    }
  }
  if (patch.position) {
    if (!core::IsValidUtf8(*patch.position) || core::CodePointCount(*patch.position) > 200) {
      return done(
          Invalid("invalid_position", "Chức vụ không hợp lệ hoặc dài quá 200 ký tự.", "position"));
    }
    patch.position = core::CleanText(*patch.position);
  }
  const auto now = clock_.Now();
  auto updated = std::make_shared<User>();
  auto end_sessions = std::make_shared<bool>(false);
  db_.Write(
      [=](store::Connection& c) -> core::Status {
        auto found = FindUserById(c, user_id);
        if (!found) return std::move(found).error();
        if (!*found) return NotFound();
        HOITHI_TRY(CheckScope(actor, **found));
        User u = **found;
        const std::string old_unit = UnitCodeOf(c, u.unit_id);
        const json before = Snapshot(u, old_unit);
        std::string unit_code = old_unit;
        if (patch.role) {
          if (*patch.role != u.role) *end_sessions = true;
          u.role = *patch.role;
        }
        if (patch.unit_code) {
          auto unit_id = UnitIdFor(c, u.contest_id, *patch.unit_code);
          if (!unit_id) return std::move(unit_id).error();
          u.unit_id = *unit_id;
          unit_code = *patch.unit_code;
        }
        if (RoleNeedsUnit(u.role) && !u.unit_id) {
          return Invalid("unit_required", "Vai trò này cần chọn đơn vị.", "unit_code");
        }
        if (u.role == Role::kAdmin && !u.contest_id && u.unit_id) u.unit_id.reset();
        if (patch.active) {
          if (!*patch.active && u.active) *end_sessions = true;
          u.active = *patch.active;
        }
        if (patch.full_name) u.full_name = *patch.full_name;
        if (patch.email) u.email = *patch.email;
        if (patch.position) u.position = *patch.position;
        auto r = c.Exec(
            "UPDATE users SET role = $2, unit_id = $3, status = $4, full_name = $5, email = $6,"
            " position = $7, search_key = $8, updated_at = $9 WHERE id = $1",
            {user_id, RoleCode(u.role), u.unit_id, u.active ? "active" : "disabled", u.full_name,
             u.email, u.position, SearchKey(u.full_name, u.login, u.phone), core::ToEpochMs(now)});
        if (!r) return std::move(r).error();
        if (*end_sessions) {
          auto revoked = RevokeUserSessions(c, user_id, now);
          if (!revoked) return std::move(revoked).error();
        }
        *updated = u;
        const bool role_changed = before["role"] != RoleCode(u.role);
        const audit::Action action = role_changed                       ? actions::kRoleChange
                                     : (patch.active && !*patch.active) ? actions::kUserDisable
                                     : (patch.active && *patch.active)  ? actions::kUserEnable
                                                                        : actions::kUserUpdate;
        return audit::Record(c, audit::Actor{actor.user_id, actor.login, client.ip},
                             audit::Entry{u.contest_id, action, "user", std::to_string(user_id),
                                          before.dump(), Snapshot(u, unit_code).dump()},
                             now);
      },
      [this, updated, end_sessions, user_id, done](const core::Status& st) {
        if (!st) return done(st.error());
        auth_.ForgetUser(user_id);
        done(std::move(*updated));
      });
}

void StaffService::ResetPassword(const SignedIn& actor, std::int64_t user_id, ClientInfo client,
                                 Callback<std::string> done) {
  auto task = [this, actor, user_id, client, done]() {
    const std::string password = GeneratePassword();
    auto hash = HashPassword(password, auth_.options().cost);
    if (!hash) return done(std::move(hash).error());
    const auto now = clock_.Now();
    db_.Write(
        [=, hash = *hash](store::Connection& c) -> core::Status {
          auto found = FindUserById(c, user_id);
          if (!found) return std::move(found).error();
          if (!*found) return NotFound();
          HOITHI_TRY(CheckScope(actor, **found));
          auto r = c.Exec(
              "UPDATE users SET password_hash = $2, must_change_password = 1,"
              " password_changed_at = $3, updated_at = $3 WHERE id = $1",
              {user_id, hash, core::ToEpochMs(now)});
          if (!r) return std::move(r).error();
          auto revoked = RevokeUserSessions(c, user_id, now);
          if (!revoked) return std::move(revoked).error();
          return audit::Record(c, audit::Actor{actor.user_id, actor.login, client.ip},
                               audit::Entry{(*found)->contest_id, actions::kPasswordReset, "user",
                                            std::to_string(user_id), std::nullopt, std::nullopt},
                               now);
        },
        [this, user_id, password, done](const core::Status& st) {
          if (!st) return done(st.error());
          auth_.ForgetUser(user_id);
          done(password);
        });
  };
  if (!auth_.hash_pool().TrySubmit(task)) {
    auto e = core::MakeError(ErrorKind::kTooManyRequests, "busy",
                             "Hệ thống đang bận. Vui lòng thử lại sau vài giây.");
    e.retry_after_s = 3;
    done(e);
  }
}

}  // namespace hoithi::accounts
