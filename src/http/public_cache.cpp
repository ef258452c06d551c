// The anonymous answer cache: a map of target -> answer with a deadline, bounded in size.
#include "http/public_cache.hpp"

#include "http/auth_gate.hpp"

namespace hoithi::http {

std::optional<Response> PublicCache::Get(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  auto& e = it->second;
  if (now < e.expires) return e.response;
  if (!e.refreshing) {
    e.refreshing = true;  // this caller renders; the others keep the old answer meanwhile
    return std::nullopt;
  }
  if (now < e.expires + max_age_) return e.response;
  return std::nullopt;  // the refresh is taking too long (or failed): render anyway
}

void PublicCache::Put(const std::string& key, const Response& response, Clock::time_point now) {
  if (!enabled()) return;
  std::lock_guard lock(mu_);
  if (response.status != 200 || response.HasHeader("set-cookie")) {
    // Not shareable: the old answer, if any, ages out; another caller may try again.
    if (const auto it = entries_.find(key); it != entries_.end()) it->second.refreshing = false;
    return;
  }
  if (entries_.size() >= max_entries_ && !entries_.contains(key)) {
    // Drop what has expired; if every entry is still fresh, start over (bounded memory first).
    std::erase_if(entries_, [&](const auto& e) { return e.second.expires <= now; });
    if (entries_.size() >= max_entries_) entries_.clear();
  }
  entries_.insert_or_assign(key, Entry{response, now + max_age_, false});
}

void PublicCache::Abandon(const std::string& key) {
  std::lock_guard lock(mu_);
  if (const auto it = entries_.find(key); it != entries_.end()) it->second.refreshing = false;
}

bool Anonymous(const Request& request) {
  return request.Header("authorization").empty() && request.Cookie(kSessionCookie).empty();
}

}  // namespace hoithi::http
