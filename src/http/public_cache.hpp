// The shared answer cache for anonymous reads of public pages (home, leaderboard, statistics): a
// route opts in with Access::Shared(), and for `max_age` every anonymous GET of the same target
// gets the same answer without running the handler, as nginx's micro-caching would.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/compression.hpp"
#include "http/message.hpp"

namespace hoithi::http {

class PublicCache {
 public:
  using Clock = std::chrono::steady_clock;

  /// `max_age` zero turns the cache off. At most `max_entries` targets are kept: public pages are
  /// few, but a query string is the visitor's to choose.
  PublicCache(std::chrono::milliseconds max_age, std::size_t max_entries = 512)
      : max_age_(max_age), max_entries_(max_entries) {}

  bool enabled() const { return max_age_.count() > 0; }

  /// The stored answer for `key` while it is fresh, in `encoding` when it was worth compressing
  /// (then with Content-Encoding and Vary set). Once it has expired, the first caller gets
  /// nothing and renders a new one (then calls Put or Abandon); until it does, for at most
  /// another max_age, the others still get the old answer rather than all rendering at once.
  std::optional<Response> Get(const std::string& key, Encoding encoding, Clock::time_point now);

  /// Keeps `response` for `key` until `now + max_age`, with its brotli and gzip forms made once
  /// here rather than for every reader. Only 200s without Set-Cookie are kept: anything else
  /// belongs to one visitor or is not worth repeating. File bodies are not kept either: they
  /// cost no rendering, and an open file should not outlive its reader.
  void Put(const std::string& key, const Response& response, Clock::time_point now);

  /// The render of `key` ended without a shareable answer: another caller may try.
  void Abandon(const std::string& key);

 private:
  struct Entry {
    Response response;
    std::optional<std::string> brotli, gzip;  // the body compressed, when it is worth it
    Clock::time_point expires;
    bool refreshing = false;  // a caller is rendering the next answer
  };
  std::chrono::milliseconds max_age_;
  std::size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

/// True when the request carries no credentials (no Authorization header, no session cookie):
/// what every anonymous visitor sees is the same, so it may be shared.
bool Anonymous(const Request& request);

}  // namespace hoithi::http
