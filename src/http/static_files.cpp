// StaticFiles: loading, precompression and the conditional GET handler.
#include "http/static_files.hpp"

#include <fmt/format.h>

#include "core/assets.hpp"
#include "http/compression.hpp"

namespace hoithi::http {
namespace {

std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match == "*") return true;
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    auto item = if_none_match.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string ContentTypeFor(std::string_view name) {
  const auto dot = name.rfind('.');
  const auto ext = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "application/javascript; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "json" || ext == "webmanifest") return "application/json; charset=utf-8";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "html") return "text/html; charset=utf-8";
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string_view asset_prefix) {
  for (const auto& asset : core::ListAssets(asset_prefix)) {
    const std::string_view rel = std::string_view(asset.path).substr(asset_prefix.size());
    File f;
    f.content_type = ContentTypeFor(rel);
    f.version = fmt::format("{:08x}", Fnv1a(asset.view()) & 0xffffffffULL);
    f.etag = "\"" + f.version + "\"";
    f.identity = asset.view();
    if (IsCompressible(f.content_type) && asset.size >= 256) {
      if (auto br = BrotliCompress(asset.view(), 11); br && br->size() < asset.size) f.brotli = *br;
      if (auto gz = GzipCompress(asset.view(), 9); gz && gz->size() < asset.size) f.gzip = *gz;
    }
    files_.emplace("/static/" + std::string(rel), std::move(f));
  }
}

void StaticFiles::Register(Router& router) const {
  for (const auto& [path, file] : files_) {
    const File* f = &file;
    router.Add(Method::kGet, path, Access::Anyone(), [f](Request& req, Responder res) {
      Response r;
      r.content_type = f->content_type;
      r.With("ETag", f->etag);
      const auto v = req.QueryParam("v");
      r.With("Cache-Control",
             v && *v == f->version ? "public, max-age=31536000, immutable" : "public, max-age=300");
      if (!f->brotli.empty() || !f->gzip.empty()) r.With("Vary", "Accept-Encoding");
      if (EtagMatches(req.Header("if-none-match"), f->etag)) {
        r.status = 304;
        res.Send(std::move(r));
        return;
      }
      const auto encoding = PreferredEncoding(req.Header("accept-encoding"));
      if (encoding == Encoding::kBrotli && !f->brotli.empty()) {
        r.body = f->brotli;
        r.With("Content-Encoding", "br");
      } else if (encoding != Encoding::kIdentity && !f->gzip.empty()) {
        r.body = f->gzip;
        r.With("Content-Encoding", "gzip");
      } else {
        r.body = std::string(f->identity);
      }
      res.Send(std::move(r));
    });
  }
}

std::string StaticFiles::Url(std::string_view name) const {
  const std::string path = "/static/" + std::string(name);
  const auto it = files_.find(path);
  if (it == files_.end()) return path;
  return path + "?v=" + it->second.version;
}

}  // namespace hoithi::http
