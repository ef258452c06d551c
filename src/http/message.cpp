// Accessors of Request/Response and the URL-encoding helpers.
#include "http/message.hpp"

#include <unistd.h>

#include <charconv>

namespace hoithi::http {

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& h : headers) {
    if (h.name == lower_name) return h.value;
  }
  return {};
}

std::string_view Request::Param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

std::optional<std::int64_t> Request::IdParam(std::string_view name) const {
  const auto text = Param(name);
  std::int64_t id = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (PercentDecode(pair.substr(0, eq), true) == name) {
      return eq == std::string_view::npos ? std::string()
                                          : PercentDecode(pair.substr(eq + 1), true);
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::string_view Request::Cookie(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name != "cookie") continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      auto pair = rest.substr(0, semi);
      while (!pair.empty() && pair.front() == ' ')
        pair.remove_prefix(1);
      const auto eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        auto value = pair.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        return value;
      }
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
  }
  return {};
}

OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool Response::HasHeader(std::string_view lower_name) const {
  for (const auto& h : headers) {
    if (h.name.size() != lower_name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < h.name.size() && same; ++i) {
      char c = h.name[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == lower_name[i];
    }
    if (same) return true;
  }
  return false;
}

Response Response::Html(int status, std::string body) {
  return Response{status, "text/html; charset=utf-8", {}, std::move(body), {}};
}

Response Response::Json(int status, std::string body) {
  return Response{status, "application/json; charset=utf-8", {}, std::move(body), {}};
}

Response Response::Text(int status, std::string body) {
  return Response{status, "text/plain; charset=utf-8", {}, std::move(body), {}};
}

Response& Response::RetryAfter(int seconds) {
  if (seconds > 0) With("Retry-After", std::to_string(seconds));
  return *this;
}

Response Download(std::string body, std::string_view content_type, std::string_view filename) {
  Response r;
  r.content_type = std::string(content_type);
  r.body = std::move(body);
  // The quoted name keeps only safe ASCII (a name is ours, e.g. "cau-hoi-<slug>.xlsx", but a
  // quote or a line break must never reach the header); filename* carries it exactly.
  std::string ascii, encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : filename) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    ascii += plain ? static_cast<char>(c) : '_';
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  if (ascii == encoded) {
    r.With("Content-Disposition", "attachment; filename=\"" + ascii + "\"");
  } else {
    r.With("Content-Disposition",
           "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded);
  }
  return r;
}

Response Response::Redirect(std::string location, int status) {
  Response r{status, "text/plain; charset=utf-8", {}, {}, {}};
  r.With("Location", std::move(location));
  return r;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string PercentDecode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_as_space && c == '+') ? ' ' : c;
  }
  return out;
}

bool SplitTarget(std::string_view target, Request& request) {
  if (target.starts_with("http://") || target.starts_with("https://")) {
    const auto host_start = target.find("//") + 2;
    const auto slash = target.find('/', host_start);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.empty() || target.front() != '/') return false;
  const auto q = target.find('?');
  request.path = PercentDecode(target.substr(0, q), false);
  if (q != std::string_view::npos) request.query = std::string(target.substr(q + 1));
  return request.path.find('\0') == std::string::npos;
}

std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const auto pair = text.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      out.emplace_back(
          PercentDecode(pair.substr(0, eq), true),
          eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true));
    }
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return out;
}

std::string_view StatusReason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 460:
      return "Checksum Mismatch";  // tus checksum extension
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    case 507:
      return "Insufficient Storage";
    default:
      return "Unknown";
  }
}

}  // namespace hoithi::http
