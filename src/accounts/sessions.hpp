// Sessions: random 256-bit tokens given to the client once; only their SHA-256 is stored. A
// session ends at its expiry, on logout, or when its user's password changes or the account is
// disabled. SessionCache keeps recent lookups in memory so most requests need no database read.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "accounts/roles.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::accounts {

struct SessionToken {
  std::string token;  // for the client: 43 characters of base64url
  std::string hash;   // for the database: hex SHA-256 of the token
};

/// A fresh random token and its hash.
SessionToken NewSessionToken();

/// The hash of a token as the client sent it; empty when it cannot be one of ours.
std::string HashSessionToken(std::string_view token);

/// Where a request came from: kept with sessions and in the audit log.
struct ClientInfo {
  std::string ip;
  std::string user_agent;
};

/// Who a valid session belongs to.
struct SignedIn {
  std::int64_t user_id = 0;
  std::optional<std::int64_t> contest_id;  // empty: install-wide administrator
  Role role = Role::kParticipant;
  std::optional<std::int64_t> unit_id;
  std::string unit_code;
  std::string login;
  std::string full_name;
  bool must_change_password = false;
  /// A registration waiting for its unit's focal point: may sign in, may not take the quiz.
  bool registration_pending = false;
  std::string session_hash;
  core::TimePoint expires_at;

  /// An administrator of every contest of the install (no contest of their own).
  bool install_wide() const { return !contest_id; }
  /// Whether their role applies in contest `id`: their own contest, or any for an install-wide
  /// administrator.
  bool WorksIn(std::int64_t id) const { return !contest_id || *contest_id == id; }
  /// An administrator (Ban Tổ chức) of contest `id`.
  bool Organises(std::int64_t id) const { return role == Role::kAdmin && WorksIn(id); }
};

core::Status InsertSession(store::Connection& conn, const std::string& hash, std::int64_t user_id,
                           core::TimePoint now, core::TimePoint expires_at, std::string_view ip,
                           std::string_view user_agent);

/// The signed-in user of a live session (not expired, not revoked, account active).
core::Result<std::optional<SignedIn>> FindSignedIn(store::Connection& conn, std::string_view hash,
                                                   core::TimePoint now);

core::Status RevokeSession(store::Connection& conn, std::string_view hash, core::TimePoint now);

/// Ends every live session of the user; returns how many.
core::Result<std::int64_t> RevokeUserSessions(store::Connection& conn, std::int64_t user_id,
                                              core::TimePoint now);

/// The hashes of the user's live sessions (to drop them from caches).
core::Result<std::vector<std::string>> LiveSessionHashes(store::Connection& conn,
                                                         std::int64_t user_id, core::TimePoint now);

/// Recently resolved sessions, by hash. Each entry carries the sessions change counter
/// (store::DataVersions) read before it was loaded and is dropped once the counter moved: a
/// session revoked or a user changed through any instance stops being served from here within
/// one poll of the counters. Entries also live at most `ttl`, which bounds the memory.
class SessionCache {
 public:
  SessionCache(std::chrono::milliseconds ttl, std::size_t capacity);

  /// The cached session, if loaded at counter `version`, fresh and not past its own expiry.
  std::optional<SignedIn> Get(const std::string& hash, core::TimePoint now, std::int64_t version);
  void Put(const SignedIn& who, std::int64_t version);
  void Forget(const std::string& hash);
  void ForgetUser(std::int64_t user_id);

 private:
  struct Entry {
    SignedIn who;
    std::chrono::steady_clock::time_point loaded_at;
    std::int64_t version = 0;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Entry> entries;
  };
  Shard& ShardFor(const std::string& hash);

  std::chrono::milliseconds ttl_;
  std::size_t capacity_per_shard_;
  std::vector<Shard> shards_;
};

}  // namespace hoithi::accounts
