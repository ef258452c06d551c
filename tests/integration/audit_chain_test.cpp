// Tamper evidence of the audit log through the real binary, a real server and a real database
// (SQLite here, PostgreSQL as pg.*): `hoithi audit verify` after rows are changed, deleted or
// inserted behind the server's back, which the test does by opening the database itself.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
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

void Sql(store::Database& db, const std::string& sql) {
  const auto st = db.WriteAndWait([&](store::Connection& c) -> core::Status {
    auto r = c.Exec(sql);
    if (!r) return std::move(r).error();
    return core::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.error().detail;
}

struct AuditEntry {
  std::int64_t id = 0;
  std::string action;
  std::string after_json;
};

/// The chained audit entries, in chain order.
std::vector<AuditEntry> Chain(store::Database& db) {
  std::vector<AuditEntry> out;
  auto lease = db.Read();
  const auto st = lease->Query(
      "SELECT id, action, after_json FROM audit_log WHERE chain_seq IS NOT NULL"
      " ORDER BY chain_seq",
      {}, [&](const store::Row& r) {
        out.push_back({r.Int(0), r.Str(1), r.Str(2)});
      });
  EXPECT_TRUE(st.ok());
  return out;
}

CliResult Verify(const ServerProcess& server, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"audit", "verify"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunHoithi(args, server.env());
}

/// The head hash that `audit verify` printed.
std::string HeadHash(const CliResult& r) {
  const std::string marker = "): ";
  const auto line = r.out.find("Mã băm đầu chuỗi");
  if (line == std::string::npos) return "";
  const auto at = r.out.find(marker, line);
  return at == std::string::npos ? "" : r.out.substr(at + marker.size(), 64);
}

// ---------------------------------------------------------------------------------------------
// The audit chain

TEST(AuditChain, VerifyNamesTheFirstEntryChangedDeletedOrInsertedBehindTheServersBack) {
  ServerProcess server;
  server.SeedDemo();
  server.Start();
  // Audited writes from four clients at once: on PostgreSQL they spread over several committers,
  // and the chain must still come out linear.
  std::vector<std::thread> clients;
  std::atomic<int> created{0};
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      HttpClient c(server.base_url());
      for (int i = 0; i < 5; ++i) {
        if (RegisterParticipant(c, NewPhone()).status == 201) ++created;
      }
    });
  }
  for (auto& t : clients)
    t.join();
  ASSERT_EQ(created.load(), 20);

  auto ok = Verify(server);
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("nguyên vẹn"), std::string::npos) << ok.out;
  const auto head = HeadHash(ok);
  ASSERT_EQ(head.size(), 64u) << ok.out;

  auto db = OpenDirect(server.data_dir());
  auto chain = Chain(*db);
  ASSERT_GE(chain.size(), 21u);  // the seed, and one per registration
  const auto& middle = chain[chain.size() / 2];
  const std::string id = std::to_string(middle.id);

  // One field of a middle entry changed: that entry is named, with its time and action.
  Sql(*db, "UPDATE audit_log SET action = 'auth.logout' WHERE id = " + id);
  auto broken = Verify(server);
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_NE(broken.err.find("mã " + id + ", lúc "), std::string::npos) << broken.err;
  EXPECT_NE(broken.err.find("auth.logout"), std::string::npos) << broken.err;
  EXPECT_NE(broken.err.find("đã bị sửa"), std::string::npos) << broken.err;
  // Put back, the chain is whole again: the failure came from that change alone.
  Sql(*db, "UPDATE audit_log SET action = '" + middle.action + "' WHERE id = " + id);
  ok = Verify(server);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;

  // The state recorded after the change, edited in another entry.
  const auto& other = chain[chain.size() / 2 + 2];
  Sql(*db, "UPDATE audit_log SET after_json = '{}' WHERE id = " + std::to_string(other.id));
  broken = Verify(server);
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("mã " + std::to_string(other.id) + ","), std::string::npos)
      << broken.err;
  Sql(*db, "UPDATE audit_log SET after_json = " +
               (other.after_json.empty() ? "NULL" : "'" + other.after_json + "'") +
               " WHERE id = " + std::to_string(other.id));
  ASSERT_EQ(Verify(server).exit_code, 0);

  // A row inserted directly, outside the chain; and it stays outside, named, however many
  // entries the server writes after it, and after a migrate.
  Sql(*db, "INSERT INTO audit_log (at, actor, action) VALUES (0, 'ai-do', 'user.role_change')");
  broken = Verify(server);
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("nằm ngoài chuỗi"), std::string::npos) << broken.err;
  {
    HttpClient c(server.base_url());
    EXPECT_EQ(RegisterParticipant(c, NewPhone()).status, 201);
    EXPECT_EQ(RegisterParticipant(c, NewPhone()).status, 201);
  }
  EXPECT_EQ(RunHoithi({"migrate"}, server.env()).exit_code, 0);
  broken = Verify(server);
  EXPECT_EQ(broken.exit_code, 1) << "a forged row joined the chain: " << broken.out;
  EXPECT_NE(broken.err.find("nằm ngoài chuỗi"), std::string::npos) << broken.err;
  EXPECT_NE(broken.err.find("user.role_change"), std::string::npos) << broken.err;
  Sql(*db, "DELETE FROM audit_log WHERE chain_seq IS NULL");
  ASSERT_EQ(Verify(server).exit_code, 0);

  // The newest entries deleted: only a head hash recorded elsewhere tells. The server goes on
  // appending after this, so the head recorded now is the last entry's.
  const auto newest = Verify(server);
  const auto recorded_head = HeadHash(newest);
  Sql(*db, "DELETE FROM audit_log WHERE id = " + std::to_string(Chain(*db).back().id));
  EXPECT_EQ(Verify(server).exit_code, 0) << "without --head, nothing can tell";
  broken = Verify(server, {"--head", recorded_head});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("--head"), std::string::npos) << broken.err;

  // A middle entry deleted: the entry after it is named, and the gap.
  chain = Chain(*db);
  const auto& victim = chain[chain.size() / 2];
  const auto& successor = chain[chain.size() / 2 + 1];
  Sql(*db, "DELETE FROM audit_log WHERE id = " + std::to_string(victim.id));
  broken = Verify(server);
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("mã " + std::to_string(successor.id) + ","), std::string::npos)
      << broken.err;
  EXPECT_NE(broken.err.find("đã bị xóa"), std::string::npos) << broken.err;

  // The server keeps appending after the break; verify still names the same first break.
  HttpClient c(server.base_url());
  EXPECT_EQ(RegisterParticipant(c, NewPhone()).status, 201);
  broken = Verify(server);
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("mã " + std::to_string(successor.id) + ","), std::string::npos)
      << broken.err;
  ExpectCleanStop(server);
}

