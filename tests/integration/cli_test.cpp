// The command line through the real binary: help, version, migrate, seed-demo, user add, and the
// exit codes of bad configuration (2) and an unreachable or unwritable database (1).
#include <gtest/gtest.h>

#include "support/server_harness.hpp"

namespace hoithi::testing {
namespace {

Env DataDir(const TempDir& dir) {
  return {{"HOITHI_STORAGE_DATA_DIR", dir.str()}};
}

TEST(Cli, HelpListsTheSubcommands) {
  const auto r = RunHoithi({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* sub : {"serve", "migrate", "seed-demo", "user", "audit", "backup", "restore"}) {
    EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
  }
  for (const char* sub : {"serve", "migrate", "seed-demo", "user", "audit", "backup", "restore"}) {
    EXPECT_EQ(RunHoithi({sub, "--help"}).exit_code, 0) << sub;
  }
  const auto add = RunHoithi({"user", "add", "--help"});
  EXPECT_EQ(add.exit_code, 0);
  for (const char* opt : {"--login", "--role", "--unit", "--name"}) {
    EXPECT_NE(add.out.find(opt), std::string::npos) << opt;
  }
  EXPECT_EQ(add.out.find("--password"), std::string::npos) << "never a password in argv";
}

TEST(Cli, VersionIsPrinted) {
  const auto r = RunHoithi({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("hoithi 0."), std::string::npos);
}

TEST(Cli, UnknownSubcommandIsAUsageError) {
  EXPECT_EQ(RunHoithi({"frobnicate"}).exit_code, 2);
}

TEST(Cli, MigrateOnAFreshDatabaseThenAgainAppliesNothing) {
  TempDir dir;
  const auto first = RunHoithi({"migrate"}, DataDir(dir));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out.find("đã áp dụng 0"), std::string::npos);
  const auto second = RunHoithi({"migrate"}, DataDir(dir));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("đã áp dụng 0 bản cập nhật"), std::string::npos) << second.out;
}

TEST(Cli, SeedDemoIsIdempotent) {
  TempDir dir;
  const auto first = RunHoithi({"seed-demo"}, DataDir(dir));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("46 đơn vị, thêm 60 câu hỏi, thêm 6 tài khoản"), std::string::npos)
      << first.out;
  const auto second = RunHoithi({"seed-demo", "--open-now"}, DataDir(dir));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("46 đơn vị, thêm 0 câu hỏi, thêm 0 tài khoản"), std::string::npos)
      << second.out;
}

TEST(Cli, UserAddCreatesTheFirstAdministratorOnce) {
  TempDir dir;
  const std::vector<std::string> args = {"user",   "add",   "--login", "quantri",
                                         "--role", "admin", "--name",  "Quản Trị Viên"};
  const auto first = RunHoithi(args, DataDir(dir), std::chrono::seconds(120), "một-mật-khẩu-dài\n");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto again = RunHoithi(args, DataDir(dir), std::chrono::seconds(120), "một-mật-khẩu-dài\n");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("đã được dùng"), std::string::npos) << again.err;
}

TEST(Cli, UserAddRejectsBadInputWithAClearMessage) {
  TempDir dir;
  ASSERT_EQ(RunHoithi({"seed-demo"}, DataDir(dir)).exit_code, 0);
  auto r = RunHoithi({"user", "add", "--login", "x1", "--role", "king", "--name", "Ai Đó"},
                     DataDir(dir), std::chrono::seconds(120), "một-mật-khẩu-dài\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--role"), std::string::npos);
  r = RunHoithi({"user", "add", "--login", "daumoi.x", "--role", "focal_point", "--name", "Ai Đó",
                 "--unit", "khong-co"},
                DataDir(dir), std::chrono::seconds(120), "một-mật-khẩu-dài\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("khong-co"), std::string::npos) << r.err;
  r = RunHoithi({"user", "add", "--login", "daumoi.y", "--role", "focal_point", "--name", "Ai Đó",
                 "--unit", "so-noi-vu"},
                DataDir(dir), std::chrono::seconds(120), "12345678\n");
  EXPECT_EQ(r.exit_code, 2);
  r = RunHoithi({"user", "add", "--login", "daumoi.z", "--role", "focal_point", "--name", "Ai Đó",
                 "--unit", "so-noi-vu"},
                DataDir(dir), std::chrono::seconds(120), "một-mật-khẩu-dài\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Cli, AnUnknownConfigKeyIsNamedAndExitsTwo) {
  TempDir dir;
  WriteFile(dir.path() / "h.toml", "[server]\nprot = 9001\n");
  const auto r = RunHoithi({"--config", (dir.path() / "h.toml").string(), "migrate"}, DataDir(dir));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("server.prot"), std::string::npos) << r.err;
}

TEST(Cli, ABadEnvironmentValueIsNamedAndExitsTwo) {
  TempDir dir;
  auto env = DataDir(dir);
  env["HOITHI_SERVER_PORT"] = "eighty";
  for (const char* cmd : {"migrate", "serve"}) {
    const auto r = RunHoithi({cmd}, env);
    EXPECT_EQ(r.exit_code, 2) << cmd;
    EXPECT_NE(r.err.find("HOITHI_SERVER_PORT"), std::string::npos) << r.err;
  }
}

TEST(Cli, AnArgon2CostBelowOwaspsMinimumIsRefusedWithoutTheBenchmarkSwitch) {
  TempDir dir;
  auto env = DataDir(dir);
  env["HOITHI_TESTING_WEAK_PASSWORD_HASHING"] = "false";
  for (const char* cmd : {"migrate", "serve"}) {
    const auto r = RunHoithi({cmd}, env);  // the tests' cheap hash: 1 pass, 8 MiB
    EXPECT_EQ(r.exit_code, 2) << cmd;
    EXPECT_NE(r.err.find("auth.password_ops"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("OWASP"), std::string::npos) << r.err;
  }
  env["HOITHI_AUTH_PASSWORD_OPS"] = "2";
  env["HOITHI_AUTH_PASSWORD_MEMORY_KIB"] = "19456";
  const auto r = RunHoithi({"migrate"}, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Cli, AMalformedDatabaseUrlExitsTwo) {
  const auto r = RunHoithi({"migrate"}, {{"HOITHI_DATABASE_URL", "mysql://x"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("database.url"), std::string::npos) << r.err;
}

TEST(Cli, AnUnreachableDatabaseExitsOneWithAClearMessage) {
  for (const char* cmd : {"migrate", "serve"}) {
    const auto r = RunHoithi({cmd}, {{"HOITHI_DATABASE_URL", "postgresql://hoithi@127.0.0.1:1/x"}});
    EXPECT_EQ(r.exit_code, 1) << cmd;
    EXPECT_NE(r.err.find("không mở được cơ sở dữ liệu"), std::string::npos) << r.err;
  }
}

TEST(Cli, AnUnwritableDataDirExitsOne) {
  // The data folder holds the SQLite file: pin SQLite even when the suite runs on PostgreSQL, and
  // an ephemeral port so that a regression cannot hold port 8080.
  for (const char* cmd : {"migrate", "serve"}) {
    const auto r = RunHoithi({cmd}, {{"HOITHI_STORAGE_DATA_DIR", "/dev/null/hoithi"},
                                     {"HOITHI_DATABASE_URL", ""},
                                     {"HOITHI_SERVER_PORT", "0"}});
    EXPECT_EQ(r.exit_code, 1) << cmd;
    EXPECT_NE(r.err.find("/dev/null/hoithi"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace hoithi::testing
