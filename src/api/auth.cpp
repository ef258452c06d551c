// Handlers of the authentication and registration endpoints: parse, call accounts, serialize.
#include "api/auth.hpp"

#include "api/common.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/forms.hpp"
#include "units/units.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using http::RateLimited;
using nlohmann::json;

core::Error Required(const char* field, const char* message) {
  auto e = core::MakeError(core::ErrorKind::kValidation, "required", message, field);
  e.fields = {{field, message}};
  return e;
}

/// The session answer shared by login and password change: token in the body and in a cookie.
http::Response GrantResponse(const accounts::SessionGrant& grant, std::chrono::seconds lifetime,
                             bool secure) {
  json body = {{"token", grant.token},
               {"expires_at", core::FormatRfc3339(grant.who.expires_at)},
               {"user", UserJson(grant.who)}};
  if (!grant.device_token.empty()) body["device_token"] = grant.device_token;
  auto r = JsonResponse(200, body);
  if (!grant.device_token.empty()) {
    r.With("Set-Cookie", http::DeviceCookie(grant.device_token, secure));
  }
  r.With("Set-Cookie", http::SessionCookie(grant.token, lifetime, secure));
  return r;
}

void Login(const AuthApiDeps& deps, http::Request& req, http::Responder res) {
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto login = http::JsonString(*body, "login");
  auto password = http::JsonString(*body, "password");
  auto slug = http::JsonString(*body, "contest");
  // A device token: the cookie a browser keeps, or the one an API client kept from its last login.
  auto device = http::JsonString(*body, "device_token");
  if (!device) return res.SendError(device.error());
  if (device->empty()) *device = std::string(req.Cookie(http::kDeviceCookie));
  if (!login) return res.SendError(login.error());
  if (!password) return res.SendError(password.error());
  if (!slug) return res.SendError(slug.error());
  if (login->empty()) return res.SendError(Required("login", "Vui lòng nhập tên đăng nhập."));
  if (password->empty()) return res.SendError(Required("password", "Vui lòng nhập mật khẩu."));
  std::optional<std::int64_t> contest_id;
  if (auto c = deps.current.Named(*slug)) {
    contest_id = c->id;
  } else if (!slug->empty()) {
    return res.SendError(c.error());
  }
  const auto lifetime =
      std::chrono::duration_cast<std::chrono::seconds>(deps.auth.options().session_lifetime);
  deps.auth.Login({contest_id, *login, *password, ClientOf(req), *device},
                  [res, lifetime, secure = req.secure](core::Result<accounts::SessionGrant> r) {
                    if (!r) return res.SendError(r.error());
                    res.Send(GrantResponse(*r, lifetime, secure));
                  });
}

void Logout(const AuthApiDeps& deps, http::Request& req, http::Responder res) {
  const auto& who = *http::ViewerOf(req).user;
  deps.auth.Logout(who, ClientOf(req), [res, secure = req.secure](const core::Status& st) {
    if (!st) return res.SendError(st.error());
    auto r = http::Response::NoContent();
    r.With("Set-Cookie", http::ExpiredSessionCookie(secure));
    res.Send(std::move(r));
  });
}

void Session(http::Request& req, http::Responder res) {
  const auto& viewer = http::ViewerOf(req);
  res.Send(JsonResponse(200, {{"user", UserJson(*viewer.user)},
                              {"expires_at", core::FormatRfc3339(viewer.user->expires_at)},
                              {"csrf_token", viewer.CsrfToken()}}));
}

