// Session tokens (libsodium randomness and SHA-256), the sessions table and the cache.
#include "accounts/sessions.hpp"

#include <sodium.h>

#include <algorithm>
#include <functional>

#include "accounts/tokens.hpp"
#include "core/sha256.hpp"
#include "units/units.hpp"

namespace hoithi::accounts {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenChars = 43;  // base64url of 32 bytes, no padding
constexpr std::size_t kShards = 16;

constexpr std::string_view kSelectSignedIn =
    "SELECT u.id, u.contest_id, u.role, u.unit_id, u.login, u.full_name,"
    " u.must_change_password, s.expires_at, u.registration_status"
    " FROM sessions s JOIN users u ON u.id = s.user_id"
    " WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2"
    " AND u.status = 'active'";

}  // namespace

SessionToken NewSessionToken() {
  unsigned char raw[kTokenBytes];
  randombytes_buf(raw, sizeof raw);
  SessionToken t;
  t.token = Base64Url(raw, sizeof raw);
  t.hash = core::Sha256Hex(t.token);
  return t;
}

std::string HashSessionToken(std::string_view token) {
  if (token.size() != kTokenChars) return {};
  const bool ok = std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
  return ok ? core::Sha256Hex(token) : std::string();
}

core::Status InsertSession(store::Connection& conn, const std::string& hash, std::int64_t user_id,
                           core::TimePoint now, core::TimePoint expires_at, std::string_view ip,
                           std::string_view user_agent) {
  auto r = conn.Exec(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip, user_agent)"
      " VALUES ($1, $2, $3, $4, $5, $6)",
      {hash, user_id, core::ToEpochMs(now), core::ToEpochMs(expires_at), ip,
       user_agent.substr(0, 300)});
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Result<std::optional<SignedIn>> FindSignedIn(store::Connection& conn, std::string_view hash,
                                                   core::TimePoint now) {
  std::optional<SignedIn> out;
  HOITHI_TRY(conn.Query(kSelectSignedIn, {hash, core::ToEpochMs(now)}, [&](const store::Row& r) {
    SignedIn s;
    s.user_id = r.Int(0);
    s.contest_id = r.OptInt(1);
    s.role = ParseRole(r.Text(2)).value_or(Role::kParticipant);
    s.unit_id = r.OptInt(3);
    s.login = r.Str(4);
    s.full_name = r.Str(5);
    s.must_change_password = r.Bool(6);
    s.expires_at = core::FromEpochMs(r.Int(7));
    s.registration_pending = r.Text(8) == "pending";
    s.session_hash = std::string(hash);
    out = std::move(s);
  }));
  if (out && out->unit_id) {
    auto unit = units::FindUnitById(conn, *out->unit_id);
    if (!unit) return std::move(unit).error();
    if (*unit) out->unit_code = (*unit)->code;
  }
  return out;
}

core::Status RevokeSession(store::Connection& conn, std::string_view hash, core::TimePoint now) {
  auto r =
      conn.Exec("UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
                {hash, core::ToEpochMs(now)});
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Result<std::int64_t> RevokeUserSessions(store::Connection& conn, std::int64_t user_id,
                                              core::TimePoint now) {
  return conn.Exec(
      "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL"
      " AND expires_at > $2",
      {user_id, core::ToEpochMs(now)});
}

core::Result<std::vector<std::string>> LiveSessionHashes(store::Connection& conn,
                                                         std::int64_t user_id,
                                                         core::TimePoint now) {
  std::vector<std::string> out;
  HOITHI_TRY(conn.Query(
      "SELECT token_hash FROM sessions WHERE user_id = $1 AND revoked_at IS NULL"
      " AND expires_at > $2",
      {user_id, core::ToEpochMs(now)}, [&](const store::Row& r) { out.push_back(r.Str(0)); }));
  return out;
}

SessionCache::SessionCache(std::chrono::milliseconds ttl, std::size_t capacity)
    : ttl_(ttl),
      capacity_per_shard_(std::max<std::size_t>(1, capacity / kShards)),
      shards_(kShards) {}

SessionCache::Shard& SessionCache::ShardFor(const std::string& hash) {
  return shards_[std::hash<std::string>{}(hash) % kShards];
}

std::optional<SignedIn> SessionCache::Get(const std::string& hash, core::TimePoint now,
                                          std::int64_t version) {
  auto& shard = ShardFor(hash);
  std::lock_guard lock(shard.mu);
  const auto it = shard.entries.find(hash);
  if (it == shard.entries.end()) return std::nullopt;
  if (it->second.version != version ||
      std::chrono::steady_clock::now() - it->second.loaded_at > ttl_ ||
      it->second.who.expires_at <= now) {
    shard.entries.erase(it);
    return std::nullopt;
  }
  return it->second.who;
}

void SessionCache::Put(const SignedIn& who, std::int64_t version) {
  auto& shard = ShardFor(who.session_hash);
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(shard.mu);
  if (shard.entries.size() >= capacity_per_shard_) {
    std::erase_if(shard.entries, [&](const auto& kv) { return now - kv.second.loaded_at > ttl_; });
    if (shard.entries.size() >= capacity_per_shard_) shard.entries.clear();
  }
  shard.entries[who.session_hash] = Entry{who, now, version};
}

void SessionCache::Forget(const std::string& hash) {
  auto& shard = ShardFor(hash);
  std::lock_guard lock(shard.mu);
  shard.entries.erase(hash);
}

void SessionCache::ForgetUser(std::int64_t user_id) {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mu);
    std::erase_if(shard.entries, [&](const auto& kv) { return kv.second.who.user_id == user_id; });
  }
}

}  // namespace hoithi::accounts
