// Fuzz target: JSON request bodies (http::JsonBody, then http::JsonString as the API handlers
// read members). A body that is not UTF-8 takes the path that names the member holding the bad
// byte (forms.cpp, InvalidUtf8), which walks the raw text backwards.
#include <cstddef>
#include <cstdint>
#include <string>

#include "check.hpp"
#include "core/text.hpp"
#include "http/error_status.hpp"
#include "http/forms.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hoithi::http::Request request;
  request.method = hoithi::http::Method::kPost;
  request.path = "/api/v1/participants";
  request.headers = {{"content-type", "application/json; charset=utf-8"}};
  request.body.assign(reinterpret_cast<const char*>(data), size);

  auto json = hoithi::http::JsonBody(request);
  if (!json) {
    const auto& error = json.error();
    FUZZ_CHECK(!error.message.empty());
    if (error.code == "invalid_utf8" && !error.field.empty()) {
      // The member named is one whose value holds the first bad byte: its quoted name comes
      // before that byte.
      const auto bad = hoithi::core::FirstInvalidUtf8(request.body);
      FUZZ_CHECK(bad != std::string::npos);
      FUZZ_CHECK(request.body.substr(0, bad).find('"' + error.field + '"') != std::string::npos);
    }
    (void)hoithi::http::ErrorResponseJson(error);  // as the API answers it
    return 0;
  }
  FUZZ_CHECK(json->is_object());
  // Members the handlers read (api/auth.cpp, api/admin.cpp, ...), and every member of the body.
  for (const char* key : {"phone", "password", "full_name", "name", "unit", "email"}) {
    (void)hoithi::http::JsonString(*json, key);
  }
  for (const auto& [key, value] : json->items()) {
    (void)hoithi::http::JsonString(*json, key.c_str());
    (void)value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
