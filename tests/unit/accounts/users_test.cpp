// Account input rules: phone numbers, logins, passwords, names.
#include "accounts/users.hpp"

#include <gtest/gtest.h>

#include "accounts/password.hpp"

namespace hoithi::accounts {
namespace {

TEST(Phone, AcceptsVietnameseNumbersInTheirCommonForms) {
  EXPECT_EQ(NormalizePhone("0912345678"), "0912345678");
  EXPECT_EQ(NormalizePhone("0912 345 678"), "0912345678");
  EXPECT_EQ(NormalizePhone("091.234.5678"), "0912345678");
  EXPECT_EQ(NormalizePhone("+84912345678"), "0912345678");
  EXPECT_EQ(NormalizePhone("84912345678"), "0912345678");
  EXPECT_EQ(NormalizePhone("02993624779"), std::nullopt);  // 11 digits
  EXPECT_EQ(NormalizePhone("0299362477"), "0299362477");
}

TEST(Phone, RejectsWhatIsNotAPhoneNumber) {
  EXPECT_FALSE(NormalizePhone(""));
  EXPECT_FALSE(NormalizePhone("091234567"));   // 9 digits
  EXPECT_FALSE(NormalizePhone("1912345678"));  // no leading 0
  EXPECT_FALSE(NormalizePhone("0012345678"));
  EXPECT_FALSE(NormalizePhone("09123a5678"));
  EXPECT_FALSE(NormalizePhone("+8491234567"));  // one digit short
  EXPECT_FALSE(NormalizePhone("09+12345678"));
}

TEST(Password, RejectsShortAndCommonPasswords) {
  EXPECT_EQ(ValidatePassword("short").error().code, "weak_password");
  EXPECT_EQ(ValidatePassword("12345678").error().code, "weak_password");
  EXPECT_EQ(ValidatePassword("MatKhau123").error().code, "weak_password");
  EXPECT_TRUE(ValidatePassword("đồng-hồ-cát-9").ok());
  EXPECT_EQ(ValidatePassword(std::string(129, 'x')).error().code, "password_too_long");
  EXPECT_EQ(ValidatePassword("abc\xFF"
                             "defgh")
                .error()
                .code,
            "invalid_utf8");
}

TEST(Password, HashesVerifyAndDetectOtherParameters) {
  InitCrypto();
  const PasswordCost cheap{1, 8 << 20};
  auto hash = HashPassword("đúng-mật-khẩu", cheap);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "đúng-mật-khẩu"));
  EXPECT_FALSE(VerifyPassword(*hash, "sai-mật-khẩu"));
  EXPECT_FALSE(NeedsRehash(*hash, cheap));
  EXPECT_TRUE(NeedsRehash(*hash, PasswordCost{2, 19 << 20}));
}

TEST(Login, AllowsSimpleStaffLogins) {
  EXPECT_TRUE(ValidateLogin("daumoi.kesach").ok());
  EXPECT_FALSE(ValidateLogin("ab").ok());
  EXPECT_FALSE(ValidateLogin("Admin").ok());
  EXPECT_FALSE(ValidateLogin("tên có dấu").ok());
}

TEST(FullName, IsCleanedAndBounded) {
  EXPECT_EQ(*CleanFullName("  Nguyễn   Văn  An "), "Nguyễn Văn An");
  EXPECT_FALSE(CleanFullName("A").ok());
  EXPECT_FALSE(CleanFullName(std::string(101, 'a')).ok());
}

}  // namespace
}  // namespace hoithi::accounts
