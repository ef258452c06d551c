// Pages of one's own account: đăng nhập, đăng xuất, đăng ký, hồ sơ, đổi mật khẩu. Each works
// without JavaScript: a GET shows the form, a POST (with its CSRF token) acts and redirects, or
// shows the form again with the problems beside their fields.
#include "web/account_pages.hpp"

#include <nlohmann/json.hpp>

#include "accounts/users.hpp"
#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"
#include "units/units.hpp"

namespace hoithi::web {
namespace {

using http::ClientOf;

using http::Access;
using http::Method;
using http::RateLimited;
using kainjow::mustache::list;

std::chrono::seconds Lifetime(const AccountPageDeps& deps) {
  return std::chrono::duration_cast<std::chrono::seconds>(deps.auth.options().session_lifetime);
}

http::Response SignedInRedirect(const AccountPageDeps& deps, const http::Request& req,
                                const accounts::SessionGrant& grant, const std::string& next) {
  auto r = http::Response::Redirect(next);
  if (!grant.device_token.empty()) {
    r.With("Set-Cookie", http::DeviceCookie(grant.device_token, req.secure));
  }
  r.With("Set-Cookie", http::SessionCookie(grant.token, Lifetime(deps), req.secure));
  return r;
}

// --- đăng nhập -----------------------------------------------------------------------------------

/// Where staff land after signing in without a page to return to: their own work (the
/// organisers and the secretary the administration, a focal point their unit, a judge the
/// videos to score); participants the home page, which leads to the quiz.
std::string WorkOf(const accounts::SignedIn& who) {
  switch (who.role) {
    case accounts::Role::kAdmin:
    case accounts::Role::kSecretary:
      return "/quan-tri";
    case accounts::Role::kFocalPoint:
      return who.unit_code.empty() ? "/" : "/don-vi/" + who.unit_code;
    case accounts::Role::kJudge:
      return "/cham-diem";
    case accounts::Role::kParticipant:
      return "/";
  }
  return "/";
}

Data LoginData(const http::Request& req, const std::string& login, const std::string& next) {
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("v_login", login);
  d.set("next", next);
  return d;
}

void LoginForm(const AccountPageDeps& deps, http::Request& req, http::Responder res) {
  const auto next = http::SafeNext(req.QueryParam("next").value_or("/"));
  if (http::ViewerOf(req).user) return res.Send(http::Response::Redirect(next));
  res.Send(PageResponse(deps, req, 200, "login", LoginData(req, "", next), "Đăng nhập"));
}

void LoginSubmit(const AccountPageDeps& deps, http::Request& req, http::Responder res) {
  const auto fields = http::UrlEncodedFields(req);
  const auto login = http::FieldValue(fields, "login");
  const auto next = http::SafeNext(http::FieldValue(fields, "next"));
  auto fail = [deps, &req, res, login, next](const core::Error& e) {
    auto data = LoginData(req, login, next);
    SetFormErrors(data, e);
    auto r = PageResponse(deps, req, http::HttpStatus(e.kind), "login", data, "Đăng nhập");
    r.RetryAfter(e.retry_after_s);
    res.Send(std::move(r));
  };
  if (login.empty() || http::FieldValue(fields, "password").empty()) {
    return fail(core::MakeError(core::ErrorKind::kValidation, "required",
                                "Vui lòng nhập tên đăng nhập và mật khẩu."));
  }
  std::optional<std::int64_t> contest_id;
  if (auto c = deps.current.Get()) contest_id = c->id;
  // The request lives as long as the responder; the callback may outlive this frame.
  http::Request* request = &req;
  deps.auth.Login({contest_id, login, http::FieldValue(fields, "password"), ClientOf(req),
                   std::string(req.Cookie(http::kDeviceCookie))},
                  [deps, request, res, login, next](core::Result<accounts::SessionGrant> r) {
                    if (r) {
                      return res.Send(SignedInRedirect(deps, *request, *r,
                                                       next == "/" ? WorkOf(r->who) : next));
                    }
                    auto data = LoginData(*request, login, next);
                    SetFormErrors(data, r.error());
                    auto page = PageResponse(deps, *request, http::HttpStatus(r.error().kind),
                                             "login", data, "Đăng nhập");
                    page.RetryAfter(r.error().retry_after_s);
                    res.Send(std::move(page));
                  });
}

void Logout(const AccountPageDeps& deps, http::Request& req, http::Responder res) {
  deps.auth.Logout(*http::ViewerOf(req).user, ClientOf(req),
                   [res, secure = req.secure](const core::Status& st) {
                     if (!st) return res.SendError(st.error());
                     auto r = http::Response::Redirect("/");
                     r.With("Set-Cookie", http::ExpiredSessionCookie(secure));
                     res.Send(std::move(r));
                   });
}

// --- đăng ký -------------------------------------------------------------------------------------

/// The registration form's data: units grouped for the select, the contest's further fields,
/// and what the person typed last time (passwords excepted).
core::Result<Data> RegisterData(const AccountPageDeps& deps, const http::Request& req,
                                const contest::Contest& contest, const http::FormFields& typed,
                                const std::optional<core::Error>& error) {
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("closed", contest::PhaseAt(contest, deps.clock.Now()) == contest::Phase::kClosed);
  for (const char* f : {"full_name", "phone", "email", "position"}) {
    d.set(std::string("v_") + f, http::FieldValue(typed, f));
  }
  // One key per filled-in form: a double click or a resend of the same form creates one account.
  const auto key = http::FieldValue(typed, "idempotency_key");
  d.set("idempotency_key", key.empty() ? accounts::NewRegistrationKey() : key);
  const auto chosen = http::FieldValue(typed, "unit_code");
  auto lease = deps.db.Read();
  auto units = units::ListUnits(*lease, contest.id);
  if (!units) return std::move(units).error();
  list groups;
  std::string current_group;
  list current_units;
  auto flush = [&] {
    if (current_group.empty()) return;
    Data g;
    g.set("label", std::string(units::UnitGroupLabel(current_group)));
    g.set("units", current_units);
    groups.push_back(g);
    current_units = list();
  };
  for (const auto& u : *units) {
    if (u.group != current_group) {
      flush();
      current_group = u.group;
    }
    Data unit;
    unit.set("code", u.code);
    unit.set("name", u.name);
    unit.set("selected", u.code == chosen);
    current_units.push_back(unit);
  }
  flush();
  d.set("unit_groups", groups);

  list extra;
  for (const auto& f : contest.settings->registration_fields) {
    Data field;
    field.set("key", f.key);
    field.set("label", f.label);
    field.set("required", f.required);
    field.set("is_gender", f.kind == contest::FieldKind::kGender);
    field.set("is_id_card", f.kind == contest::FieldKind::kIdCard);
    field.set("is_date", f.kind == contest::FieldKind::kDate);
    const auto value = http::FieldValue(typed, f.key);
    field.set("value", value);
    list choices;
    for (const auto& c : contest::GenderChoices()) {
      Data choice;
      choice.set("value", c);
      choice.set("selected", c == value);
      choices.push_back(choice);
    }
    field.set("choices", choices);
    if (error) {
      for (const auto& [name, message] : error->fields) {
        if (name == f.key) field.set("error", message);
      }
    }
    extra.push_back(field);
  }
  d.set("extra_fields", extra);
  if (error) {
    SetFormErrors(d, *error);
    d.set("has_errors", true);
  }
  return d;
}

core::Error NoContest() {
  return core::MakeError(core::ErrorKind::kNotFound, "no_contest",
                         "Chưa có hội thi nào đang nhận đăng ký.");
}

void RegisterForm(const AccountPageDeps& deps, http::Request& req, http::Responder res) {
  if (http::ViewerOf(req).user) return res.Send(http::Response::Redirect("/ho-so"));
  const auto contest = deps.current.Get();
  if (!contest) return res.SendError(NoContest());
  auto data = RegisterData(deps, req, *contest, {}, std::nullopt);
  if (!data) return res.SendError(data.error());
  res.Send(PageResponse(deps, req, 200, "register", *data, "Đăng ký dự thi"));
}

void RegisterSubmit(const AccountPageDeps& deps, http::Request& req, http::Responder res) {
  const auto contest = deps.current.Get();
  if (!contest) return res.SendError(NoContest());
  auto fields = http::UrlEncodedFields(req);
  accounts::RegistrationInput input;
  input.full_name = http::FieldValue(fields, "full_name");
  input.phone = http::FieldValue(fields, "phone");
  input.email = http::FieldValue(fields, "email");
  input.unit_code = http::FieldValue(fields, "unit_code");
  input.position = http::FieldValue(fields, "position");
  input.password = http::FieldValue(fields, "password");
  input.idempotency_key = http::FieldValue(fields, "idempotency_key");
  for (const auto& f : contest->settings->registration_fields) {
    input.extra[f.key] = http::FieldValue(fields, f.key);
  }
  const auto password = input.password;
  http::Request* request = &req;
  deps.registration.Register(
      *contest, std::move(input), ClientOf(req),
      [deps, request, res, contest = *contest, fields,
       password](core::Result<accounts::Registered> r) {
        if (!r) {
          auto data = RegisterData(deps, *request, contest, fields, r.error());
          if (!data) return res.SendError(data.error());
          return res.Send(PageResponse(deps, *request, http::HttpStatus(r.error().kind), "register",
                                       *data, "Đăng ký dự thi"));
        }
        // Registered: sign in at once, as the person would do next anyway.
        deps.auth.Login({contest.id, r->login, password, ClientOf(*request),
                         std::string(request->Cookie(http::kDeviceCookie))},
                        [deps, request, res](core::Result<accounts::SessionGrant> g) {
                          if (!g) return res.Send(http::Response::Redirect("/dang-nhap"));
                          res.Send(SignedInRedirect(deps, *request, *g, "/ho-so?moi=1"));
                        });
      });
}

// --- hồ sơ, đổi mật khẩu -------------------------------------------------------------------------

void Profile(const AccountPageDeps& deps, http::Request& req, http::Responder res) {
  const auto& who = *http::ViewerOf(req).user;
  auto lease = deps.db.Read();
  auto user = accounts::FindUserById(*lease, who.user_id);
  if (!user) return res.SendError(user.error());
  if (!*user)
    return res.SendError(
        core::MakeError(core::ErrorKind::kNotFound, "not_found", "Không tìm thấy tài khoản."));
  const auto& u = **user;
  Data d;
  d.set("full_name", u.full_name);
  d.set("login", u.login);
  d.set("role_label", std::string(accounts::RoleLabel(u.role)));
  SetIfPresent(d, "phone", u.phone);
  SetIfPresent(d, "email", u.email);
  SetIfPresent(d, "position", u.position);
  if (u.unit_id) {
    auto unit = units::FindUnitById(*lease, *u.unit_id);
    if (unit && *unit) d.set("unit_name", (*unit)->name);
  }
  list extra;
  if (u.contest_id) {
    auto contest = contest::FindContestById(*lease, *u.contest_id);
    if (contest && *contest) {
      const auto values = nlohmann::json::parse(u.extra_json, nullptr, false);
      if (values.is_object()) {
        for (const auto& f : (*contest)->settings->registration_fields) {
          if (!values.contains(f.key) || !values[f.key].is_string()) continue;
          Data item;
          item.set("label", f.label);
          item.set("value", values[f.key].get<std::string>());
          extra.push_back(item);
        }
      }
    }
  }
  d.set("extra", extra);
  if (req.QueryParam("moi")) {
    d.set("notice", "Đăng ký thành công. Chào mừng bạn đến với hội thi!");
    // The next step after registering is the quiz (a registration still waiting for its unit
    // is told so on the quiz's page).
    d.set("welcome", who.role == accounts::Role::kParticipant);
  }
  if (req.QueryParam("doi-mat-khau")) d.set("notice", "Đã đổi mật khẩu.");
  res.Send(PageResponse(deps, req, 200, "profile", d, "Hồ sơ của tôi"));
}

Data PasswordData(const http::Request& req) {
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  d.set("must_change", http::ViewerOf(req).user->must_change_password);
  return d;
}

void PasswordForm(const AccountPageDeps& deps, http::Request& req, http::Responder res) {
  res.Send(PageResponse(deps, req, 200, "password", PasswordData(req), "Đổi mật khẩu"));
}

void PasswordSubmit(const AccountPageDeps& deps, http::Request& req, http::Responder res) {
  const auto fields = http::UrlEncodedFields(req);
  const auto replacement = http::FieldValue(fields, "new_password");
  http::Request* request = &req;
  auto fail = [deps, request, res](const core::Error& e) {
    auto data = PasswordData(*request);
    SetFormErrors(data, e);
    data.set("has_errors", true);
    res.Send(
        PageResponse(deps, *request, http::HttpStatus(e.kind), "password", data, "Đổi mật khẩu"));
  };
  if (replacement != http::FieldValue(fields, "confirm_password")) {
    return fail(core::MakeError(core::ErrorKind::kValidation, "mismatch",
                                "Hai lần nhập mật khẩu mới không khớp nhau.", "confirm_password"));
  }
  deps.auth.ChangePassword(
      *http::ViewerOf(req).user, http::FieldValue(fields, "current_password"), replacement,
      ClientOf(req), [deps, request, res, fail](core::Result<accounts::SessionGrant> g) {
        if (!g) return fail(g.error());
        res.Send(SignedInRedirect(deps, *request, *g, "/ho-so?doi-mat-khau=1"));
      });
}

}  // namespace

void RegisterAccountPages(http::Router& router, const AccountPageDeps& deps) {
  router.Add(Method::kGet, "/dang-nhap", Access::Anyone(), Bind(deps, LoginForm));
  router.Add(Method::kPost, "/dang-nhap", Access::Anyone().Limited(RateLimited::kLogin),
             Bind(deps, LoginSubmit));
  router.Add(Method::kPost, "/dang-xuat", Access::SignedIn().BeforePasswordChange(),
             Bind(deps, Logout));
  router.Add(Method::kGet, "/dang-ky", Access::Anyone(), Bind(deps, RegisterForm));
  router.Add(Method::kPost, "/dang-ky", Access::Anyone().Limited(RateLimited::kRegistration),
             Bind(deps, RegisterSubmit));
  router.Add(Method::kGet, "/ho-so", Access::SignedIn(), Bind(deps, Profile));
  router.Add(Method::kGet, "/doi-mat-khau", Access::SignedIn().BeforePasswordChange(),
             Bind(deps, PasswordForm));
  router.Add(Method::kPost, "/doi-mat-khau", Access::SignedIn().BeforePasswordChange(),
             Bind(deps, PasswordSubmit));
}

}  // namespace hoithi::web
