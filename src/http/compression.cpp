// zlib and brotli wrappers, and Accept-Encoding negotiation.
#include "http/compression.hpp"

#include <brotli/encode.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>

namespace hoithi::http {

Encoding PreferredEncoding(std::string_view accept) {
  bool gzip = false, br = false;
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    auto item = accept.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    const auto semi = item.find(';');
    auto token = item.substr(0, semi);
    while (!token.empty() && token.back() == ' ')
      token.remove_suffix(1);
    bool refused = false;
    if (semi != std::string_view::npos) {
      auto params = item.substr(semi + 1);
      const auto q = params.find("q=");
      if (q != std::string_view::npos) {
        // "q=0" (or 0.0, 0.000) means "not acceptable".
        const auto end = params.find_first_of(" ;", q + 2);
        const std::string value(
            params.substr(q + 2, end == std::string_view::npos ? end : end - (q + 2)));
        refused = std::strtod(value.c_str(), nullptr) <= 0.0;
      }
    }
    if (!refused) {
      if (token == "br") br = true;
      if (token == "gzip") gzip = true;
    }
    if (comma == std::string_view::npos) break;
    accept.remove_prefix(comma + 1);
  }
  if (br) return Encoding::kBrotli;
  if (gzip) return Encoding::kGzip;
  return Encoding::kIdentity;
}

std::optional<std::string> GzipCompress(std::string_view data, int level) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return std::nullopt;
  out.resize(zs.total_out);
  return out;
}

std::optional<std::string> BrotliCompress(std::string_view data, int quality) {
  std::string out;
  size_t size = BrotliEncoderMaxCompressedSize(data.size());
  if (size == 0) size = data.size() + 1024;
  out.resize(size);
  if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, data.size(),
                             reinterpret_cast<const uint8_t*>(data.data()), &size,
                             reinterpret_cast<uint8_t*>(out.data()))) {
    return std::nullopt;
  }
  out.resize(size);
  return out;
}

bool IsCompressible(std::string_view ct) {
  return ct.starts_with("text/") || ct.starts_with("application/json") ||
         ct.starts_with("application/javascript") || ct.starts_with("image/svg+xml") ||
         ct.starts_with("application/xml");
}

}  // namespace hoithi::http
