// Lookup over the generated, path-sorted table of embedded files.
#include "core/assets.hpp"

#include <algorithm>

namespace hoithi::core {

std::optional<std::string_view> FindAsset(std::string_view path) {
  const auto* begin = detail::kEmbeddedFiles;
  const auto* end = begin + detail::kEmbeddedFileCount;
  const auto* it = std::lower_bound(
      begin, end, path,
      [](const EmbeddedFile& f, std::string_view p) { return std::string_view(f.path) < p; });
  if (it == end || std::string_view(it->path) != path) return std::nullopt;
  return it->view();
}

std::vector<EmbeddedFile> ListAssets(std::string_view prefix) {
  std::vector<EmbeddedFile> out;
  for (std::size_t i = 0; i < detail::kEmbeddedFileCount; ++i) {
    if (std::string_view(detail::kEmbeddedFiles[i].path).starts_with(prefix)) {
      out.push_back(detail::kEmbeddedFiles[i]);
    }
  }
  return out;
}

}  // namespace hoithi::core
