// core::Sha256Hex against the standard's test vectors and sha256sum's output form.
#include "core/sha256.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hoithi::core {
namespace {

TEST(Sha256Hex, MatchesTheStandardVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Hex, HashesBytesNotText) {
  // A NUL inside the data counts (a string_view, not a C string), and UTF-8 is hashed as bytes.
  EXPECT_NE(Sha256Hex(std::string("a\0b", 3)), Sha256Hex("a"));
  EXPECT_EQ(Sha256Hex("Đơn vị"),
            "9bfbf807f9385cab98113093edaf7b592d4eac8f854e056a07dc5d3df1ac78f4");
}

}  // namespace
}  // namespace hoithi::core
