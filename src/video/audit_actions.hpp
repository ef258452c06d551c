// The actions the video module writes to the audit log, with their Vietnamese names
// (audit::Action): the only place their codes are spelled.
#pragma once

#include "audit/audit_log.hpp"

namespace hoithi::video::actions {

inline constexpr audit::Action kEntryCreate{"video.create", "Đăng ký video dự thi"};
inline constexpr audit::Action kEntryUpdate{"video.update", "Sửa thông tin video dự thi"};
inline constexpr audit::Action kEntryWithdraw{"video.withdraw", "Rút video dự thi"};
inline constexpr audit::Action kEntryApprove{"video.approve", "Đưa video vào thư viện công khai"};
inline constexpr audit::Action kEntryUnapprove{"video.unapprove",
                                               "Gỡ video khỏi thư viện công khai"};
inline constexpr audit::Action kUploadStart{"video.upload", "Tải lên tệp video"};
inline constexpr audit::Action kUploadTerminate{"video.upload_terminate", "Hủy tải lên tệp video"};

/// Every action above, for the audit page's catalogue (audit::ActionCatalogue).
inline constexpr audit::Action kAll[] = {kEntryCreate,    kEntryUpdate,    kEntryWithdraw,
                                         kEntryApprove,   kEntryUnapprove, kUploadStart,
                                         kUploadTerminate};

}  // namespace hoithi::video::actions
