// A small HTTP client for tests: libcurl for well-formed requests (with a cookie jar and
// keep-alive per client) and a raw socket for the malformed ones a real client never sends.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hoithi::testing {

struct HttpResponse {
  long status = 0;                             // 0: no response (connection failed)
  std::map<std::string, std::string> headers;  // lower-case names; the last value wins
  std::string body;
  std::string error;  // curl's message when status == 0

  nlohmann::json Json() const;
  std::string Header(const std::string& lower_name) const;
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse Get(const std::string& path, const std::vector<std::string>& headers = {});
  HttpResponse Post(const std::string& path, const std::string& body,
                    const std::string& content_type = "application/json",
                    const std::vector<std::string>& headers = {});
  HttpResponse Put(const std::string& path, const std::string& body,
                   const std::string& content_type = "application/json",
                   const std::vector<std::string>& headers = {});
  HttpResponse Request(const std::string& method, const std::string& path, const std::string& body,
                       const std::vector<std::string>& headers);

  /// Sent as "Authorization: Bearer <token>" on every request when not empty.
  void set_bearer(std::string token) { bearer_ = std::move(token); }
  void set_timeout(std::chrono::milliseconds t) { timeout_ = t; }

 private:
  std::string base_;
  void* curl_;
  std::string bearer_;
  std::chrono::milliseconds timeout_{30000};
};

/// Writes `bytes` to 127.0.0.1:port and returns everything the server sent back until it closed
/// the connection or `wait` passed.
std::string RawExchange(int port, const std::string& bytes,
                        std::chrono::milliseconds wait = std::chrono::seconds(5));

/// The status code of the first response in raw HTTP bytes, 0 when there is none.
int RawStatus(const std::string& raw);

}  // namespace hoithi::testing
