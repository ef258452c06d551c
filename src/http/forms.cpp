// Body parsing. The multipart parser is RESTinio's (header-only helpers), kept to this file.
#include "http/forms.hpp"

#include <algorithm>
#include <restinio/helpers/http_field_parsers/content-disposition.hpp>
#include <restinio/helpers/http_field_parsers/content-type.hpp>
#include <restinio/helpers/multipart_body.hpp>

#include "core/text.hpp"

namespace hoithi::http {
namespace {

using core::ErrorKind;

std::string_view MediaType(const Request& request) {
  auto ct = request.Header("content-type");
  return ct.substr(0, ct.find(';'));
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

/// A body that is not UTF-8: 422 naming the JSON member whose value holds the first bad byte.
core::Error InvalidUtf8(std::string_view body) {
  const size_t bad = core::FirstInvalidUtf8(body);
  // Walk back to the nearest "key": before the bad byte.
  std::string field;
  for (size_t colon = body.rfind(':', bad); colon != std::string_view::npos && colon > 0;
       colon = body.rfind(':', colon - 1)) {
    size_t end = colon;
    while (end > 0 && (body[end - 1] == ' ' || body[end - 1] == '\t'))
      --end;
    // A closing quote at position 0 has no opening one before it (fuzz/regressions/json_body).
    if (end < 2 || body[end - 1] != '"') continue;
    const auto start = body.rfind('"', end - 2);
    if (start == std::string_view::npos) break;
    field = std::string(body.substr(start + 1, end - start - 2));
    break;
  }
  auto e = core::MakeError(ErrorKind::kValidation, "invalid_utf8",
                           "Dữ liệu gửi lên chứa ký tự không hợp lệ (không phải mã UTF-8).", field);
  if (!field.empty()) e.fields = {{field, e.message}};
  return e;
}

core::Error MalformedForm() {
  return core::MakeError(ErrorKind::kBadRequest, "malformed_form",
                         "Dữ liệu biểu mẫu gửi lên không đúng định dạng.");
}

}  // namespace

core::Result<nlohmann::json> JsonBody(const Request& request) {
  if (!EqualsIgnoreCase(MediaType(request), "application/json")) {
    return core::MakeError(ErrorKind::kUnsupportedMediaType, "unsupported_media_type",
                           "Dữ liệu phải gửi dưới dạng JSON (Content-Type: application/json).");
  }
  auto j = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() && !core::IsValidUtf8(request.body)) return InvalidUtf8(request.body);
  if (j.is_discarded() || !j.is_object()) {
    return core::MakeError(ErrorKind::kBadRequest, "malformed_json",
                           "Dữ liệu JSON gửi lên không hợp lệ.");
  }
  return j;
}

FormFields UrlEncodedFields(const Request& request) {
  if (!EqualsIgnoreCase(MediaType(request), "application/x-www-form-urlencoded")) return {};
  return ParseUrlEncoded(request.body);
}

std::string FieldValue(const FormFields& fields, std::string_view name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return {};
}

core::Result<std::string> UploadedFile(const Request& request) {
  auto none = [] {
    return core::MakeError(ErrorKind::kBadRequest, "no_file", "Vui lòng chọn tệp để tải lên.",
                           "file");
  };
  if (MediaType(request).starts_with("multipart/")) {
    auto parts = MultipartParts(request);
    if (!parts) return std::move(parts).error();
    for (auto& p : *parts) {
      if (p.name == "file" && !p.body.empty()) return std::move(p.body);
    }
    return none();
  }
  if (request.body.empty()) return none();
  return request.body;
}

core::Result<std::string> JsonString(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return core::MakeError(ErrorKind::kBadRequest, "invalid_type",
                           std::string("Trường ") + key + " phải là chuỗi ký tự.", key);
  }
  return it->get<std::string>();
}

core::Result<std::vector<FormPart>> MultipartParts(const Request& request) {
  namespace hfp = restinio::http_field_parsers;
  const auto ct = hfp::content_type_value_t::try_parse(request.Header("content-type"));
  if (!ct || !EqualsIgnoreCase(ct->media_type.type, "multipart") ||
      !EqualsIgnoreCase(ct->media_type.subtype, "form-data")) {
    return MalformedForm();
  }
  std::string boundary;
  for (const auto& [name, value] : ct->media_type.parameters) {
    if (EqualsIgnoreCase(name, "boundary")) boundary = "--" + value;
  }
  if (boundary.size() <= 2) return MalformedForm();
  std::vector<FormPart> out;
  for (const auto raw : restinio::multipart_body::split_multipart_body(request.body, boundary)) {
    auto parsed = restinio::multipart_body::try_parse_part(raw);
    if (!parsed) return MalformedForm();
    FormPart part;
    const auto disposition = parsed->fields.opt_value_of(restinio::http_field::content_disposition);
    if (!disposition) return MalformedForm();
    const auto cd = hfp::content_disposition_value_t::try_parse(*disposition);
    if (!cd) return MalformedForm();
    for (const auto& [name, value] : cd->parameters) {
      if (EqualsIgnoreCase(name, "name")) part.name = value;
      if (EqualsIgnoreCase(name, "filename")) part.filename = value;
    }
    if (const auto type = parsed->fields.opt_value_of(restinio::http_field::content_type)) {
      part.content_type = std::string(*type);
    }
    part.body = std::string(parsed->body);
    out.push_back(std::move(part));
  }
  return out;
}

PageRequest PageOf(const Request& request, int default_per_page) {
  auto number = [&](const char* key, int fallback, int max) {
    const auto v = request.QueryParam(key);
    if (!v || v->empty() || v->size() > 7 ||
        v->find_first_not_of("0123456789") != std::string::npos) {
      return fallback;
    }
    return std::clamp(std::stoi(*v), 1, max);
  };
  return {number("page", 1, 1000000), number("per_page", default_per_page, 500)};
}

}  // namespace hoithi::http
