// Fuzz target: query strings (http::Request::QueryParam, ParseUrlEncoded) and the one query value
// that steers a redirect (http::SafeNext, ?next= after login). The two readers of the same format
// must agree: the first value of a name is what QueryParam returns.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.hpp"
#include "http/auth_gate.hpp"
#include "http/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  hoithi::http::Request request;
  request.path = "/quan-tri/nhat-ky";
  request.query = std::string(text);
  request.target = request.path + "?" + request.query;

  // The names the handlers read (grep QueryParam src/).
  for (const char* name : {"page", "q", "contest", "format", "next", "role", "unit", "topic",
                           "from", "to", "limit", "dry_run", "_csrf"}) {
    (void)request.QueryParam(name);
  }
  const auto pairs = hoithi::http::ParseUrlEncoded(text);
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& [name, value] = pairs[i];
    if (name.empty()) continue;  // an empty pair ("a&&b") is skipped by one reader only
    bool first = true;
    for (std::size_t j = 0; j < i && first; ++j)
      first = pairs[j].first != name;
    if (first) FUZZ_CHECK(request.QueryParam(name) == value);
  }

  if (const auto next = request.QueryParam("next")) {
    // Only a local path may come out: no other host, no header injection. A browser reads the
    // Location as a URL, removing tabs and line breaks and taking '\\' for '/' (WHATWG URL), so
    // the check is on what the browser would see.
    const std::string safe = hoithi::http::SafeNext(*next);
    std::string seen;
    for (char c : safe) {
      if (c != '\t' && c != '\n' && c != '\r') seen += c == '\\' ? '/' : c;
    }
    FUZZ_CHECK(seen.starts_with("/") && !seen.starts_with("//"));
    FUZZ_CHECK(safe.find_first_of("\r\n") == std::string::npos);
  }
  return 0;
}
