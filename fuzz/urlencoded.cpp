// Fuzz target: application/x-www-form-urlencoded bodies (http::UrlEncodedFields, FieldValue), what
// every HTML form of web/ posts, and the percent-decoding under it (http::PercentDecode).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.hpp"
#include "http/forms.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  hoithi::http::Request request;
  request.method = hoithi::http::Method::kPost;
  request.path = "/dang-nhap";
  request.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  request.body = std::string(text);

  const auto fields = hoithi::http::UrlEncodedFields(request);
  for (const auto& [name, value] : fields) {
    // Decoding never grows the text, and the first field of a name is what FieldValue finds.
    FUZZ_CHECK(name.size() + value.size() <= text.size());
    (void)hoithi::http::FieldValue(fields, name);
  }
  for (const char* name : {"_csrf", "phone", "password", "next", "full_name"}) {
    (void)hoithi::http::FieldValue(fields, name);
  }
  FUZZ_CHECK(hoithi::http::PercentDecode(text, false).size() <= text.size());
  return 0;
}
