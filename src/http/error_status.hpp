// The one mapping from error kinds to HTTP statuses, and the JSON error body of the API:
// {"error": {"code": "...", "message": "<Vietnamese>", "field": "..."}}.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "http/message.hpp"

namespace hoithi::http {

int HttpStatus(core::ErrorKind kind);

std::string ErrorJson(const core::Error& error);

/// The API's error response: status from the kind, JSON body, Retry-After when set.
Response ErrorResponseJson(const core::Error& error);

/// The same, with more members beside "error" (e.g. the report of a refused import).
Response ErrorResponseJsonWith(const core::Error& error, const nlohmann::json& extra);

}  // namespace hoithi::http