TEST(AuditChain, EntriesWrittenBeforeTheChainExistedJoinItWhenTheDatabaseIsMigrated) {
  TempDir dir;
  const Env env = {{"HOITHI_STORAGE_DATA_DIR", dir.str()}};
  ASSERT_EQ(RunHoithi({"seed-demo"}, env).exit_code, 0);
  {
    // Back to the schema before migration 0008, with entries the chain never saw.
    auto db = OpenDirect(dir.str());
    const auto st = db->WriteAndWait([](store::Connection& c) {
      return c.ExecScript(
          "DROP INDEX audit_log_chain_seq; DROP INDEX audit_log_unchained;"
          "ALTER TABLE audit_log DROP COLUMN chain_seq;"
          "ALTER TABLE audit_log DROP COLUMN prev_hash;"
          "ALTER TABLE audit_log DROP COLUMN entry_hash;"
          "DELETE FROM schema_migrations WHERE version = 8;"
          "INSERT INTO audit_log (at, actor, action) VALUES (1, 'cli', 'user.create');"
          "INSERT INTO audit_log (at, actor, action) VALUES (2, 'cli', 'user.create');");
    });
    ASSERT_TRUE(st.ok()) << st.error().detail;
  }
  const auto migrated = RunHoithi({"migrate"}, env);
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  EXPECT_NE(migrated.out.find("đã áp dụng 1 bản cập nhật"), std::string::npos) << migrated.out;
  const auto verified = RunHoithi({"audit", "verify"}, env);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("Số mục trong chuỗi nhật ký: 3"), std::string::npos) << verified.out;
  // Chained in id order: the seed's entry first.
  auto db = OpenDirect(dir.str());
  const auto chain = Chain(*db);
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(chain[0].action, "contest.seed_demo");
  EXPECT_LT(chain[0].id, chain[1].id);
  EXPECT_LT(chain[1].id, chain[2].id);
}

}  // namespace
}  // namespace hoithi::testing
