// The actions the judging module writes to the audit log, with their Vietnamese names
// (audit::Action): the only place their codes are spelled.
#pragma once

#include "audit/audit_log.hpp"

namespace hoithi::judging::actions {

inline constexpr audit::Action kSubmit{"judging.submit", "Nộp phiếu chấm video"};
inline constexpr audit::Action kAbstain{"judging.abstain",
                                        "Giám khảo xin không chấm video (xung đột lợi ích)"};
inline constexpr audit::Action kAssign{"judging.assign", "Phân công giám khảo chấm video"};
inline constexpr audit::Action kReopen{"judging.reopen",
                                       "Mở lại phiếu chấm đã nộp khi đổi thang điểm"};
inline constexpr audit::Action kLock{"judging.lock", "Khóa việc chấm điểm video"};
inline constexpr audit::Action kUnlock{"judging.unlock", "Mở khóa việc chấm điểm video"};

/// Every action above, for the audit page's catalogue (audit::ActionCatalogue).
inline constexpr audit::Action kAll[] = {kSubmit, kAbstain, kAssign, kReopen, kLock, kUnlock};

}  // namespace hoithi::judging::actions
