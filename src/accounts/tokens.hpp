// The text form of the random tokens and MACs the server hands out (session tokens, CSRF tokens,
// device tokens): base64url without padding, safe in cookies, headers and URLs.
#pragma once

#include <cstddef>
#include <string>

namespace hoithi::accounts {

/// `size` bytes at `data` as base64url without padding.
std::string Base64Url(const unsigned char* data, std::size_t size);

}  // namespace hoithi::accounts
