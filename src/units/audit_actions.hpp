// The actions the units module writes to the audit log, with their Vietnamese names
// (audit::Action): the only place their codes are spelled.
#pragma once

#include "audit/audit_log.hpp"

namespace hoithi::units::actions {

inline constexpr audit::Action kCreate{"unit.create", "Thêm đơn vị"};
inline constexpr audit::Action kUpdate{"unit.update", "Sửa đơn vị"};
inline constexpr audit::Action kDelete{"unit.delete", "Xóa đơn vị"};
inline constexpr audit::Action kImport{"unit.import", "Nhập danh sách đơn vị"};

/// Every action above, for the audit page's catalogue (audit::ActionCatalogue).
inline constexpr audit::Action kAll[] = {kCreate, kUpdate, kDelete, kImport};

}  // namespace hoithi::units::actions
