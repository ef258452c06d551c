// The install's secret keys (CSRF, sealing of initial passwords) live in a key file of the data
// directory, private to the server's user, and never in the database (SQLite here, PostgreSQL as
// pg.*): a copy of the database opens nothing. An earlier version's keys move out of it. And
// what the database holds of a session: the hash of its token, never the token.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>

#include "store/database.hpp"
#include "support/direct_database.hpp"
#include "support/html_forms.hpp"
#include "support/http_client.hpp"
#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"

namespace hoithi::testing {
namespace {

std::int64_t CountSecretsInDatabase(const std::string& data_dir) {
  auto db = OpenDirect(data_dir);
  auto lease = db->Read();
  std::int64_t n = -1;
  EXPECT_TRUE(lease
                  ->Query("SELECT COUNT(*) FROM server_secrets", {},
                          [&](const store::Row& r) { n = r.Int(0); })
                  .ok());
  return n;
}

int ModeOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 0777);
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Secrets, TheKeysLiveInAPrivateFileOfTheDataDirectoryAndNotInTheDatabase) {
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  const auto key_file = server.data_dir() + "/secrets.key";
  EXPECT_EQ(ModeOf(key_file), 0600) << key_file;
  EXPECT_EQ(CountSecretsInDatabase(server.data_dir()), 0) << "a secret kept in the database";
  if (!OnPostgres()) {
    EXPECT_EQ(ModeOf(server.data_dir() + "/hoithi.db") & 077, 0) << "others may read the database";
  }

  // The keys outlive a restart: a form served before it is accepted after it.
  HttpClient browser(server.base_url());
  const auto form = browser.Get("/dang-nhap");
  const auto csrf = CsrfOf(form.body);
  ASSERT_FALSE(csrf.empty());
  const auto set_cookie = form.Header("set-cookie");
  const auto cookie = set_cookie.substr(0, set_cookie.find(';'));  // the form's anonymous seed
  ASSERT_FALSE(cookie.empty());
  ASSERT_EQ(server.Stop(SIGTERM), 0) << server.log();
  server.Start();
  HttpClient again(server.base_url());
  const auto r =
      again.Post("/dang-nhap", "_csrf=" + csrf + "&login=thuky&password=hoithi-demo-2021",
                 "application/x-www-form-urlencoded", {"Cookie: " + cookie});
  EXPECT_EQ(r.status, 303) << r.body.substr(0, 300);
  ExpectCleanStop(server);
}

TEST(Secrets, KeysAnEarlierVersionKeptInTheDatabaseMoveToTheFile) {
  ServerProcess server;
  server.SeedDemo();
  const std::string seal(64, 'a'), csrf(64, 'c');
  {
    auto db = OpenDirect(server.data_dir());
    ASSERT_TRUE(db->WriteAndWait([&](store::Connection& c) -> core::Status {
                    auto r = c.Exec(
                        "INSERT INTO server_secrets (name, value, created_at) VALUES ('seal', $1, "
                        "0), ('csrf', $2, 0)",
                        {seal, csrf});
                    if (!r) return std::move(r).error();
                    return core::Ok();
                  }).ok());
  }
  server.Start();
  const auto text = ReadText(server.data_dir() + "/secrets.key");
  EXPECT_NE(text.find("seal " + seal), std::string::npos) << "the sealing key was not kept";
  EXPECT_NE(text.find("csrf " + csrf), std::string::npos);
  EXPECT_EQ(CountSecretsInDatabase(server.data_dir()), 0) << "the moved keys stay in the database";
  ExpectCleanStop(server);
}

TEST(Sessions, OnlyTheHashOfATokenIsStoredAndTheSessionLastsTwelveHours) {
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  HttpClient c(server.base_url());
  const auto r =
      c.Post("/api/v1/auth/login", R"({"login":"giamkhao","password":"hoithi-demo-2021"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto token = r.Json().value("token", "");
  ASSERT_EQ(token.size(), 43u);
  const auto user_id = r.Json()["user"].value("id", std::int64_t{0});
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  auto db = OpenDirect(server.data_dir());
  auto lease = db->Read();
  int rows = 0;
  bool hashed = false;
  std::int64_t lifetime_ms = 0;
  ASSERT_TRUE(lease
                  ->Query("SELECT token_hash, expires_at - created_at FROM sessions"
                          " WHERE user_id = $1",
                          {user_id},
                          [&](const store::Row& row) {
                            ++rows;
                            EXPECT_NE(row.Str(0), token) << "the token itself is stored";
                            if (row.Str(0) == hex) {
                              hashed = true;
                              lifetime_ms = row.Int(1);
                            }
                          })
                  .ok());
  EXPECT_EQ(rows, 1);
  EXPECT_TRUE(hashed) << "no session row holds the SHA-256 of the token";
  EXPECT_EQ(lifetime_ms, 12LL * 3600 * 1000);
  ExpectCleanStop(server);
}

}  // namespace
}  // namespace hoithi::testing
