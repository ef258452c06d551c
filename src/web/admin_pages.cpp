// The organisers' screens (/quan-tri...): accounts with search and paging, creating staff,
// changing roles and status, resetting passwords; units with import and export; the audit log;
// the registration settings. Every action goes through the same services as the JSON API.
#include "web/admin_pages.hpp"

#include "accounts/auth_service.hpp"
#include "accounts/users.hpp"
#include "accounts/verification.hpp"
#include "audit/audit_log.hpp"
#include "contest/settings.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"
#include "units/units.hpp"

namespace hoithi::web {
namespace {

using http::ClientOf;
using http::Who;

using accounts::Role;
using http::Access;
using http::Method;
using kainjow::mustache::list;

Data Base(const http::Request& req) {
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  return d;
}

list RoleOptions(std::string_view selected, bool with_participant) {
  list out;
  for (auto r :
       {Role::kAdmin, Role::kSecretary, Role::kJudge, Role::kFocalPoint, Role::kParticipant}) {
    if (r == Role::kParticipant && !with_participant) continue;
    Data o;
    o.set("value", std::string(accounts::RoleCode(r)));
    o.set("label", std::string(accounts::RoleLabel(r)));
    o.set("selected", accounts::RoleCode(r) == selected);
    out.push_back(o);
  }
  return out;
}

list UnitOptions(const std::vector<units::Unit>& units, std::string_view selected) {
  list out;
  for (const auto& u : units) {
    Data o;
    o.set("value", u.code);
    o.set("label", u.name);
    o.set("selected", u.code == selected);
    out.push_back(o);
  }
  return out;
}

// --- /quan-tri -----------------------------------------------------------------------------------

void Dashboard(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  Data d = Base(req);
  d.set("is_admin", Who(req).role == Role::kAdmin);
  if (contest) {
    d.set("contest_name", contest->name);
    auto lease = deps.db.Read();
    accounts::UserQuery q;
    q.contest_id = contest->id;
    q.role = Role::kParticipant;
    q.per_page = 1;
    auto participants = accounts::SearchUsers(*lease, q);
    auto units = units::ListUnits(*lease, contest->id);
    if (participants) d.set("participants", core::FormatThousands(participants->total));
    if (units) d.set("units", std::to_string(units->size()));
    // Registrations outside a roster wait for their unit's focal point (contest setting).
    auto pending = accounts::CountPendingByUnit(*lease, contest->id);
    if (pending && units && !pending->empty()) {
      std::int64_t total = 0;
      list rows;
      for (const auto& u : *units) {
        const auto it = pending->find(u.id);
        if (it == pending->end()) continue;
        total += it->second;
        Data r;
        r.set("name", u.name);
        r.set("count", core::FormatThousands(it->second));
        rows.push_back(r);
      }
      d.set("pending_total", core::FormatThousands(total));
      d.set("pending_units", rows);
    }
  }
  res.Send(PageResponse(deps, req, 200, "admin_home", d, "Quản trị"));
}

// --- tài khoản -----------------------------------------------------------------------------------

core::Result<Data> UsersData(const AdminPageDeps& deps, const http::Request& req,
                             const http::FormFields& typed) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return contest.error();
  const auto& who = Who(req);
  accounts::UserQuery q;
  q.contest_id = contest->id;
  q.include_global = !who.contest_id;
  q.q = req.QueryParam("q").value_or("");
  const auto role = req.QueryParam("role").value_or("");
  const auto unit = req.QueryParam("unit").value_or("");
  if (!role.empty()) q.role = accounts::ParseRole(role);
  auto lease = deps.db.Read();
  auto units = units::ListUnits(*lease, contest->id);
  if (!units) return std::move(units).error();
  if (!unit.empty()) {
    q.unit_id = -1;
    for (const auto& u : *units) {
      if (u.code == unit) q.unit_id = u.id;
    }
  }
  q.page = http::PageOf(req).page;
  q.per_page = 50;
  auto page = accounts::SearchUsers(*lease, q);
  if (!page) return std::move(page).error();
  Data d = Base(req);
  d.set("q", q.q);
  d.set("role_options", RoleOptions(role, true));
  d.set("unit_options", UnitOptions(*units, unit));
  d.set("new_role_options", RoleOptions(http::FieldValue(typed, "role"), true));
  d.set("new_unit_options", UnitOptions(*units, http::FieldValue(typed, "unit_code")));
  for (const char* f : {"login", "full_name", "email", "phone", "position"}) {
    d.set(std::string("v_") + f, http::FieldValue(typed, f));
  }
  list rows;
  for (const auto& item : page->items) {
    Data r;
    r.set("id", std::to_string(item.user.id));
    r.set("full_name", item.user.full_name);
    r.set("login", item.user.login);
    r.set("role_label", std::string(accounts::RoleLabel(item.user.role)));
    r.set("unit_name", item.unit_name);
    r.set("active", item.user.active);
    rows.push_back(r);
  }
  d.set("users", rows);
  d.set("has_users", !rows.empty());
  d.set("pager_html",
        PagerHtml(deps.views, "/quan-tri/tai-khoan", {{"q", q.q}, {"role", role}, {"unit", unit}},
                  page->page, page->per_page, page->total));
  return d;
}

void Users(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  auto d = UsersData(deps, req, {});
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "admin_users", *d, "Tài khoản"));
}

