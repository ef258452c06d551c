// Fuzz target: multipart/form-data bodies (http::MultipartParts, UploadedFile), how files of
// imports are uploaded. The first line of the input is the Content-Type header, the rest the
// body, so that boundaries and their parameters are fuzzed too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.hpp"
#include "http/forms.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto newline = text.find('\n');
  hoithi::http::Request request;
  request.method = hoithi::http::Method::kPost;
  request.path = "/api/v1/units/import";
  request.headers = {{"content-type", std::string(text.substr(0, newline))}};
  if (newline != std::string_view::npos) request.body = std::string(text.substr(newline + 1));

  auto parts = hoithi::http::MultipartParts(request);
  if (parts) {
    for (const auto& part : *parts) {
      FUZZ_CHECK(part.body.size() <= request.body.size());
    }
  } else {
    FUZZ_CHECK(!parts.error().message.empty());
  }
  auto file = hoithi::http::UploadedFile(request);
  if (file) FUZZ_CHECK(!file->empty() && file->size() <= request.body.size());
  return 0;
}
