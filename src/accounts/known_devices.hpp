// Devices an account has signed in from: a token the server signs and the browser keeps in a
// long-lived cookie, so that someone else's wrong guesses, which lock an account, do not lock its
// owner out on a device they signed in from before (OWASP's "device cookies").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hoithi::accounts {

/// The key that signs device tokens, derived from an install secret (the CSRF key) for this use
/// alone.
std::string DeviceKeyFrom(std::string_view secret);

/// A new token for `user_id`: "<user id>.<random nonce>.<MAC>" (base64url), signed with `key`.
std::string IssueDeviceToken(std::string_view key, std::int64_t user_id);

/// The token's nonce when `token` is one signed with `key` for `user_id`; empty otherwise.
std::optional<std::string> DeviceOf(std::string_view key, std::string_view token,
                                    std::int64_t user_id);

}  // namespace hoithi::accounts
