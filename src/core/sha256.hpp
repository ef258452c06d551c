// SHA-256 as lower-case hex, the form `sha256sum` prints: the audit chain's entry hashes, the
// stored hashes of session tokens and the published results' digest (libsodium underneath).
#pragma once

#include <string>
#include <string_view>

namespace hoithi::core {

std::string Sha256Hex(std::string_view bytes);

}  // namespace hoithi::core