void CreateUser(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto fields = http::UrlEncodedFields(req);
  const auto contest = WorkingContest(deps, req);
  accounts::StaffInput in;
  in.login = http::FieldValue(fields, "login");
  in.full_name = http::FieldValue(fields, "full_name");
  in.unit_code = http::FieldValue(fields, "unit_code");
  in.phone = http::FieldValue(fields, "phone");
  in.email = http::FieldValue(fields, "email");
  in.position = http::FieldValue(fields, "position");
  http::Request* request = &req;
  auto fail = [deps, request, res, fields](const core::Error& e) {
    auto d = UsersData(deps, *request, fields);
    if (!d) return res.SendError(d.error());
    SetFormErrors(*d, e);
    d->set("has_errors", true);
    res.Send(
        PageResponse(deps, *request, http::HttpStatus(e.kind), "admin_users", *d, "Tài khoản"));
  };
  const auto role = accounts::ParseRole(http::FieldValue(fields, "role"));
  if (!role) {
    return fail(core::MakeError(core::ErrorKind::kValidation, "invalid_role",
                                "Vui lòng chọn vai trò.", "role"));
  }
  in.role = *role;
  std::optional<std::int64_t> contest_id;
  if (contest) contest_id = contest->id;
  deps.staff.Create(
      Who(req), contest_id, std::move(in), ClientOf(req),
      [deps, request, res, fail](core::Result<accounts::CreatedUser> r) {
        if (!r) return fail(r.error());
        Data d = Base(*request);
        d.set("login", r->login);
        d.set("user_url", "/quan-tri/tai-khoan/" + std::to_string(r->user_id));
        SetIfPresent(d, "password", r->initial_password);
        d.set("heading", "Đã tạo tài khoản");
        res.Send(PageResponse(deps, *request, 201, "password_issued", d, "Đã tạo tài khoản"));
      });
}

core::Result<Data> UserData(const AdminPageDeps& deps, const http::Request& req) {
  const auto id = req.IdParam("id");
  auto lease = deps.db.Read();
  auto user = id ? accounts::FindUserById(*lease, *id)
                 : core::Result<std::optional<accounts::User>>(std::optional<accounts::User>());
  if (!user) return std::move(user).error();
  if (!*user)
    return core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy tài khoản.");
  HOITHI_TRY(accounts::StaffService::CheckScope(Who(req), **user));
  const auto& u = **user;
  std::string unit_code;
  std::vector<units::Unit> units;
  if (u.contest_id) {
    auto all = units::ListUnits(*lease, *u.contest_id);
    if (!all) return std::move(all).error();
    units = std::move(*all);
    for (const auto& x : units) {
      if (u.unit_id && x.id == *u.unit_id) unit_code = x.code;
    }
  }
  Data d = Base(req);
  d.set("id", std::to_string(u.id));
  d.set("login", u.login);
  d.set("full_name", u.full_name);
  d.set("email", u.email);
  d.set("position", u.position);
  d.set("active", u.active);
  d.set("is_self", u.id == Who(req).user_id);
  d.set("participant", u.role == Role::kParticipant);
  d.set("role_options", RoleOptions(accounts::RoleCode(u.role), true));
  d.set("unit_options", UnitOptions(units, unit_code));
  if (req.QueryParam("saved")) d.set("notice", "Đã lưu thay đổi.");
  return d;
}

void UserPage(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  auto d = UserData(deps, req);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "admin_user", *d, "Tài khoản"));
}

