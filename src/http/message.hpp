// The request and response types that handlers see. They are plain data: no socket, no Asio,
// so api/, web/ and their tests compile without the networking headers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoithi::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view MethodName(Method m);

struct HeaderField {
  std::string name;  // lower case in requests; as written in responses
  std::string value;
};

/// Per-request state that middleware attaches (the session, the user); defined by the layer
/// that sets it, opaque here.
struct RequestContext {
  virtual ~RequestContext() = default;
};

struct Request {
  Method method = Method::kGet;
  std::string target;  // as sent: /path?query
  std::string path;    // percent-decoded path, without the query
  std::string query;   // raw query string, without '?'
  std::vector<HeaderField> headers;
  std::string body;
  std::string peer_ip;    // the TCP peer
  std::string client_ip;  // the client: the peer, or X-Forwarded-For from a trusted proxy
  bool secure = false;    // https, directly or as told by a trusted proxy
  int http_minor = 1;

  // Filled by the router.
  std::string_view route;  // the route's name, e.g. "GET /api/v1/attempts/{id}"
  int route_index = -1;    // its index in the router, -1 when no route matched
  std::vector<std::pair<std::string, std::string>> params;

  std::shared_ptr<RequestContext> context;

  /// The first header with this lower-case name, or "".
  std::string_view Header(std::string_view lower_name) const;
  /// A route parameter ("id" for /attempts/{id}), or "".
  std::string_view Param(std::string_view name) const;
  /// A route parameter that must be a positive integer ("{id}"); empty otherwise.
  std::optional<std::int64_t> IdParam(std::string_view name) const;
  /// A query parameter, percent-decoded; empty when absent.
  std::optional<std::string> QueryParam(std::string_view name) const;
  /// A cookie's value, or "".
  std::string_view Cookie(std::string_view name) const;
  bool IsApi() const { return path.starts_with("/api/"); }
};

/// An open file descriptor, closed when the last holder lets go: a file body and its copies
/// (in a shared cache, say) share one.
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

/// A region of a file sent as a response body straight from the page cache to the socket
/// (sendfile), never copied through the server's memory. http/file_response.hpp makes them.
struct FileBody {
  std::shared_ptr<const OpenFile> file;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;  // the Content-Length
};

struct Response {
  int status = 200;
  std::string content_type;
  std::vector<HeaderField> headers;  // besides Content-Type/-Length, Date and Connection
  std::string body;
  /// When set, the body is this file region instead of `body` (which stays empty); such a body
  /// is never compressed nor kept by the public cache.
  std::optional<FileBody> file;

  Response& With(std::string name, std::string value) {
    headers.push_back({std::move(name), std::move(value)});
    return *this;
  }
  bool HasHeader(std::string_view lower_name) const;
  /// Adds Retry-After (in seconds) when `seconds` is positive: the one place it is set.
  Response& RetryAfter(int seconds);

  static Response Html(int status, std::string body);
  static Response Json(int status, std::string body);
  static Response Text(int status, std::string body);
  static Response NoContent() { return Response{204, {}, {}, {}, {}}; }
  static Response Redirect(std::string location, int status = 303);
};

/// A file to download: `body` as an attachment named `filename` (Content-Disposition with an
/// ASCII fallback and the UTF-8 name, RFC 6266), the one way every export answers.
Response Download(std::string body, std::string_view content_type, std::string_view filename);

/// The request target as sent (origin form "/p?q", or absolute form "http://host/p?q") into the
/// percent-decoded `path` and the raw `query` of `request`, as the server reads it. False when it
/// names no path we serve: no leading '/', or a NUL in the decoded path.
bool SplitTarget(std::string_view target, Request& request);
/// "application/x-www-form-urlencoded" and query strings: key/value pairs, percent-decoded.
std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view text);
/// Percent-decoding ('+' as space when `plus_as_space`); invalid escapes are kept as they are.
std::string PercentDecode(std::string_view s, bool plus_as_space);

/// The reason phrase of a status code ("Not Found").
std::string_view StatusReason(int status);

}  // namespace hoithi::http
