// The actions the contest module writes to the audit log, with their Vietnamese names
// (audit::Action): the only place their codes are spelled.
#pragma once

#include "audit/audit_log.hpp"

namespace hoithi::contest::actions {

inline constexpr audit::Action kSettingsUpdate{"contest.settings_update",
                                               "Thay đổi trường thông tin đăng ký"};
inline constexpr audit::Action kQuizRulesUpdate{"contest.quiz_rules_update",
                                                "Thay đổi thể lệ phần thi trắc nghiệm"};
inline constexpr audit::Action kRoundsUpdate{"contest.rounds_update", "Thay đổi các đợt thi"};
inline constexpr audit::Action kSeedDemo{"contest.seed_demo", "Tạo hội thi mẫu"};

/// Every action above, for the audit page's catalogue (audit::ActionCatalogue).
inline constexpr audit::Action kAll[] = {kSettingsUpdate, kQuizRulesUpdate, kRoundsUpdate,
                                         kSeedDemo};

}  // namespace hoithi::contest::actions
