// Reading an enumeration from a section of the contest's settings JSON by its code: shared by
// the quiz rules and the judging rules (contest/ internal; nlohmann-json stays in .cpp files).
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace hoithi::contest {

/// Sets `*out` to the value among `values` whose code(v) is j[key]; true also when the key is
/// absent (`*out` keeps its default), false for a value that is not one of the codes.
template <class E>
bool ParseEnum(const nlohmann::json& j, const char* key, std::initializer_list<E> values,
               std::string_view (*code)(E), E* out) {
  if (!j.contains(key)) return true;
  if (!j[key].is_string()) return false;
  for (auto v : values) {
    if (code(v) == j[key].get<std::string>()) {
      *out = v;
      return true;
    }
  }
  return false;
}

}  // namespace hoithi::contest