void UpdateUser(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto id = req.IdParam("id");
  if (!id)
    return res.SendError(
        core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy tài khoản."));
  const auto fields = http::UrlEncodedFields(req);
  accounts::UserPatch patch;
  patch.full_name = http::FieldValue(fields, "full_name");
  patch.email = http::FieldValue(fields, "email");
  patch.position = http::FieldValue(fields, "position");
  patch.unit_code = http::FieldValue(fields, "unit_code");
  patch.role = accounts::ParseRole(http::FieldValue(fields, "role"));
  patch.active = http::FieldValue(fields, "active") == "1";
  http::Request* request = &req;
  deps.staff.Update(Who(req), *id, std::move(patch), ClientOf(req),
                    [deps, request, res, id](core::Result<accounts::User> r) {
                      if (r) {
                        return res.Send(http::Response::Redirect("/quan-tri/tai-khoan/" +
                                                                 std::to_string(*id) + "?saved=1"));
                      }
                      auto d = UserData(deps, *request);
                      if (!d) return res.SendError(d.error());
                      SetFormErrors(*d, r.error());
                      d->set("has_errors", true);
                      res.Send(PageResponse(deps, *request, http::HttpStatus(r.error().kind),
                                            "admin_user", *d, "Tài khoản"));
                    });
}

/// Shows a freshly generated password once.
void ShowIssuedPassword(const AdminPageDeps& deps, http::Request* request, http::Responder res,
                        core::Result<std::string> r, std::string back_url) {
  if (!r) return res.SendError(r.error());
  Data d = Base(*request);
  d.set("heading", "Đã cấp lại mật khẩu");
  d.set("password", *r);
  d.set("user_url", std::move(back_url));
  res.Send(PageResponse(deps, *request, 200, "password_issued", d, "Cấp lại mật khẩu"));
}

void ResetUserPassword(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto id = req.IdParam("id");
  if (!id)
    return res.SendError(
        core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy tài khoản."));
  http::Request* request = &req;
  deps.staff.ResetPassword(Who(req), *id, ClientOf(req),
                           [deps, request, res, id](core::Result<std::string> r) {
                             ShowIssuedPassword(deps, request, res, std::move(r),
                                                "/quan-tri/tai-khoan/" + std::to_string(*id));
                           });
}

// --- đơn vị --------------------------------------------------------------------------------------

core::Result<Data> UnitsData(const AdminPageDeps& deps, const http::Request& req) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return contest.error();
  auto lease = deps.db.Read();
  auto units = units::ListUnits(*lease, contest->id);
  if (!units) return std::move(units).error();
  auto counts = accounts::CountAccountsByUnit(*lease, contest->id, "participant");
  if (!counts) return std::move(counts).error();
  Data d = Base(req);
  d.set("is_admin", Who(req).role == Role::kAdmin);
  list rows;
  for (const auto& u : *units) {
    Data r;
    r.set("code", u.code);
    r.set("name", u.name);
    r.set("group_label", std::string(units::UnitGroupLabel(u.group)));
    r.set("headcount", u.headcount ? core::FormatThousands(*u.headcount) : "—");
    const auto it = counts->find(u.id);
    r.set("participants", core::FormatThousands(it == counts->end() ? 0 : it->second));
    rows.push_back(r);
  }
  d.set("units", rows);
  d.set("unit_count", std::to_string(units->size()));
  return d;
}

void Units(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  auto d = UnitsData(deps, req);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "admin_units", *d, "Đơn vị"));
}

units::Unit UnitFromForm(const http::FormFields& f) {
  units::Unit u;
  u.code = http::FieldValue(f, "code");
  u.name = http::FieldValue(f, "name");
  u.group = http::FieldValue(f, "group");
  u.contact_name = http::FieldValue(f, "contact_name");
  u.contact_phone = http::FieldValue(f, "contact_phone");
  u.contact_email = http::FieldValue(f, "contact_email");
  const auto headcount = http::FieldValue(f, "headcount");
  if (!headcount.empty() && headcount.size() < 8 &&
      headcount.find_first_not_of("0123456789") == std::string::npos) {
    u.headcount = std::stoi(headcount);
  }
  return u;
}

void CreateUnit(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto fields = http::UrlEncodedFields(req);
  http::Request* request = &req;
  deps.units.Create(http::ActorOf(req), contest->id, UnitFromForm(fields),
                    [deps, request, res, fields](core::Result<units::Unit> r) {
                      if (r) return res.Send(http::Response::Redirect("/quan-tri/don-vi"));
                      auto d = UnitsData(deps, *request);
                      if (!d) return res.SendError(d.error());
                      SetFormErrors(*d, r.error());
                      d->set("has_errors", true);
                      for (const char* f : {"code", "name", "group", "headcount"}) {
                        d->set(std::string("v_") + f, http::FieldValue(fields, f));
                      }
                      res.Send(PageResponse(deps, *request, http::HttpStatus(r.error().kind),
                                            "admin_units", *d, "Đơn vị"));
                    });
}

