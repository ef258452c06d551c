// AuthGate: session resolution, the access rule of the route, and CSRF.
#include "http/auth_gate.hpp"

#include <sodium.h>

#include <algorithm>
#include <typeinfo>

#include "accounts/auth_service.hpp"
#include "accounts/tokens.hpp"
#include "http/forms.hpp"

namespace hoithi::http {
namespace {

using core::ErrorKind;

using accounts::Base64Url;

constexpr std::size_t kCsrfCookieBytes = 16;

bool IsBase64Url(std::string_view s, std::size_t length) {
  return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

bool IsSafeMethod(Method m) {
  return m == Method::kGet || m == Method::kHead || m == Method::kOptions;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

const std::string& Viewer::CsrfToken() const {
  if (!csrf_token_) {
    csrf_token_ = gate_ && !csrf_seed_.empty() ? gate_->CsrfToken(csrf_seed_) : std::string();
  }
  return *csrf_token_;
}

const Viewer& ViewerOf(const Request& request) {
  static const Viewer kAnonymous;
  // Viewer is final: comparing types is enough (and cheaper than dynamic_cast, which handlers'
  // several calls per request made visible in profiles).
  const auto* context = request.context.get();
  if (context && typeid(*context) == typeid(Viewer)) return static_cast<const Viewer&>(*context);
  return kAnonymous;
}

const accounts::SignedIn& Who(const Request& request) {
  return *ViewerOf(request).user;
}

accounts::ClientInfo ClientOf(const Request& request) {
  return {request.client_ip, std::string(request.Header("user-agent"))};
}

audit::Actor ActorOf(const Request& request) {
  return accounts::ActorOf(Who(request), ClientOf(request));
}

std::string SessionCookie(std::string_view token, std::chrono::seconds max_age, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + std::string(token) +
                  "; Path=/; Max-Age=" + std::to_string(max_age.count()) +
                  "; HttpOnly; SameSite=Lax";
  if (secure) c += "; Secure";
  return c;
}

std::string ExpiredSessionCookie(bool secure) {
  return SessionCookie("", std::chrono::seconds(0), secure);
}

std::string DeviceCookie(std::string_view token, bool secure) {
  std::string c = std::string(kDeviceCookie) + "=" + std::string(token) +
                  "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax";
  if (secure) c += "; Secure";
  return c;
}

std::string SafeNext(std::string_view next) {
  // Control characters are refused, not only CR/LF: a browser drops tabs and line breaks from a
  // Location before reading it, so "/\t/evil.example" would lead to //evil.example
  // (found by fuzz/query_string.cpp).
  const bool control = std::any_of(next.begin(), next.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (next.empty() || next.front() != '/' || next.starts_with("//") ||
      next.find('\\') != std::string_view::npos || control) {
    return "/";
  }
  return std::string(next);
}

AuthGate::AuthGate(SessionLookup sessions, AuthGateOptions options)
    : sessions_(std::move(sessions)), options_(std::move(options)) {}

std::string AuthGate::CsrfToken(std::string_view seed) const {
  unsigned char mac[crypto_auth_BYTES];
  crypto_auth(mac, reinterpret_cast<const unsigned char*>(seed.data()), seed.size(),
              reinterpret_cast<const unsigned char*>(options_.csrf_key.data()));
  return Base64Url(mac, sizeof mac);
}

bool AuthGate::CsrfOk(const Request& request, const Viewer& viewer) const {
  // A header (scripts) or a field of the form's body; never the query string, which ends up in
  // access logs, proxies' logs and the Referer header.
  std::string sent(request.Header(kCsrfHeader));
  if (sent.empty()) sent = FieldValue(UrlEncodedFields(request), kCsrfField);
  if (sent.empty() && request.Header("content-type").starts_with("multipart/form-data")) {
    if (auto parts = MultipartParts(request)) {
      for (const auto& part : *parts) {
        if (part.name == kCsrfField && part.filename.empty()) sent = part.body;
      }
    }
  }
  const auto& want = viewer.CsrfToken();
  return !want.empty() && sent.size() == want.size() &&
         sodium_memcmp(sent.data(), want.data(), want.size()) == 0;
}

bool AuthGate::Check(Request& request, const Route& route, Responder& responder) const {
  auto viewer = std::make_shared<Viewer>();
  std::string_view token;
  const auto authorization = request.Header("authorization");
  if (authorization.size() > 7 &&
      (authorization.starts_with("Bearer ") || authorization.starts_with("bearer "))) {
    token = authorization.substr(7);
    viewer->by_bearer = true;
  } else {
    token = request.Cookie(kSessionCookie);
  }
  if (!token.empty()) {
    auto user = sessions_(token);
    // The database could not say: an outage (503), not a signed-out visitor.
    if (!user) {
      responder.SendError(user.error());
      return false;
    }
    viewer->user = std::move(*user);
  }
  if (viewer->by_bearer && !viewer->user) {
    responder.SendError(core::MakeError(ErrorKind::kUnauthenticated, "invalid_token",
                                        "Mã đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng "
                                        "đăng nhập lại."));
    return false;
  }

  // The CSRF token is bound to the session, or for anonymous forms to a random cookie. An
  // anonymous read of the API renders no form and is never checked: it needs none (an HMAC, and
  // for a new visitor a random seed, saved on each of the public API's reads).
  const bool anonymous_api_read = request.IsApi() && !viewer->user && IsSafeMethod(request.method);
  if (anonymous_api_read) {
    // no token: CsrfOk is only consulted for unsafe methods (below)
  } else if (viewer->user) {
    viewer->csrf_seed_ = "s:" + viewer->user->session_hash;
  } else {
    std::string seed(request.Cookie(kCsrfCookie));
    if (!IsBase64Url(seed, 22)) {
      unsigned char raw[kCsrfCookieBytes];
      randombytes_buf(raw, sizeof raw);
      seed = Base64Url(raw, sizeof raw);
      viewer->csrf_cookie_value = seed;
    }
    viewer->csrf_seed_ = "a:" + seed;
  }
  viewer->gate_ = this;
  request.context = viewer;

  const auto& access = route.access;
  if (access.who != Access::Who::kAnyone) {
    if (!viewer->user) {
      if (!request.IsApi() && request.method == Method::kGet) {
        responder.Send(Response::Redirect("/dang-nhap?next=" + UrlEncode(request.target)));
      } else {
        responder.SendError(core::MakeError(ErrorKind::kUnauthenticated, "unauthenticated",
                                            "Vui lòng đăng nhập để tiếp tục."));
      }
      return false;
    }
    if (!access.Allows(viewer->user->role)) {
      responder.SendError(
          core::MakeError(ErrorKind::kForbidden, "forbidden",
                          "Tài khoản của bạn không có quyền truy cập chức năng này."));
      return false;
    }
    const auto unit = request.Param("unit");
    if (!unit.empty() && viewer->user->role == accounts::Role::kFocalPoint &&
        unit != viewer->user->unit_code) {
      responder.SendError(core::MakeError(ErrorKind::kForbidden, "other_unit",
                                          "Bạn chỉ được xem và thay đổi dữ liệu của đơn vị mình."));
      return false;
    }
    // An initial password is known to whoever handed it over: until it is changed the account
    // does nothing else, through pages, form posts or the API alike.
    if (viewer->user->must_change_password && !access.before_password_change) {
      if (request.IsApi()) {
        responder.SendError(core::MakeError(ErrorKind::kForbidden, "password_change_required",
                                            "Vui lòng đổi mật khẩu ban đầu trước khi tiếp tục."));
      } else {
        responder.Send(Response::Redirect(options_.password_change_path));
      }
      return false;
    }
  }

  if (!IsSafeMethod(request.method) && !viewer->by_bearer && !access.csrf_exempt_json &&
      !CsrfOk(request, *viewer)) {
    responder.SendError(core::MakeError(ErrorKind::kForbidden, "csrf_failed",
                                        "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại "
                                        "trang và thử lại."));
    return false;
  }
  return true;
}

void AuthGate::Decorate(const Request& request, Response& response) const {
  const auto& viewer = ViewerOf(request);
  // Only pages carry forms; API and static responses need no CSRF cookie.
  if (viewer.csrf_cookie_value.empty() || !response.content_type.starts_with("text/html")) return;
  std::string cookie = std::string(kCsrfCookie) + "=" + viewer.csrf_cookie_value +
                       "; Path=/; HttpOnly; SameSite=Lax";
  if (request.secure) cookie += "; Secure";
  response.With("Set-Cookie", cookie);
}

}  // namespace hoithi::http
