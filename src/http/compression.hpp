// Response compression: brotli or gzip, chosen from Accept-Encoding; used on the fly for large
// text responses and ahead of time for static files.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hoithi::http {

enum class Encoding { kIdentity, kGzip, kBrotli };

/// The best encoding the client accepts (brotli over gzip); identity when none.
Encoding PreferredEncoding(std::string_view accept_encoding);

std::optional<std::string> GzipCompress(std::string_view data, int level);
std::optional<std::string> BrotliCompress(std::string_view data, int quality);

/// Text-like content types worth compressing.
bool IsCompressible(std::string_view content_type);

/// Answers are compressed on the fly from this size, at these levels (fast, most of the gain).
inline constexpr std::size_t kMinCompressBytes = 1024;
inline constexpr int kOnTheFlyBrotliQuality = 4;
inline constexpr int kOnTheFlyGzipLevel = 5;

}  // namespace hoithi::http
