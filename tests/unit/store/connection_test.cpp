// The Connection interface on SQLite: binding, placeholders, NULLs and error mapping.
#include <gtest/gtest.h>

#include "store/database.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "support/temp_dir.hpp"

namespace hoithi::store {
namespace {

class SqliteConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = OpenSqlite({(dir_.path() / "t.db").string(), 1000, false});
    ASSERT_TRUE(c.ok()) << c.error().detail;
    conn_ = std::move(*c);
    ASSERT_TRUE(
        conn_->ExecScript("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE,"
                          " n BIGINT, x REAL)"));
  }
  testing::TempDir dir_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(SqliteConnectionTest, BindsEveryParameterKindAndReadsItBack) {
  const std::string name = "Sở Nội vụ";
  ASSERT_TRUE(conn_->Exec("INSERT INTO t (name, n, x) VALUES ($1, $2, $3)", {name, 42, 2.5}));
  ASSERT_TRUE(conn_->Exec("INSERT INTO t (name, n, x) VALUES ($1, $2, $3)",
                          {"null row", nullptr, std::optional<double>()}));
  std::vector<std::string> seen;
  ASSERT_TRUE(conn_->Query("SELECT name, n, x FROM t ORDER BY id", {}, [&](const Row& r) {
    seen.push_back(r.Str(0) + "|" + (r.IsNull(1) ? "NULL" : std::to_string(r.Int(1))) + "|" +
                   (r.IsNull(2) ? "NULL" : std::to_string(r.Real(2))));
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"Sở Nội vụ|42|2.500000", "null row|NULL|NULL"}));
}

TEST_F(SqliteConnectionTest, PlaceholdersBindByNumberNotByPosition) {
  ASSERT_TRUE(conn_->Exec("INSERT INTO t (n, name) VALUES ($2, $1)", {"b", 7}));
  auto n = QueryInt(*conn_, "SELECT n FROM t WHERE name = $1", {"b"});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->value_or(-1), 7);
}

TEST_F(SqliteConnectionTest, UniqueViolationIsADuplicateConflict) {
  ASSERT_TRUE(conn_->Exec("INSERT INTO t (name) VALUES ($1)", {"x"}));
  auto r = conn_->Exec("INSERT INTO t (name) VALUES ($1)", {"x"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, core::ErrorKind::kConflict);
  EXPECT_EQ(r.error().code, "duplicate");
  EXPECT_EQ(r.error().message.find("INSERT"), std::string::npos);  // no SQL for people
}

TEST_F(SqliteConnectionTest, WrongParameterCountIsAnInternalError) {
  auto r = conn_->Exec("INSERT INTO t (name) VALUES ($1)", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, core::ErrorKind::kInternal);
}

TEST_F(SqliteConnectionTest, SavepointUndoesOnlyItsOwnWork) {
  ASSERT_TRUE(conn_->Begin());
  ASSERT_TRUE(conn_->Exec("INSERT INTO t (name) VALUES ('kept')"));
  ASSERT_TRUE(conn_->Savepoint("s"));
  ASSERT_TRUE(conn_->Exec("INSERT INTO t (name) VALUES ('undone')"));
  ASSERT_TRUE(conn_->RollbackToSavepoint("s"));
  ASSERT_TRUE(conn_->ReleaseSavepoint("s"));
  ASSERT_TRUE(conn_->Commit());
  auto n = QueryInt(*conn_, "SELECT COUNT(*) FROM t");
  EXPECT_EQ(n->value_or(-1), 1);
}

TEST(SqliteOpen, UnwritableLocationFailsWithThePath) {
  auto c = OpenSqlite({"/dev/null/sub/x.db", 100, false});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().detail.find("/dev/null/sub/x.db"), std::string::npos);
}

TEST(DatabaseUrl, NoPasswordReachesTheDescriptionThatIsLogged) {
  for (const char* text :
       {"postgresql://hoithi:bi-mat-1@db.example:5432/hoithi",
        "postgresql://hoithi@db.example/hoithi?password=bi-mat-1",
        "postgresql://hoithi@db.example/hoithi?sslmode=require&password=bi-mat-1&connect_timeout=5",
        "postgresql://hoithi:bi-mat-1@db.example/hoithi?password=bi-mat-1"}) {
    auto url = ParseDatabaseUrl(text);
    ASSERT_TRUE(url.ok()) << text;
    const auto description = DescribeDatabase(*url);
    EXPECT_EQ(description.find("bi-mat-1"), std::string::npos) << description;
    EXPECT_NE(description.find("db.example"), std::string::npos) << description;
  }
  auto url = ParseDatabaseUrl("postgresql://hoithi@db/hoithi?sslmode=require&password=x&a=b");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(DescribeDatabase(*url),
            "PostgreSQL postgresql://hoithi@db/hoithi?sslmode=require&password=***&a=b");
}

}  // namespace
}  // namespace hoithi::store
