// A reason a person types to justify an action others will question later (a judge's declared
// conflict, an unlock, a tie decided by the committee): checked and stored in one form.
#pragma once

#include <string>

#include "core/error.hpp"
#include "core/text.hpp"

namespace hoithi::core {

/// `text` trimmed and in NFC, 1–500 characters; else kValidation "validation" on field "reason"
/// with a Vietnamese message.
inline Result<std::string> CleanReason(std::string text) {
  const auto invalid = [](std::string message) {
    auto e = MakeError(ErrorKind::kValidation, "validation", std::move(message), "reason");
    e.fields = {{e.field, e.message}};
    return e;
  };
  if (!IsValidUtf8(text)) return invalid("Lý do không đúng mã UTF-8.");
  text = CleanText(text);
  const auto n = CodePointCount(text);
  if (n == 0 || n > 500) return invalid("Hãy ghi lý do (tối đa 500 ký tự).");
  return text;
}

}  // namespace hoithi::core
