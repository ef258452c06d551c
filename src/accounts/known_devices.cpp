// Device tokens: a random nonce bound to an account by a MAC (libsodium crypto_auth).
#include "accounts/known_devices.hpp"

#include <sodium.h>

#include <string>

#include "accounts/tokens.hpp"

namespace hoithi::accounts {
namespace {

constexpr std::size_t kNonceBytes = 16;

std::string Mac(std::string_view key, std::string_view message) {
  unsigned char mac[crypto_auth_BYTES];
  unsigned char k[crypto_auth_KEYBYTES] = {};
  for (std::size_t i = 0; i < sizeof k && i < key.size(); ++i)
    k[i] = static_cast<unsigned char>(key[i]);
  crypto_auth(mac, reinterpret_cast<const unsigned char*>(message.data()), message.size(), k);
  return Base64Url(mac, sizeof mac);
}

}  // namespace

std::string DeviceKeyFrom(std::string_view secret) {
  constexpr std::string_view kPurpose = "hoithi known-device tokens v1";
  unsigned char key[crypto_auth_KEYBYTES];
  crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>(kPurpose.data()),
                     kPurpose.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size());
  return std::string(reinterpret_cast<const char*>(key), sizeof key);
}

std::string IssueDeviceToken(std::string_view key, std::int64_t user_id) {
  unsigned char nonce[kNonceBytes];
  randombytes_buf(nonce, sizeof nonce);
  const std::string signed_part = std::to_string(user_id) + "." + Base64Url(nonce, sizeof nonce);
  return signed_part + "." + Mac(key, signed_part);
}

std::optional<std::string> DeviceOf(std::string_view key, std::string_view token,
                                    std::int64_t user_id) {
  if (key.empty() || token.size() > 200) return std::nullopt;
  const auto last = token.rfind('.');
  if (last == std::string_view::npos) return std::nullopt;
  const auto signed_part = token.substr(0, last);
  const auto first = signed_part.find('.');
  if (first == std::string_view::npos || signed_part.substr(0, first) != std::to_string(user_id)) {
    return std::nullopt;
  }
  const std::string want = Mac(key, signed_part);
  const auto got = token.substr(last + 1);
  if (got.size() != want.size() || sodium_memcmp(got.data(), want.data(), want.size()) != 0) {
    return std::nullopt;
  }
  return std::string(signed_part.substr(first + 1));
}

}  // namespace hoithi::accounts
