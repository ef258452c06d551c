// ErrorKind -> status, and the JSON error body.
#include "http/error_status.hpp"

#include <nlohmann/json.hpp>

namespace hoithi::http {

int HttpStatus(core::ErrorKind kind) {
  using core::ErrorKind;
  switch (kind) {
    case ErrorKind::kBadRequest:
      return 400;
    case ErrorKind::kUnauthenticated:
      return 401;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kValidation:
      return 422;
    case ErrorKind::kTooManyRequests:
      return 429;
    case ErrorKind::kPayloadTooLarge:
      return 413;
    case ErrorKind::kUnsupportedMediaType:
      return 415;
    case ErrorKind::kPreconditionFailed:
      return 412;
    case ErrorKind::kGone:
      return 410;
    case ErrorKind::kChecksumMismatch:
      return 460;  // the tus checksum extension's own status
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kInsufficientStorage:
      return 507;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

namespace {
nlohmann::json ErrorObject(const core::Error& error);
}

std::string ErrorJson(const core::Error& error) {
  return ErrorObject(error).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response ErrorResponseJsonWith(const core::Error& error, const nlohmann::json& extra) {
  auto body = ErrorObject(error);
  for (const auto& [k, v] : extra.items())
    body[k] = v;
  auto r = Response::Json(HttpStatus(error.kind),
                          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  r.RetryAfter(error.retry_after_s);
  return r;
}

namespace {
nlohmann::json ErrorObject(const core::Error& error) {
  nlohmann::json inner = {{"code", error.code}, {"message", error.message}};
  if (!error.field.empty()) inner["field"] = error.field;
  if (error.retry_after_s > 0) inner["retry_after"] = error.retry_after_s;
  if (!error.fields.empty()) {
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [name, message] : error.fields) {
      if (!fields.contains(name)) fields[name] = message;
    }
    inner["fields"] = fields;
  }
  return nlohmann::json{{"error", inner}};
}
}  // namespace

Response ErrorResponseJson(const core::Error& error) {
  auto r = Response::Json(HttpStatus(error.kind), ErrorJson(error));
  r.RetryAfter(error.retry_after_s);
  return r;
}

}  // namespace hoithi::http
