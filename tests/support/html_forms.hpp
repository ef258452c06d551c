// Reading the forms of a page as a browser without JavaScript would: the value of a hidden field,
// the CSRF token a form carries.
#pragma once

#include <string>

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

}  // namespace hoithi::testing
