// libsodium's Argon2id behind PasswordCost.
#include "accounts/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace hoithi::accounts {

void InitCrypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

core::Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    auto e = core::MakeError(core::ErrorKind::kUnavailable, "out_of_memory",
                             "Máy chủ đang bận. Vui lòng thử lại sau giây lát.");
    e.detail = "crypto_pwhash_str_alg failed (out of memory?)";
    return e;
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  const std::string hash(encoded_hash);  // libsodium wants it NUL-terminated
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view encoded_hash, const PasswordCost& cost) {
  const std::string hash(encoded_hash);
  return crypto_pwhash_str_needs_rehash(hash.c_str(), cost.ops, cost.memory_bytes) != 0;
}

}  // namespace hoithi::accounts