void ImportUnits(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto form = ReadImportForm(req);
  if (!form) return res.SendError(form.error());
  http::Request* request = &req;
  deps.units.Import(
      http::ActorOf(req), contest->id, form->file, form->dry_run, form->skip_invalid,
      [deps, request, res, dry_run = form->dry_run](core::Status st,
                                                    spreadsheet::ImportReport report) {
        Data d = Base(*request);
        SetImportReport(d, st, report, dry_run);
        res.Send(PageResponse(deps, *request, st ? 200 : http::HttpStatus(st.error().kind),
                              "admin_units_import", d, "Nhập danh sách đơn vị"));
      });
}

core::Result<Data> UnitEditData(const AdminPageDeps& deps, const http::Request& req) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return contest.error();
  auto lease = deps.db.Read();
  auto unit = units::FindUnitByCode(*lease, contest->id, req.Param("unit"));
  if (!unit) return std::move(unit).error();
  if (!*unit)
    return core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy đơn vị.");
  const auto& u = **unit;
  Data d = Base(req);
  d.set("code", u.code);
  d.set("name", u.name);
  d.set("group", u.group);
  d.set("headcount", u.headcount ? std::to_string(*u.headcount) : "");
  d.set("contact_name", u.contact_name);
  d.set("contact_phone", u.contact_phone);
  d.set("contact_email", u.contact_email);
  if (req.QueryParam("saved")) d.set("notice", "Đã lưu thay đổi.");
  return d;
}

void UnitEdit(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  auto d = UnitEditData(deps, req);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "admin_unit", *d, "Sửa đơn vị"));
}

void UpdateUnit(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto unit = UnitFromForm(http::UrlEncodedFields(req));
  unit.code = std::string(req.Param("unit"));
  http::Request* request = &req;
  deps.units.Update(
      http::ActorOf(req), contest->id, std::move(unit),
      [deps, request, res](core::Result<units::Unit> r) {
        if (r) {
          return res.Send(http::Response::Redirect(
              "/quan-tri/don-vi/" + std::string(request->Param("unit")) + "?saved=1"));
        }
        auto d = UnitEditData(deps, *request);
        if (!d) return res.SendError(d.error());
        SetFormErrors(*d, r.error());
        d->set("has_errors", true);
        res.Send(PageResponse(deps, *request, http::HttpStatus(r.error().kind), "admin_unit", *d,
                              "Sửa đơn vị"));
      });
}

void DeleteUnit(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  deps.units.Delete(http::ActorOf(req), contest->id, std::string(req.Param("unit")),
                    [res](core::Status st) {
                      if (!st) return res.SendError(st.error());
                      res.Send(http::Response::Redirect("/quan-tri/don-vi"));
                    });
}

// --- nhật ký -------------------------------------------------------------------------------------

