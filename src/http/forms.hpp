// Request input as handlers want it: JSON bodies (only with Content-Type application/json),
// urlencoded form fields, multipart/form-data parts (file uploads, parsed with RESTinio's
// multipart helpers), and the paging of a list. Malformed input is an Error, never an exception.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "http/message.hpp"

namespace hoithi::http {

using FormFields = std::vector<std::pair<std::string, std::string>>;

/// The JSON object of the body. Errors: kUnsupportedMediaType when the Content-Type is not
/// application/json, kBadRequest "malformed_json" when the body is not a JSON object.
core::Result<nlohmann::json> JsonBody(const Request& request);

/// The page of a list a request asks for: ?page= (default 1, at most 1,000,000) and ?per_page=
/// (default `default_per_page`, at most 500); anything that is not a positive number is the
/// default.
struct PageRequest {
  int page = 1;
  int per_page = 50;
};
PageRequest PageOf(const Request& request, int default_per_page = 50);

/// The fields of an application/x-www-form-urlencoded body; empty for any other type.
FormFields UrlEncodedFields(const Request& request);

/// The first value of `name`, or "".
std::string FieldValue(const FormFields& fields, std::string_view name);

struct FormPart {
  std::string name;
  std::string filename;  // empty for a plain field
  std::string content_type;
  std::string body;
};

/// The parts of a multipart/form-data body. kBadRequest when it is not one or is malformed.
core::Result<std::vector<FormPart>> MultipartParts(const Request& request);

/// An uploaded file: the part named "file" of a multipart form, or the whole body of any other
/// request. kBadRequest "no_file" when there is none or it is empty.
core::Result<std::string> UploadedFile(const Request& request);

/// The string member `key` of a JSON object, "" when absent; a member of another type is an error
/// naming the field (kBadRequest "invalid_type").
core::Result<std::string> JsonString(const nlohmann::json& object, const char* key);

}  // namespace hoithi::http
