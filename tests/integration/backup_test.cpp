// Backups through the real binary, a real server and a real database (SQLite here, PostgreSQL as
// pg.*): `hoithi backup` while the server takes writes, then `hoithi restore` into a fresh
// database that a new server serves; and the refusals of a wrong file or a database in use.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/database.hpp"
#include "support/direct_database.hpp"
#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;

std::set<std::string> Logins(store::Database& db) {
  std::set<std::string> out;
  auto lease = db.Read();
  EXPECT_TRUE(
      lease
          ->Query("SELECT login FROM users", {}, [&](const store::Row& r) { out.insert(r.Str(0)); })
          .ok());
  return out;
}

CliResult Verify(const ServerProcess& server, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"audit", "verify"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunHoithi(args, server.env());
}

// ---------------------------------------------------------------------------------------------
// Backups

TEST(Backup, ARoundTripWhileTheServerTakesWritesKeepsEveryAcknowledgedWrite) {
  TempDir backups;
  const auto file = (backups.path() / "hoithi.bak").string();
  std::vector<std::string> before_backup;  // acknowledged before the backup started
  std::size_t acknowledged = 0;
  {
    ServerProcess server;
    server.SeedDemo();
    server.Start();
    std::mutex mu;
    std::vector<std::string> acked;
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0};
    std::thread writer([&] {
      HttpClient c(server.base_url());
      while (!stop) {
        const auto phone = NewPhone();
        if (RegisterParticipant(c, phone).status == 201) {
          std::lock_guard lock(mu);
          acked.push_back(phone);
        } else {
          ++failures;
        }
      }
    });
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(mu);
        if (acked.size() >= 10) break;
      }
      std::this_thread::sleep_for(20ms);
    }
    {
      std::lock_guard lock(mu);
      before_backup = acked;
    }
    const auto r = RunHoithi({"backup", file}, server.env());
    std::this_thread::sleep_for(300ms);  // writes go on after the backup as well
    stop = true;
    writer.join();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 077, 0u) << "a backup others may read: " << std::oct << st.st_mode;
    EXPECT_NE(r.out.find("Đã sao lưu"), std::string::npos) << r.out;
    EXPECT_EQ(failures.load(), 0);
    acknowledged = acked.size();
    ASSERT_GE(before_backup.size(), 10u);
    // A second backup to the same file is refused without --overwrite.
    const auto again = RunHoithi({"backup", file}, server.env());
    EXPECT_EQ(again.exit_code, 2);
    EXPECT_NE(again.err.find("--overwrite"), std::string::npos) << again.err;
    ExpectCleanStop(server);
  }
  EXPECT_GT(acknowledged, before_backup.size()) << "no write overlapped the backup";

  ServerProcess restored;
  const auto r = RunHoithi({"restore", file}, restored.env());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Đã khôi phục"), std::string::npos) << r.out;
  {
    auto db = OpenDirect(restored.data_dir());
    const auto logins = Logins(*db);
    for (const auto& phone : before_backup) {
      EXPECT_TRUE(logins.count(phone)) << phone << " was acknowledged before the backup";
    }
    if (!OnPostgres()) {
      auto lease = db->Read();
      std::string verdict;
      ASSERT_TRUE(lease
                      ->Query("PRAGMA integrity_check", {},
                              [&](const store::Row& row) { verdict += row.Str(0); })
                      .ok());
      EXPECT_EQ(verdict, "ok");
    }
  }
  restored.Start();
  const auto chain = Verify(restored);
  EXPECT_EQ(chain.exit_code, 0) << chain.out << chain.err;
  HttpClient c(restored.base_url());
  const auto login =
      c.Post("/api/v1/auth/login",
             json{{"login", before_backup.front()}, {"password", kStrongPassword}}.dump());
  EXPECT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(RegisterParticipant(c, NewPhone()).status, 201);
  ExpectCleanStop(restored);
}

TEST(Backup, RestoreRefusesAMissingFileAWrongFileAndADatabaseInUse) {
  TempDir backups;
  ServerProcess server;
  server.SeedDemo();

  auto r = RunHoithi({"restore", (backups.path() / "khong-co.bak").string()}, server.env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("Không có tệp sao lưu"), std::string::npos) << r.err;

  const auto junk = (backups.path() / "ghi-chu.txt").string();
  WriteFile(junk, "đây không phải bản sao lưu\n");
  r = RunHoithi({"restore", junk}, server.env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("không phải bản sao lưu"), std::string::npos) << r.err;

  r = RunHoithi({"backup", backups.str()}, server.env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("thư mục"), std::string::npos) << r.err;

  server.Start();
  const auto file = (backups.path() / "hoithi.bak").string();
  ASSERT_EQ(RunHoithi({"backup", file}, server.env()).exit_code, 0);
  r = RunHoithi({"restore", file}, server.env());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("máy chủ hoithi còn chạy"), std::string::npos) << r.err;
  HttpClient c(server.base_url());
  EXPECT_EQ(RegisterParticipant(c, NewPhone()).status, 201)
      << "the refused restore left the server working";
  ExpectCleanStop(server);
  // Stopped, the same restore goes through.
  r = RunHoithi({"restore", file}, server.env());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace hoithi::testing