void AuditLog(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto& who = Who(req);
  const auto contest = WorkingContest(deps, req);
  const std::string tz = contest ? contest->time_zone : std::string(core::kDefaultTimeZone);
  audit::Query q;
  if (who.contest_id) q.contest_id = who.contest_id;
  // A code the catalogue knows filters exactly; anything else as a prefix ("auth.").
  const auto action = req.QueryParam("action").value_or("");
  const auto& known = deps.actions.all();
  if (std::any_of(known.begin(), known.end(),
                  [&](const audit::Action& a) { return a.code == action; })) {
    q.action = action;
  } else {
    q.action_prefix = action;
  }
  q.actor = req.QueryParam("actor").value_or("");
  const auto from = req.QueryParam("from").value_or("");
  const auto to = req.QueryParam("to").value_or("");
  Data d = Base(req);
  auto parse_day = [&](const std::string& text, int add_days) -> std::optional<core::TimePoint> {
    int day = 0, month = 0, year = 0;
    if (std::sscanf(text.c_str(), "%2d/%2d/%4d", &day, &month, &year) != 3) return std::nullopt;
    auto t = core::LocalToUtc(year, month, day, 0, 0, tz);
    if (t) *t += std::chrono::days(add_days);
    return t;
  };
  if (!from.empty()) {
    q.from = parse_day(from, 0);
    if (!q.from) d.set("err_from", "Ngày phải có dạng dd/mm/yyyy.");
  }
  if (!to.empty()) {
    q.to = parse_day(to, 1);  // "to" is inclusive for the person: up to the end of that day
    if (!q.to) d.set("err_to", "Ngày phải có dạng dd/mm/yyyy.");
  }
  q.page = http::PageOf(req).page;
  auto lease = deps.db.Read();
  auto page = audit::Search(*lease, q);
  if (!page) return res.SendError(page.error());
  list rows;
  for (const auto& r : page->rows) {
    Data row;
    row.set("at", core::FormatTimestamp(r.at, tz));
    row.set("actor", r.actor);
    row.set("ip", r.ip);
    row.set("action", std::string(deps.actions.Label(r.action)));
    row.set("target", r.target_type.empty() ? "" : r.target_type + " " + r.target_id);
    row.set("before", r.before_json.value_or(""));
    row.set("after", r.after_json.value_or(""));
    rows.push_back(row);
  }
  d.set("rows", rows);
  d.set("has_rows", !rows.empty());
  // The filter lists every action the modules declare (audit::ActionCatalogue), by its label.
  list actions;
  Data all;
  all.set("value", std::string());
  all.set("label", std::string("Tất cả"));
  all.set("selected", q.action.empty() && q.action_prefix.empty());
  actions.push_back(all);
  for (const auto& declared : deps.actions.all()) {
    Data a;
    a.set("value", std::string(declared.code));
    a.set("label", std::string(declared.label));
    a.set("selected", declared.code == q.action);
    actions.push_back(a);
  }
  d.set("actions", actions);
  d.set("actor", q.actor);
  d.set("from", from);
  d.set("to", to);
  d.set("pager_html",
        PagerHtml(deps.views, "/quan-tri/nhat-ky",
                  {{"action", action}, {"actor", q.actor}, {"from", from}, {"to", to}}, page->page,
                  page->per_page, page->total));
  res.Send(PageResponse(deps, req, 200, "admin_audit", d, "Nhật ký hệ thống"));
}

// --- cài đặt đăng ký -----------------------------------------------------------------------------

core::Result<Data> SettingsData(const http::Request& req, const contest::Contest& contest) {
  Data d = Base(req);
  list fields;
  for (const auto& f : contest.settings->registration_fields) {
    Data row;
    row.set("key", f.key);
    row.set("label", f.label);
    row.set("kind", std::string(contest::FieldKindLabel(f.kind)));
    row.set("required", f.required);
    row.set("unique", f.unique);
    fields.push_back(row);
  }
  d.set("fields", fields);
  d.set("has_fields", !fields.empty());
  d.set("mode_roster", contest.settings->registration_mode == contest::RegistrationMode::kRoster);
  if (req.QueryParam("saved")) d.set("notice", "Đã lưu cài đặt đăng ký.");
  list kinds;
  for (auto k : {contest::FieldKind::kText, contest::FieldKind::kIdCard, contest::FieldKind::kDate,
                 contest::FieldKind::kGender}) {
    Data o;
    o.set("value", std::string(contest::FieldKindCode(k)));
    o.set("label", std::string(contest::FieldKindLabel(k)));
    kinds.push_back(o);
  }
  d.set("kinds", kinds);
  return d;
}

void Settings(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  auto d = SettingsData(req, *contest);
  if (!d) return res.SendError(d.error());
  res.Send(PageResponse(deps, req, 200, "admin_settings", *d, "Cài đặt đăng ký"));
}

/// Saves the registration fields after `change` edits them (the fields as stored, inside the
/// write); back to the settings page.
void ChangeFields(const AdminPageDeps& deps, http::Request& req, http::Responder res,
                  contest::SettingsService::FieldsEdit change) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  http::Request* request = &req;
  deps.settings.EditRegistrationFields(
      http::ActorOf(req), contest->id, std::move(change),
      [deps, request, res,
       contest = *contest](core::Result<std::vector<contest::RegistrationField>> saved) {
        if (saved) return res.Send(http::Response::Redirect("/quan-tri/cai-dat"));
        auto d = SettingsData(*request, contest);
        if (!d) return res.SendError(d.error());
        SetFormErrors(*d, saved.error());
        d->set("has_errors", true);
        res.Send(PageResponse(deps, *request, http::HttpStatus(saved.error().kind),
                              "admin_settings", *d, "Cài đặt đăng ký"));
      });
}

