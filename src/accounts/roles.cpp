// Role codes and labels.
#include "accounts/roles.hpp"

#include <array>
#include <utility>

namespace hoithi::accounts {
namespace {
struct RoleInfo {
  Role role;
  std::string_view code;
  std::string_view label;
};
constexpr std::array<RoleInfo, 5> kRoles = {{
    {Role::kAdmin, "admin", "Ban Tổ chức"},
    {Role::kSecretary, "secretary", "Tổ Thư ký"},
    {Role::kJudge, "judge", "Ban Giám khảo"},
    {Role::kFocalPoint, "focal_point", "Đầu mối đơn vị"},
    {Role::kParticipant, "participant", "Thí sinh"},
}};
}  // namespace

std::string_view RoleCode(Role role) {
  for (const auto& r : kRoles) {
    if (r.role == role) return r.code;
  }
  return "";
}

std::string_view RoleLabel(Role role) {
  for (const auto& r : kRoles) {
    if (r.role == role) return r.label;
  }
  return "";
}

std::optional<Role> ParseRole(std::string_view code) {
  for (const auto& r : kRoles) {
    if (r.code == code) return r.role;
  }
  return std::nullopt;
}

}  // namespace hoithi::accounts
