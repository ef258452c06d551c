// The setup page: a form over accounts::SetupService.
#include "web/setup_pages.hpp"

#include "http/auth_gate.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"

namespace hoithi::web {
namespace {

using http::Access;
using http::Method;

core::Error SetupClosed() {
  return core::MakeError(core::ErrorKind::kNotFound, "setup_closed",
                         "Hệ thống đã có quản trị viên. Vui lòng đăng nhập.");
}

Data Form(const http::Request& req) {
  Data d;
  d.set("csrf", http::ViewerOf(req).CsrfToken());
  return d;
}

void SetupForm(const SetupPageDeps& deps, http::Request& req, http::Responder res) {
  if (!deps.setup.Open()) return res.SendError(SetupClosed());
  auto d = Form(req);
  if (const auto token = req.QueryParam("token")) d.set("v_token", *token);
  res.Send(PageResponse(deps, req, 200, "setup", d, "Thiết lập ban đầu"));
}

void SetupSubmit(const SetupPageDeps& deps, http::Request& req, http::Responder res) {
  if (!deps.setup.Open()) return res.SendError(SetupClosed());
  const auto f = http::UrlEncodedFields(req);
  http::Request* request = &req;
  auto fail = [deps, request, res, f](const core::Error& e) {
    auto d = Form(*request);
    for (const auto& [name, value] : f) {
      if (name == "token" || name == "login" || name == "full_name") d.set("v_" + name, value);
    }
    SetFormErrors(d, e);
    d.set("has_errors", true);
    res.Send(
        PageResponse(deps, *request, http::HttpStatus(e.kind), "setup", d, "Thiết lập ban đầu"));
  };
  const auto password = http::FieldValue(f, "password");
  if (password != http::FieldValue(f, "password_again")) {
    auto e = core::MakeError(core::ErrorKind::kValidation, "password_mismatch",
                             "Hai lần nhập mật khẩu không giống nhau.", "password_again");
    e.fields = {{e.field, e.message}};
    return fail(e);
  }
  deps.setup.CreateFirstAdmin(
      http::FieldValue(f, "token"),
      {http::FieldValue(f, "login"), http::FieldValue(f, "full_name"), password},
      http::ClientOf(req), [res, fail](core::Result<std::int64_t> r) {
        if (!r) return fail(r.error());
        res.Send(http::Response::Redirect("/dang-nhap?next=%2Fquan-tri%2Fhoi-thi&setup=1"));
      });
}

}  // namespace

void RegisterSetupPages(http::Router& router, const SetupPageDeps& deps) {
  router.Add(Method::kGet, "/cai-dat-ban-dau", Access::Anyone(), Bind(deps, SetupForm));
  router.Add(Method::kPost, "/cai-dat-ban-dau", Access::Anyone().Limited(http::RateLimited::kLogin),
             Bind(deps, SetupSubmit));
}

}  // namespace hoithi::web
