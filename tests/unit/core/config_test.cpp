// Configuration: defaults, the TOML file, environment overrides and the errors that name the key.
#include "core/config.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace hoithi::core {
namespace {

using testing::TempDir;
using testing::WriteFile;

TEST(Config, MissingDefaultFileGivesDefaults) {
  TempDir dir;
  auto c = LoadConfig((dir.path() / "hoithi.toml").string(), false, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server.bind, "0.0.0.0");
  EXPECT_EQ(c->server.port, 8080);
  EXPECT_EQ(c->storage.data_dir, "./data");
  EXPECT_EQ(c->EffectiveDatabaseUrl(), "sqlite://./data/hoithi.db");
}

TEST(Config, MissingExplicitFileIsAnError) {
  TempDir dir;
  auto c = LoadConfig((dir.path() / "nope.toml").string(), true, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("nope.toml"), std::string::npos);
}

TEST(Config, FileValuesAreApplied) {
  TempDir dir;
  const auto path = dir.path() / "hoithi.toml";
  WriteFile(path,
            "[server]\nport = 9000\nthreads = 3\ntrusted_proxies = [\"10.0.0.1\"]\n"
            "[database]\nurl = \"postgresql://u@h:5432/db\"\n[storage]\ndata_dir = \"/srv/h\"\n"
            "[log]\nlevel = \"debug\"\naccess = false\n");
  auto c = LoadConfig(path.string(), true, {});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.port, 9000);
  EXPECT_EQ(c->server.threads, 3);
  ASSERT_EQ(c->server.trusted_proxies.size(), 1u);
  EXPECT_EQ(c->server.trusted_proxies[0], "10.0.0.1");
  EXPECT_EQ(c->EffectiveDatabaseUrl(), "postgresql://u@h:5432/db");
  EXPECT_EQ(c->storage.data_dir, "/srv/h");
  EXPECT_EQ(c->log.level, "debug");
  EXPECT_FALSE(c->log.access);
}

TEST(Config, EnvironmentOverridesTheFile) {
  TempDir dir;
  const auto path = dir.path() / "hoithi.toml";
  WriteFile(path, "[server]\nport = 9000\n");
  auto c = LoadConfig(path.string(), true,
                      {{"HOITHI_SERVER_PORT", "9001"},
                       {"HOITHI_SERVER_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.2"},
                       {"HOITHI_LOG_ACCESS", "false"},
                       {"HOITHI_STORAGE_DATA_DIR", "/tmp/x/"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.port, 9001);
  EXPECT_EQ(c->server.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "10.0.0.2"}));
  EXPECT_FALSE(c->log.access);
  EXPECT_EQ(c->EffectiveDatabaseUrl(), "sqlite:///tmp/x/hoithi.db");
}

TEST(Config, UnknownKeyIsNamed) {
  TempDir dir;
  const auto path = dir.path() / "hoithi.toml";
  WriteFile(path, "[server]\nprot = 9000\n");
  auto c = LoadConfig(path.string(), true, {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "server.prot");
  EXPECT_NE(c.error().message.find("server.prot"), std::string::npos);
  EXPECT_NE(c.error().message.find("port"), std::string::npos);  // lists the known keys
}

TEST(Config, UnknownSectionIsNamed) {
  TempDir dir;
  const auto path = dir.path() / "hoithi.toml";
  WriteFile(path, "[sever]\nport = 9000\n");
  auto c = LoadConfig(path.string(), true, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("[sever]"), std::string::npos);
}

TEST(Config, WrongTypeNamesTheKeyAndTheExpectedForm) {
  TempDir dir;
  const auto path = dir.path() / "hoithi.toml";
  WriteFile(path, "[server]\nport = \"tám nghìn\"\n");
  auto c = LoadConfig(path.string(), true, {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "server.port");
  EXPECT_NE(c.error().message.find("số nguyên từ 0 đến 65535"), std::string::npos);
}

TEST(Config, OutOfRangeIsRejected) {
  auto c = LoadConfig("/nonexistent/hoithi.toml", false, {{"HOITHI_SERVER_PORT", "70000"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("HOITHI_SERVER_PORT"), std::string::npos);
}

TEST(Config, MalformedEnvironmentValueIsRejected) {
  auto c = LoadConfig("/nonexistent/hoithi.toml", false, {{"HOITHI_LOG_ACCESS", "maybe"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("true hoặc false"), std::string::npos);
}

TEST(Config, UnknownEnvironmentKeyInAKnownSectionIsRejected) {
  auto c = LoadConfig("/nonexistent/hoithi.toml", false, {{"HOITHI_SERVER_PROT", "1"}});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("HOITHI_SERVER_PROT"), std::string::npos);
}

TEST(Config, MalformedTomlGivesThePosition) {
  TempDir dir;
  const auto path = dir.path() / "hoithi.toml";
  WriteFile(path, "[server\nport = 1\n");
  auto c = LoadConfig(path.string(), true, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("hoithi.toml:1:"), std::string::npos);
}

TEST(Config, ExampleFileIsValidAndDocumentsEveryKey) {
  const std::string path = std::string(HOITHI_SOURCE_DIR) + "/hoithi.example.toml";
  const auto text = testing::ReadFile(path);
  ASSERT_FALSE(text.empty()) << path;
  auto c = LoadConfig(path, true, {});
  ASSERT_TRUE(c.ok()) << c.error().message;
  for (const auto& key : KnownConfigKeys()) {
    const auto dot = key.find('.');
    const auto section = "[" + key.substr(0, dot) + "]";
    const auto name = key.substr(dot + 1);
    const auto at = text.find(section);
    ASSERT_NE(at, std::string::npos) << section;
    const bool documented = text.find("\n" + name + " =", at) != std::string::npos ||
                            text.find("\n# " + name + " =", at) != std::string::npos;
    EXPECT_TRUE(documented) << key << " is not documented in hoithi.example.toml";
  }
}

}  // namespace
}  // namespace hoithi::core
