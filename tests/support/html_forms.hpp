// Reading and sending the forms of a page as a browser without JavaScript would: the value of a
// hidden field, the CSRF token a form carries, a form's fields encoded as its body.
#pragma once

#include <cctype>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace hoithi::testing {

/// The value of the first field named `name` in `html` ("" when there is none).
inline std::string HiddenField(const std::string& html, const std::string& name) {
  const std::string marker = "name=\"" + name + "\" value=\"";
  const auto at = html.find(marker);
  if (at == std::string::npos) return {};
  const auto start = at + marker.size();
  return html.substr(start, html.find('"', start) - start);
}

/// The CSRF token of the page's first form ("" when there is none).
inline std::string CsrfOf(const std::string& html) {
  return HiddenField(html, "_csrf");
}

inline constexpr const char* kForm = "application/x-www-form-urlencoded";

/// The fields as an application/x-www-form-urlencoded body (every byte but letters and digits
/// percent-encoded).
inline std::string Form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += k + "=";
    for (unsigned char c : v) {
      if (std::isalnum(c)) {
        out += static_cast<char>(c);
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        out += buf;
      }
    }
  }
  return out;
}

}  // namespace hoithi::testing
