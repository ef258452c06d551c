// SHA-256 through libsodium's one implementation (it needs no state beyond sodium_init).
#include "core/sha256.hpp"

#include <sodium.h>

#include <stdexcept>

namespace hoithi::core {

std::string Sha256Hex(std::string_view bytes) {
  static const bool sodium_ready = sodium_init() >= 0;
  if (!sodium_ready) throw std::runtime_error("libsodium failed to initialise");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

}  // namespace hoithi::core
