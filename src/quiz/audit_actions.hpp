// The actions the quiz module writes to the audit log, with their Vietnamese names
// (audit::Action): the only place their codes are spelled.
#pragma once

#include "audit/audit_log.hpp"

namespace hoithi::quiz::actions {

inline constexpr audit::Action kQuestionCreate{"question.create", "Thêm câu hỏi"};
inline constexpr audit::Action kQuestionUpdate{"question.update", "Sửa câu hỏi"};
inline constexpr audit::Action kQuestionActivate{"question.activate", "Dùng lại câu hỏi"};
inline constexpr audit::Action kQuestionDeactivate{"question.deactivate", "Ngừng dùng câu hỏi"};
inline constexpr audit::Action kQuestionImport{"question.import", "Nhập ngân hàng câu hỏi"};
inline constexpr audit::Action kGrantAttempt{"quiz.grant_attempt", "Cấp thêm lượt thi"};
inline constexpr audit::Action kGrantTime{"quiz.grant_time", "Cấp thêm thời gian làm bài"};

/// Every action above, for the audit page's catalogue (audit::ActionCatalogue).
inline constexpr audit::Action kAll[] = {kQuestionCreate,     kQuestionUpdate, kQuestionActivate,
                                         kQuestionDeactivate, kQuestionImport, kGrantAttempt,
                                         kGrantTime};

}  // namespace hoithi::quiz::actions
