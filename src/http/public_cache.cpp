// The anonymous answer cache: a map of target -> answer with a deadline, bounded in size.
#include "http/public_cache.hpp"

#include "http/auth_gate.hpp"

namespace hoithi::http {

namespace {

Response Served(const Response& stored, const std::optional<std::string>& packed,
                const char* name) {
  if (!packed) return stored;
  Response r;
  r.status = stored.status;
  r.content_type = stored.content_type;
  r.headers = stored.headers;
  r.body = *packed;
  r.With("Content-Encoding", name);
  r.With("Vary", "Accept-Encoding");
  return r;
}

}  // namespace

std::optional<Response> PublicCache::Get(const std::string& key, Encoding encoding,
                                         Clock::time_point now) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  auto& e = it->second;
  const bool fresh = now < e.expires;
  if (!fresh && !e.refreshing) {
    e.refreshing = true;  // this caller renders; the others keep the old answer meanwhile
    return std::nullopt;
  }
  if (!fresh && now >= e.expires + max_age_) {
    return std::nullopt;  // the refresh is taking too long (or failed): render anyway
  }
  switch (encoding) {
    case Encoding::kBrotli:
      return Served(e.response, e.brotli, "br");
    case Encoding::kGzip:
      return Served(e.response, e.gzip, "gzip");
    case Encoding::kIdentity:
      break;
  }
  Response r = e.response;
  if (e.brotli || e.gzip) r.With("Vary", "Accept-Encoding");
  return r;
}

void PublicCache::Put(const std::string& key, const Response& response, Clock::time_point now) {
  if (!enabled()) return;
  Entry entry{response, std::nullopt, std::nullopt, now + max_age_, false};
  const bool shareable =
      response.status == 200 && !response.file && !response.HasHeader("set-cookie");
  if (shareable && response.body.size() >= kMinCompressBytes &&
      IsCompressible(response.content_type) && !response.HasHeader("content-encoding")) {
    // Outside the lock: compressing takes a little while, once per target and max age.
    entry.brotli = BrotliCompress(response.body, kOnTheFlyBrotliQuality);
    entry.gzip = GzipCompress(response.body, kOnTheFlyGzipLevel);
  }
  std::lock_guard lock(mu_);
  if (!shareable) {
    // Not shareable: the old answer, if any, ages out; another caller may try again.
    if (const auto it = entries_.find(key); it != entries_.end()) it->second.refreshing = false;
    return;
  }
  if (entries_.size() >= max_entries_ && !entries_.contains(key)) {
    // Drop what has expired; if every entry is still fresh, start over (bounded memory first).
    std::erase_if(entries_, [&](const auto& e) { return e.second.expires <= now; });
    if (entries_.size() >= max_entries_) entries_.clear();
  }
  entries_.insert_or_assign(key, std::move(entry));
}

void PublicCache::Abandon(const std::string& key) {
  std::lock_guard lock(mu_);
  if (const auto it = entries_.find(key); it != entries_.end()) it->second.refreshing = false;
}

bool Anonymous(const Request& request) {
  return request.Header("authorization").empty() && request.Cookie(kSessionCookie).empty();
}

}  // namespace hoithi::http
