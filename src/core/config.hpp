// The configuration of one hoithi process: a TOML file (every key optional) overridden key by key
// by environment variables HOITHI_<SECTION>_<KEY>. One table of keys (config.cpp) drives parsing,
// validation, the environment overrides and the documentation check against hoithi.example.toml.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace hoithi::core {

struct ServerConfig {
  std::string bind = "0.0.0.0";
  int port = 8080;
  int threads = 0;  // 0: one per core
  int max_connections = 10000;
  int max_body_bytes = 1 << 20;
  int max_header_bytes = 16 << 10;
  int read_timeout_s = 15;  // a whole request, from its first byte (cuts off slow-loris clients)
  int idle_timeout_s = 60;  // a kept-alive connection waiting for its next request
  int write_timeout_s = 30;
  int handler_timeout_s = 30;
  int shutdown_grace_s = 20;
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For/-Proto are believed
  int public_cache_ms =
      1000;  // public answers (and the board under a participant's rank) shared this long; 0: off
  // The site's address as the public reaches it ("https://hoithi.example.gov.vn"), for the Atom
  // feed, the portal snippets and the QR code. Empty: each request's Host, and those answers are
  // then not shared between readers (a forged Host must reach no one else).
  std::string public_url;
};

struct DatabaseConfig {
  std::string url;            // empty: sqlite://<storage.data_dir>/hoithi.db
  int read_connections = 0;   // 0: one per server thread, plus one
  int write_connections = 0;  // 0: 4 on PostgreSQL; SQLite always has one
  int busy_timeout_ms = 5000;
  int max_batch = 1000;    // writes per group commit
  int max_queue = 100000;  // writes waiting for the committer before new ones are refused
};

struct StorageConfig {
  std::string data_dir = "./data";
};

struct LogConfig {
  std::string level = "info";
  bool access = true;
};

/// OWASP's minimum Argon2id cost (m = 19 MiB, t = 2, p = 1).
inline constexpr int kMinPasswordOps = 2;
inline constexpr int kMinPasswordMemoryKib = 19456;

struct AuthConfig {
  int password_ops = 2;             // Argon2id passes; OWASP minimum with 19 MiB: 2
  int password_memory_kib = 19456;  // Argon2id memory (19 MiB)
  int hash_threads = 0;             // password hashing threads; 0: one per core
  int hash_queue = 1000;            // hashing jobs waiting before new logins get 429
  int hash_max_wait_ms = 2000;      // ... or sooner, when the queue would make a login wait longer
};

// Request-rate limits (core/rate_limiter.hpp): requests a minute, also the burst; 0: no limit.
// Generous per address because a whole office may sit behind one NAT address.
struct LimitsConfig {
  bool per_ip_enabled = true;  // off only for load tests and benchmarks from one address
  int login_per_ip = 300;
  int registration_per_ip = 120;
  int attempt_start_per_ip = 600;
  int attempt_start_per_account = 10;
  int start_waiting_room_ms = 1000;  // new attempts wait in the waiting room (429) beyond this
                                     // write backlog; 0: never
};

// The video part: uploads (tus) and their processing (video/entry_service.hpp, video/media.hpp).
struct VideoConfig {
  int max_upload_mb = 2048;  // Tus-Max-Size, in MiB: a larger Upload-Length gets 413
  int upload_expiry_h = 24;  // an unfinished upload is dropped this long after its last PATCH
  int max_duration_s = 900;  // a longer video is rejected (the plan's videos are short)
  int transcode_slots = 1;   // videos this instance processes at once; 0: none (another does)
  int ffmpeg_threads = 2;    // threads of each ffmpeg (decoder and encoder each), run at nice 10
};

struct TestingConfig {
  bool clock_control = false;  // lets POST /api/v1/testing/clock move the server's clock
  int clock_offset_s = 0;      // the server's clock starts this far from the real time
  /// Allows an Argon2id cost below OWASP's minimum (auth.password_ops < 2 or
  /// auth.password_memory_kib < 19456): for tests and benchmarks, which hash thousands of
  /// passwords; refused at start-up otherwise.
  bool weak_password_hashing = false;
};

struct Config {
  ServerConfig server;
  DatabaseConfig database;
  StorageConfig storage;
  LogConfig log;
  AuthConfig auth;
  LimitsConfig limits;
  VideoConfig video;
  TestingConfig testing;

  /// database.url, or the default SQLite file under the data dir when it is empty.
  std::string EffectiveDatabaseUrl() const;
};

using Environment = std::map<std::string, std::string>;

/// The process environment as a map (only HOITHI_* variables are kept).
Environment ProcessEnvironment();

/// Loads `path` (a missing file is fine unless `required`), then applies `env`.
/// Errors name the key and the expected form; the CLI exits with status 2 on them.
Result<Config> LoadConfig(const std::string& path, bool required, const Environment& env);

/// Every known key as "section.key", in table order (for docs and the example-file test).
std::vector<std::string> KnownConfigKeys();

/// The CPU cores this process may run on (its affinity, as set by taskset or a container's
/// cpuset), at least 1: what "0 means one per core" counts. More threads than that only take
/// turns on the same cores.
int UsableCores();

}  // namespace hoithi::core
