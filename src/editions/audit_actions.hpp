// The actions the editions module writes to the audit log, with their Vietnamese names
// (audit::Action): the only place their codes are spelled.
#pragma once

#include "audit/audit_log.hpp"

namespace hoithi::editions::actions {

inline constexpr audit::Action kImport{"edition.import", "Nạp tệp định nghĩa hội thi"};
inline constexpr audit::Action kCopy{"edition.copy", "Tạo kỳ thi mới từ kỳ trước"};

/// Every action above, for the audit page's catalogue (audit::ActionCatalogue).
inline constexpr audit::Action kAll[] = {kImport, kCopy};

}  // namespace hoithi::editions::actions
