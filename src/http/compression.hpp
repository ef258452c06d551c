// Response compression: brotli or gzip, chosen from Accept-Encoding; used on the fly for large
// text responses and ahead of time for static files.
#pragma once

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

}  // namespace hoithi::http
