// The actions the contest module writes to the audit log, with their Vietnamese names
// (audit::Action): the only place their codes are spelled.
#pragma once

#include "audit/audit_log.hpp"

namespace hoithi::contest::actions {

inline constexpr audit::Action kSettingsUpdate{"contest.settings_update",
                                               "Thay đổi trường thông tin đăng ký"};
inline constexpr audit::Action kQuizRulesUpdate{"contest.quiz_rules_update",
                                                "Thay đổi thể lệ phần thi trắc nghiệm"};
inline constexpr audit::Action kJudgingRulesUpdate{"contest.judging_rules_update",
                                                   "Thay đổi thang điểm và cách chấm video"};
inline constexpr audit::Action kResultsRulesUpdate{"contest.results_rules_update",
                                                   "Thay đổi cách xếp hạng đơn vị và trao giải"};
inline constexpr audit::Action kRoundsUpdate{"contest.rounds_update", "Thay đổi các đợt thi"};
inline constexpr audit::Action kSeedDemo{"contest.seed_demo", "Tạo hội thi mẫu"};
inline constexpr audit::Action kContestCreate{"contest.create", "Tạo hội thi"};
inline constexpr audit::Action kContestUpdate{"contest.update", "Sửa thông tin hội thi"};
inline constexpr audit::Action kDeadlineMove{"contest.deadline_move", "Thay đổi thời hạn"};
inline constexpr audit::Action kContestArchive{"contest.archive", "Lưu trữ hội thi"};
inline constexpr audit::Action kContestRestore{"contest.restore", "Khôi phục hội thi"};
inline constexpr audit::Action kNoticeCreate{"notice.create", "Đăng thông báo"};
inline constexpr audit::Action kNoticeUpdate{"notice.update", "Sửa thông báo"};
inline constexpr audit::Action kNoticeWithdraw{"notice.withdraw", "Gỡ thông báo"};

/// Every action above, for the audit page's catalogue (audit::ActionCatalogue).
inline constexpr audit::Action kAll[] = {
    kSettingsUpdate, kQuizRulesUpdate, kJudgingRulesUpdate, kResultsRulesUpdate, kRoundsUpdate,
    kSeedDemo,       kContestCreate,   kContestUpdate,      kDeadlineMove,       kContestArchive,
    kContestRestore, kNoticeCreate,    kNoticeUpdate,       kNoticeWithdraw};

}  // namespace hoithi::contest::actions
