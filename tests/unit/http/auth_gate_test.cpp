// The parts of the auth gate that need no database: where a login may send the browser next.
#include "http/auth_gate.hpp"

#include <gtest/gtest.h>

namespace hoithi::http {
namespace {

TEST(SafeNext, KeepsLocalPaths) {
  EXPECT_EQ(SafeNext("/ho-so"), "/ho-so");
  EXPECT_EQ(SafeNext("/quan-tri/don-vi?page=2"), "/quan-tri/don-vi?page=2");
}

TEST(SafeNext, RefusesOtherHosts) {
  EXPECT_EQ(SafeNext(""), "/");
  EXPECT_EQ(SafeNext("https://evil.example/"), "/");
  EXPECT_EQ(SafeNext("//evil.example"), "/");
  EXPECT_EQ(SafeNext("/\\evil.example"), "/");
  // Browsers drop tabs and line breaks from a Location: "/\t/x" would be "//x".
  EXPECT_EQ(SafeNext("/\t/evil.example"), "/");
  EXPECT_EQ(SafeNext("/\n/evil.example"), "/");
  EXPECT_EQ(SafeNext(std::string_view("/\0/x", 4)), "/");
  EXPECT_EQ(SafeNext("/a\r\nSet-Cookie: x=1"), "/");
}

}  // namespace
}  // namespace hoithi::http
