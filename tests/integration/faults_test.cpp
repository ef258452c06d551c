// Resource faults under a running server: a full disk (the SQLite data dir on a small tmpfs) and
// a read-only database (PostgreSQL turned read-only, as after a failover to a standby). Writes
// fail with 507 / 503 and a Vietnamese message, nothing is half-written, reads keep working, and
// writes work again as soon as the fault is gone, without a restart.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;

/// A tmpfs of `megabytes` mounted on a fresh directory; unmounted at the end.
class SmallDisk {
 public:
  explicit SmallDisk(int megabytes) {
    path_ = dir_.path() / "disk";
    std::filesystem::create_directories(path_);
    const auto options = "size=" + std::to_string(megabytes) + "m";
    mounted_ = mount("hoithi-test", path_.c_str(), "tmpfs", 0, options.c_str()) == 0;
    if (!mounted_) why_ = std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& why() const { return why_; }
  std::string str() const { return path_.string(); }

  /// Writes a file until the disk is full.
  void Fill() {
    std::ofstream out(path_ / "filler", std::ios::binary);
    const std::string chunk(64 << 10, 'x');
    while (out.write(chunk.data(), static_cast<std::streamsize>(chunk.size())) && out.flush()) {
    }
  }
  void Free() { std::filesystem::remove(path_ / "filler"); }

 private:
  TempDir dir_;
  std::filesystem::path path_;
  bool mounted_ = false;
  std::string why_;
};

bool CanLogIn(const ServerProcess& server, const std::string& phone) {
  HttpClient c(server.base_url());
  return c.Post("/api/v1/auth/login", json{{"login", phone}, {"password", kStrongPassword}}.dump())
             .status == 200;
}

/// Reads that need no write still answer.
void ExpectReadsWork(const ServerProcess& server, const std::string& token) {
  HttpClient c(server.base_url());
  EXPECT_TRUE(IsAnswer(c.Get("/api/v1/leaderboard"), 200));
  EXPECT_TRUE(IsAnswer(c.Get("/api/v1/units"), 200));
  EXPECT_EQ(c.Get("/").status, 200);
  c.set_bearer(token);
  EXPECT_TRUE(IsAnswer(c.Get("/api/v1/auth/session"), 200));
}

TEST(Faults, AFullDiskRefusesWritesWith507AndRecoversWithoutARestart) {
  if (OnPostgres()) GTEST_SKIP() << "the PostgreSQL cluster is shared by the test run";
  SmallDisk disk(48);
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs (needs root): " << disk.why();
  ServerProcess server({}, disk.str());
  server.SeedDemo();
  server.Start();
  auto before = NewParticipant(server);

  disk.Fill();
  // Pages the database already holds may still take a few writes; keep writing until one fails.
  HttpClient c(server.base_url());
  std::vector<std::string> acknowledged;
  std::string refused;
  HttpResponse failure;
  for (int i = 0; i < 5000 && refused.empty(); ++i) {
    const auto phone = NewPhone();
    const auto r = RegisterParticipant(c, phone);
    if (r.status == 201) {
      acknowledged.push_back(phone);
    } else {
      refused = phone;
      failure = r;
    }
  }
  ASSERT_FALSE(refused.empty()) << "the disk never filled up";
  EXPECT_EQ(failure.status, 507) << failure.body;
  EXPECT_EQ(ErrorOf(failure).value("code", ""), "storage_full");
  EXPECT_NE(ErrorOf(failure).value("message", "").find("hết dung lượng"), std::string::npos);
  EXPECT_FALSE(failure.Header("retry-after").empty());
  ExpectReadsWork(server, before.token);

  disk.Free();
  // Nothing of the refused registration was kept: the same phone registers now, once.
  const auto again = RegisterParticipant(c, refused);
  EXPECT_TRUE(IsAnswer(again, 201));
  EXPECT_TRUE(CanLogIn(server, refused));
  for (const auto& phone : acknowledged)
    EXPECT_TRUE(CanLogIn(server, phone)) << phone;
  ExpectCleanStop(server);
  const auto check = RunHoithi({"migrate"}, server.env());  // opens and checks the file again
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

TEST(Faults, AReadOnlyDatabaseRefusesWritesWith503AndRecoversWithoutARestart) {
  if (!OnPostgres()) GTEST_SKIP() << "PostgreSQL only: a standby or a read-only database";
  TempDir dir;
  ServerProcess server({}, dir.str());
  server.SeedDemo();
  server.Start();
  auto before = NewParticipant(server);
  auto p = NewParticipant(server);
  const auto attempt = Start(*p.http);

  SetDatabaseReadOnly(dir.str(), true);
  HttpClient c(server.base_url());
  const auto phone = NewPhone();
  HttpResponse r;
  // The first write after the sessions ended may meet a dropped connection (503 too).
  for (int i = 0; i < 10; ++i) {
    r = RegisterParticipant(c, phone);
    if (ErrorOf(r).value("code", "") == "database_read_only") break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(ErrorOf(r).value("code", ""), "database_read_only") << r.body;
  EXPECT_NE(ErrorOf(r).value("message", "").find("chỉ đọc"), std::string::npos);
  EXPECT_FALSE(r.Header("retry-after").empty());
  const json one = json::array({{{"question_id", attempt["questions"][0]["id"]},
                                 {"option_id", attempt["questions"][0]["options"][0]["id"]}}});
  const auto save = SaveAnswers(*p.http, attempt, one);
  EXPECT_EQ(save.status, 503) << save.body;
  ExpectReadsWork(server, before.token);

  SetDatabaseReadOnly(dir.str(), false);
  // Each connection that met the read-only database starts a new session before its next use.
  HttpResponse back;
  for (int i = 0; i < 20 && back.status != 201; ++i) {
    back = RegisterParticipant(c, phone);
    if (back.status != 201) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(IsAnswer(back, 201)) << "not writable again without a restart";
  EXPECT_TRUE(CanLogIn(server, phone));
  EXPECT_TRUE(IsAnswer(SaveAnswers(*p.http, attempt, one), 204));
  ExpectCleanStop(server);
}

}  // namespace
}  // namespace hoithi::testing
