// The kinds of people hoithi knows, as stored (English codes) and as shown (Vietnamese).
#pragma once

#include <optional>
#include <string_view>

namespace hoithi::accounts {

enum class Role { kAdmin, kSecretary, kJudge, kFocalPoint, kParticipant };

/// "admin", "secretary", "judge", "focal_point", "participant"
std::string_view RoleCode(Role role);
/// "Ban Tổ chức", "Tổ Thư ký", "Ban Giám khảo", "Đầu mối đơn vị", "Thí sinh"
std::string_view RoleLabel(Role role);
std::optional<Role> ParseRole(std::string_view code);

/// Roles whose accounts must belong to a unit. (A judge may name one too, for conflicts of
/// interest, but need not.)
inline bool RoleNeedsUnit(Role role) {
  return role == Role::kFocalPoint || role == Role::kParticipant;
}

}  // namespace hoithi::accounts
