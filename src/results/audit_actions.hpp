// The actions the results module writes to the audit log, with their Vietnamese names
// (audit::Action): the only place their codes are spelled.
#pragma once

#include "audit/audit_log.hpp"

namespace hoithi::results::actions {

inline constexpr audit::Action kTieDecide{"results.tie_decide",
                                          "Ban Tổ chức quyết định trường hợp đồng hạng"};
inline constexpr audit::Action kReview{"results.review", "Soát xét kết quả trước khi công bố"};
inline constexpr audit::Action kPublish{"results.publish", "Công bố kết quả"};
inline constexpr audit::Action kRepublish{"results.republish", "Công bố lại kết quả"};

/// Every action above, for the audit page's catalogue (audit::ActionCatalogue).
inline constexpr audit::Action kAll[] = {kTieDecide, kReview, kPublish, kRepublish};

}  // namespace hoithi::results::actions
