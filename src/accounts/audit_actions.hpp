// The actions the accounts module writes to the audit log, with their Vietnamese names
// (audit::Action): the only place their codes are spelled.
#pragma once

#include "audit/audit_log.hpp"

namespace hoithi::accounts::actions {

inline constexpr audit::Action kLogin{"auth.login", "Đăng nhập"};
inline constexpr audit::Action kLoginFailed{"auth.login_failed", "Đăng nhập sai"};
inline constexpr audit::Action kLogout{"auth.logout", "Đăng xuất"};
inline constexpr audit::Action kPasswordChange{"auth.password_change", "Đổi mật khẩu"};
inline constexpr audit::Action kRegister{"participant.register", "Thí sinh đăng ký"};
inline constexpr audit::Action kUserCreate{"user.create", "Tạo tài khoản"};
inline constexpr audit::Action kUserUpdate{"user.update", "Sửa tài khoản"};
inline constexpr audit::Action kRoleChange{"user.role_change", "Đổi vai trò"};
inline constexpr audit::Action kUserDisable{"user.disable", "Khóa tài khoản"};
inline constexpr audit::Action kUserEnable{"user.enable", "Mở khóa tài khoản"};
inline constexpr audit::Action kPasswordReset{"user.password_reset", "Cấp lại mật khẩu"};
inline constexpr audit::Action kRosterImport{"roster.import", "Nhập danh sách cán bộ"};
inline constexpr audit::Action kPasswordsExport{"roster.passwords_export",
                                                "Tải danh sách mật khẩu ban đầu"};
inline constexpr audit::Action kRegistrationApprove{"participant.approve",
                                                    "Đơn vị xác nhận đăng ký"};
inline constexpr audit::Action kRegistrationReject{"participant.reject", "Đơn vị từ chối đăng ký"};

/// Every action above, for the audit page's catalogue (audit::ActionCatalogue).
inline constexpr audit::Action kAll[] = {
    kLogin,         kLoginFailed,  kLogout,          kPasswordChange,      kRegister,
    kUserCreate,    kUserUpdate,   kRoleChange,      kUserDisable,         kUserEnable,
    kPasswordReset, kRosterImport, kPasswordsExport, kRegistrationApprove, kRegistrationReject};

}  // namespace hoithi::accounts::actions