void SetMode(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = WorkingContest(deps, req);
  if (!contest) return res.SendError(contest.error());
  const auto f = http::UrlEncodedFields(req);
  const auto mode = contest::ParseRegistrationMode(http::FieldValue(f, "mode"));
  if (!mode) {
    auto e =
        core::MakeError(core::ErrorKind::kValidation, "invalid_mode",
                        "Chọn một cách đăng ký: tự do, hoặc đối chiếu danh sách đơn vị.", "mode");
    e.fields = {{e.field, e.message}};
    return res.SendError(e);
  }
  deps.settings.SetRegistrationMode(
      http::ActorOf(req), contest->id, *mode, [res](core::Result<contest::RegistrationMode> r) {
        if (!r) return res.SendError(r.error());
        res.Send(http::Response::Redirect("/quan-tri/cai-dat?saved=1"));
      });
}

void AddField(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const auto form = http::UrlEncodedFields(req);
  contest::RegistrationField f;
  f.key = http::FieldValue(form, "key");
  f.label = http::FieldValue(form, "label");
  const auto kind = http::FieldValue(form, "kind");
  for (auto k : {contest::FieldKind::kText, contest::FieldKind::kIdCard, contest::FieldKind::kDate,
                 contest::FieldKind::kGender}) {
    if (contest::FieldKindCode(k) == kind) f.kind = k;
  }
  f.required = http::FieldValue(form, "required") == "1";
  f.unique = http::FieldValue(form, "unique") == "1";
  ChangeFields(deps, req, std::move(res),
               [f](const std::vector<contest::RegistrationField>& stored) {
                 auto fields = stored;
                 fields.push_back(f);
                 return core::Result<std::vector<contest::RegistrationField>>(std::move(fields));
               });
}

void RemoveField(const AdminPageDeps& deps, http::Request& req, http::Responder res) {
  const std::string key(req.Param("key"));
  ChangeFields(
      deps, req, std::move(res), [key](const std::vector<contest::RegistrationField>& stored) {
        auto fields = stored;
        std::erase_if(fields, [&](const contest::RegistrationField& f) { return f.key == key; });
        return core::Result<std::vector<contest::RegistrationField>>(std::move(fields));
      });
}

}  // namespace

void RegisterAdminPages(http::Router& router, const AdminPageDeps& deps) {
  const auto admin = Access::Roles({Role::kAdmin});
  const auto staff = Access::Roles({Role::kAdmin, Role::kSecretary});
  router.Add(Method::kGet, "/quan-tri", staff, Bind(deps, Dashboard));
  router.Add(Method::kGet, "/quan-tri/tai-khoan", admin, Bind(deps, Users));
  router.Add(Method::kPost, "/quan-tri/tai-khoan", admin, Bind(deps, CreateUser));
  router.Add(Method::kGet, "/quan-tri/tai-khoan/{id}", admin, Bind(deps, UserPage));
  router.Add(Method::kPost, "/quan-tri/tai-khoan/{id}", admin, Bind(deps, UpdateUser));
  router.Add(Method::kPost, "/quan-tri/tai-khoan/{id}/cap-lai-mat-khau", admin,
             Bind(deps, ResetUserPassword));
  router.Add(Method::kGet, "/quan-tri/don-vi", staff, Bind(deps, Units));
  router.Add(Method::kPost, "/quan-tri/don-vi", admin, Bind(deps, CreateUnit));
  router.Add(Method::kPost, "/quan-tri/don-vi/nhap", admin, Bind(deps, ImportUnits));
  router.Add(Method::kGet, "/quan-tri/don-vi/{unit}", admin, Bind(deps, UnitEdit));
  router.Add(Method::kPost, "/quan-tri/don-vi/{unit}", admin, Bind(deps, UpdateUnit));
  router.Add(Method::kPost, "/quan-tri/don-vi/{unit}/xoa", admin, Bind(deps, DeleteUnit));
  router.Add(Method::kGet, "/quan-tri/nhat-ky", admin, Bind(deps, AuditLog));
  router.Add(Method::kGet, "/quan-tri/cai-dat", admin, Bind(deps, Settings));
  router.Add(Method::kPost, "/quan-tri/cai-dat/truong", admin, Bind(deps, AddField));
  router.Add(Method::kPost, "/quan-tri/cai-dat/che-do", admin, Bind(deps, SetMode));
  router.Add(Method::kPost, "/quan-tri/cai-dat/truong/{key}/xoa", admin, Bind(deps, RemoveField));
}

}  // namespace hoithi::web