void ChangePassword(const AuthApiDeps& deps, http::Request& req, http::Responder res) {
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto current = http::JsonString(*body, "current_password");
  auto replacement = http::JsonString(*body, "new_password");
  if (!current) return res.SendError(current.error());
  if (!replacement) return res.SendError(replacement.error());
  if (current->empty()) {
    return res.SendError(Required("current_password", "Vui lòng nhập mật khẩu hiện tại."));
  }
  const auto lifetime =
      std::chrono::duration_cast<std::chrono::seconds>(deps.auth.options().session_lifetime);
  deps.auth.ChangePassword(
      *http::ViewerOf(req).user, *current, *replacement, ClientOf(req),
      [res, lifetime, secure = req.secure](core::Result<accounts::SessionGrant> r) {
        if (!r) return res.SendError(r.error());
        res.Send(GrantResponse(*r, lifetime, secure));
      });
}

void RegisterParticipant(const AuthApiDeps& deps, http::Request& req, http::Responder res) {
  auto body = http::JsonBody(req);
  if (!body) return res.SendError(body.error());
  auto slug = http::JsonString(*body, "contest");
  if (!slug) return res.SendError(slug.error());
  auto contest = deps.current.Named(*slug);
  if (!contest) return res.SendError(contest.error());
  accounts::RegistrationInput input;
  const std::pair<const char*, std::string*> known[] = {
      {"full_name", &input.full_name}, {"phone", &input.phone},
      {"email", &input.email},         {"unit_code", &input.unit_code},
      {"position", &input.position},   {"password", &input.password}};
  for (const auto& [key, target] : known) {
    auto v = http::JsonString(*body, key);
    if (!v) return res.SendError(v.error());
    *target = std::move(*v);
  }
  for (const auto& f : contest->settings->registration_fields) {
    auto v = http::JsonString(*body, f.key.c_str());
    if (!v) return res.SendError(v.error());
    input.extra[f.key] = std::move(*v);
  }
  input.idempotency_key = std::string(req.Header("idempotency-key"));
  deps.registration.Register(*contest, std::move(input), ClientOf(req),
                             [res](core::Result<accounts::Registered> r) {
                               if (!r) return res.SendError(r.error());
                               res.Send(JsonResponse(201, {{"id", r->user_id},
                                                           {"login", r->login},
                                                           {"full_name", r->full_name},
                                                           {"role", "participant"},
                                                           {"unit_code", r->unit_code},
                                                           {"unit_name", r->unit_name},
                                                           {"pending", r->pending}}));
                             });
}

void ListUnits(const AuthApiDeps& deps, http::Request& req, http::Responder res) {
  auto contest = deps.current.Named(req.QueryParam("contest").value_or(""));
  if (!contest) return res.SendError(contest.error());
  auto lease = deps.db.Read();
  auto units = units::ListUnits(*lease, contest->id);
  if (!units) return res.SendError(units.error());
  json list = json::array();
  for (const auto& u : *units) {
    list.push_back({{"code", u.code},
                    {"name", u.name},
                    {"group", u.group},
                    {"group_label", std::string(units::UnitGroupLabel(u.group))}});
  }
  res.Send(JsonResponse(200, {{"units", list}}));
}

}  // namespace

void RegisterAuthApi(http::Router& router, const AuthApiDeps& deps) {
  router.Add(Method::kPost, "/api/v1/auth/login",
             Access::Anyone().CsrfExemptJson().Limited(RateLimited::kLogin), Bind(deps, Login));
  router.Add(Method::kPost, "/api/v1/auth/logout", Access::SignedIn().BeforePasswordChange(),
             Bind(deps, Logout));
  router.Add(Method::kGet, "/api/v1/auth/session", Access::SignedIn().BeforePasswordChange(),
             [](http::Request& req, http::Responder res) { Session(req, std::move(res)); });
  router.Add(Method::kPost, "/api/v1/auth/password", Access::SignedIn().BeforePasswordChange(),
             Bind(deps, ChangePassword));
  router.Add(Method::kPost, "/api/v1/participants",
             Access::Anyone().CsrfExemptJson().Limited(RateLimited::kRegistration),
             Bind(deps, RegisterParticipant));
  router.Add(Method::kGet, "/api/v1/units", Access::Anyone(), Bind(deps, ListUnits));
}

}  // namespace hoithi::api
