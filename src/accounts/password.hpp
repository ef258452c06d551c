// Password hashing with Argon2id (libsodium crypto_pwhash_str). Deliberately slow and
// memory-hard: callers run it on a bounded work pool, never on a network thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace hoithi::accounts {

struct PasswordCost {
  unsigned long long ops = 2;              // Argon2 passes (t)
  std::size_t memory_bytes = 19ull << 20;  // Argon2 memory (m); OWASP's minimum is 19 MiB, t = 2
};

/// The encoded hash ("$argon2id$v=19$m=...") of `password`.
core::Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost);

/// True when `password` matches `encoded_hash`. Constant-time in the password.
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

/// True when `encoded_hash` was made with other parameters than `cost` (rehash on next login).
bool NeedsRehash(std::string_view encoded_hash, const PasswordCost& cost);

/// Initialises libsodium; call once at start-up before any other function here.
void InitCrypto();

}  // namespace hoithi::accounts
