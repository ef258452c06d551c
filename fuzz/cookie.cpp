// Fuzz target: the Cookie header (http::Request::Cookie), which finds the session and the CSRF
// cookies. Each line of the input is one Cookie header, as a client may send several.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.hpp"
#include "http/auth_gate.hpp"
#include "http/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  hoithi::http::Request request;
  while (true) {
    const auto newline = text.find('\n');
    request.headers.push_back({"cookie", std::string(text.substr(0, newline))});
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  std::size_t total = 0;
  for (const auto& h : request.headers)
    total += h.value.size();

  for (const std::string_view name : {hoithi::http::kSessionCookie, hoithi::http::kCsrfCookie,
                                      std::string_view("lang"), std::string_view()}) {
    const auto value = request.Cookie(name);
    FUZZ_CHECK(value.size() <= total);
  }
  // A name taken from the input itself, so that matches are found.
  const auto& first = request.headers.front().value;
  const auto eq = first.find('=');
  if (eq != std::string::npos) {
    auto name = std::string_view(first).substr(0, eq);
    while (!name.empty() && name.front() == ' ')
      name.remove_prefix(1);
    (void)request.Cookie(name);
  }
  return 0;
}
