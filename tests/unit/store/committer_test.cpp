// The group committer: batching of concurrent writers, acknowledgement only after the durable
// commit, per-write and per-batch failures, shutdown that flushes; the backlog admission control
// reads, and reads that borrow a connection only when they need one.
#include "store/committer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <sstream>
#include <thread>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace hoithi::store {
namespace {

using namespace std::chrono_literals;

class CommitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions o;
    o.url = testing::DatabaseUrlFor(dir_.str(), "c.db");
    o.read_connections = 2;
    o.max_queue = 100000;
    auto db = Database::Open(o, &metrics_);
    ASSERT_TRUE(db.ok()) << db.error().detail;
    db_ = std::move(*db);
    ASSERT_TRUE(db_->WriteAndWait([](Connection& c) {
      return c.ExecScript(
          ForBackend("CREATE TABLE parent (id @AUTO_ID@);"
                     "CREATE TABLE w (id @AUTO_ID@, writer INTEGER, seq INTEGER, UNIQUE (writer, "
                     "seq));"
                     "CREATE TABLE child (id @AUTO_ID@, parent_id INTEGER"
                     " REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);",
                     c.backend()));
    }));
  }

  std::int64_t Count(std::string_view table) {
    auto lease = db_->Read();
    auto n = QueryInt(*lease, "SELECT COUNT(*) FROM " + std::string(table));
    return n->value_or(-1);
  }

  /// Occupies the committer until `release` is set, so the next writes queue into one batch.
  void HoldCommitter(std::promise<void>& started, std::shared_future<void> release) {
    db_->Write(
        [&started, release](Connection&) {
          started.set_value();
          release.wait();
          return core::Ok();
        },
        [](const core::Status&) {});
  }

  core::MetricsRegistry metrics_;
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(CommitterTest, ConcurrentWritersAreBatchedAndEveryAcknowledgedWriteIsStored) {
  constexpr int kWriters = 16, kWritesEach = 150;
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kWritesEach; ++i) {
        auto st = db_->WriteAndWait([w, i](Connection& c) -> core::Status {
          auto r = c.Exec("INSERT INTO w (writer, seq) VALUES ($1, $2)", {w, i});
          if (!r) return std::move(r).error();
          return core::Ok();
        });
        if (st) ++acknowledged;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(acknowledged.load(), kWriters * kWritesEach);
  EXPECT_EQ(Count("w"), kWriters * kWritesEach);
  // Fewer commits than writes: concurrent writes shared transactions (summed over the
  // committers: one on SQLite, several on PostgreSQL).
  std::istringstream text(metrics_.Render());
  long commits = 0;
  int committers = 0;
  for (std::string line; std::getline(text, line);) {
    if (!line.starts_with("hoithi_commit_batch_size_count{")) continue;
    commits += std::stol(line.substr(line.rfind(' ') + 1));
    ++committers;
  }
  ASSERT_GE(committers, 1);
  EXPECT_LT(commits, kWriters * kWritesEach);
}

TEST_F(CommitterTest, AWriteIsAcknowledgedOnlyAfterItsCommitIsVisible) {
  std::atomic<int> visible_at_ack{0};
  std::vector<std::future<void>> done;
  for (int i = 0; i < 50; ++i) {
    auto p = std::make_shared<std::promise<void>>();
    done.push_back(p->get_future());
    db_->Write(
        [i](Connection& c) -> core::Status {
          auto r = c.Exec("INSERT INTO w (writer, seq) VALUES (0, $1)", {i});
          if (!r) return std::move(r).error();
          return core::Ok();
        },
        [this, i, p, &visible_at_ack](const core::Status& st) {
          if (st) {
            // A separate connection sees the row: it was committed before we were told.
            auto lease = db_->Read();
            auto n = QueryInt(*lease, "SELECT COUNT(*) FROM w WHERE seq = $1", {i});
            if (n && n->value_or(0) == 1) ++visible_at_ack;
          }
          p->set_value();
        });
  }
  for (auto& f : done)
    f.wait();
  EXPECT_EQ(visible_at_ack.load(), 50);
}

TEST_F(CommitterTest, BeforeCommitHooksRunOnceAfterTheLastWriteAndAFailingOneFailsTheBatch) {
  for (const bool hook_fails : {false, true}) {
    std::promise<void> started;
    std::promise<void> release;
    HoldCommitter(started, release.get_future().share());
    started.get_future().wait();
    auto rows_seen_by_hook = std::make_shared<std::atomic<int>>(-1);
    auto hook_runs = std::make_shared<std::atomic<int>>(0);
    std::vector<std::future<core::Status>> results;
    for (int i = 0; i < 4; ++i) {
      auto p = std::make_shared<std::promise<core::Status>>();
      results.push_back(p->get_future());
      db_->Write(
          [=](Connection& c) -> core::Status {
            auto r =
                c.Exec("INSERT INTO w (writer, seq) VALUES (7, $1)", {i + (hook_fails ? 10 : 0)});
            if (!r) return std::move(r).error();
            // Every write registers the same key: it runs once, after all of them.
            c.BeforeCommit("count", [=](Connection& conn) -> core::Status {
              ++*hook_runs;
              auto n = QueryInt(conn, "SELECT COUNT(*) FROM w WHERE writer = 7");
              if (!n) return std::move(n).error();
              *rows_seen_by_hook = static_cast<int>(n->value_or(0));
              if (hook_fails) return InternalError("hook failed");
              return core::Ok();
            });
            return core::Ok();
          },
          [p](const core::Status& st) { p->set_value(st); });
    }
    release.set_value();
    for (auto& f : results) {
      const auto st = f.get();
      EXPECT_EQ(st.ok(), !hook_fails);
    }
    EXPECT_EQ(hook_runs->load(), 1) << "one batch, one run";
    EXPECT_EQ(rows_seen_by_hook->load(), hook_fails ? 8 : 4) << "the hook saw every write";
    EXPECT_EQ(Count("w"), 4) << "the batch whose hook failed left nothing";
  }
}

TEST_F(CommitterTest, AFailingWriteFailsAloneAndTheRestOfItsBatchCommits) {
  std::promise<void> started;
  std::promise<void> release;
  HoldCommitter(started, release.get_future().share());
  started.get_future().wait();
  std::vector<std::future<core::Status>> results;
  for (int i = 0; i < 5; ++i) {
    auto p = std::make_shared<std::promise<core::Status>>();
    results.push_back(p->get_future());
    db_->Write(
        [i](Connection& c) -> core::Status {
          // Writer 2 inserts a row that collides with writer 1's: a unique violation.
          auto r = c.Exec("INSERT INTO w (writer, seq) VALUES (9, $1)", {i == 2 ? 1 : i});
          if (!r) return std::move(r).error();
          return core::Ok();
        },
        [p](const core::Status& st) { p->set_value(st); });
  }
  release.set_value();
  std::vector<bool> ok;
  for (auto& f : results)
    ok.push_back(f.get().ok());
  EXPECT_EQ(ok, (std::vector<bool>{true, true, false, true, true}));
  EXPECT_EQ(Count("w"), 4);
}

TEST_F(CommitterTest, WhenTheCommitFailsEveryWriteOfTheBatchGetsAnErrorAndNothingIsStored) {
  std::promise<void> started;
  std::promise<void> release;
  HoldCommitter(started, release.get_future().share());
  started.get_future().wait();
  std::vector<std::future<core::Status>> results;
  for (int i = 0; i < 4; ++i) {
    auto p = std::make_shared<std::promise<core::Status>>();
    results.push_back(p->get_future());
    db_->Write(
        [i](Connection& c) -> core::Status {
          // The third write breaks a deferred foreign key: only COMMIT notices.
          auto r = i == 2 ? c.Exec("INSERT INTO child (parent_id) VALUES (12345)")
                          : c.Exec("INSERT INTO w (writer, seq) VALUES (7, $1)", {i});
          if (!r) return std::move(r).error();
          return core::Ok();
        },
        [p](const core::Status& st) { p->set_value(st); });
  }
  release.set_value();
  for (auto& f : results)
    EXPECT_FALSE(f.get().ok());
  EXPECT_EQ(Count("w"), 0);
  EXPECT_EQ(Count("child"), 0);
  // The committer goes on after a failed batch.
  EXPECT_TRUE(db_->WriteAndWait([](Connection& c) -> core::Status {
    auto r = c.Exec("INSERT INTO w (writer, seq) VALUES (8, 1)");
    if (!r) return std::move(r).error();
    return core::Ok();
  }));
}

TEST_F(CommitterTest, StopCommitsEverythingQueuedAndRefusesLaterWrites) {
  std::promise<void> started;
  std::promise<void> release;
  HoldCommitter(started, release.get_future().share());
  started.get_future().wait();
  std::atomic<int> ok{0};
  for (int i = 0; i < 200; ++i) {
    db_->Write(
        [i](Connection& c) -> core::Status {
          auto r = c.Exec("INSERT INTO w (writer, seq) VALUES (5, $1)", {i});
          if (!r) return std::move(r).error();
          return core::Ok();
        },
        [&ok](const core::Status& st) {
          if (st) ++ok;
        });
  }
  std::thread stopper([this] { db_->Close(); });
  std::this_thread::sleep_for(50ms);
  release.set_value();
  stopper.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_EQ(Count("w"), 200);
  auto late = db_->WriteAndWait([](Connection&) { return core::Ok(); });
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().kind, core::ErrorKind::kUnavailable);
}

TEST(Committer, AFullQueueRefusesAtOnce) {
  testing::TempDir dir;
  DatabaseOptions o;
  o.url = testing::DatabaseUrlFor(dir.str(), "q.db");
  o.read_connections = 1;
  o.max_queue = 2;
  auto db = Database::Open(o, nullptr);
  ASSERT_TRUE(db.ok());
  std::promise<void> started, release;
  auto gate = release.get_future().share();
  (*db)->Write(
      [&started, gate](Connection&) {
        started.set_value();
        gate.wait();
        return core::Ok();
      },
      [](const core::Status&) {});
  started.get_future().wait();
  std::vector<core::Status> outcomes(4);
  std::atomic<int> finished{0};
  for (int i = 0; i < 4; ++i) {
    (*db)->Write([](Connection&) { return core::Ok(); },
                 [&outcomes, &finished, i](const core::Status& st) {
                   outcomes[static_cast<size_t>(i)] = st;
                   ++finished;
                 });
  }
  // The last two were refused on the spot, before the committer was free again.
  EXPECT_EQ(finished.load(), 2);
  EXPECT_EQ(outcomes[3].error().code, "overloaded");
  release.set_value();
  (*db)->Close();
  EXPECT_EQ(finished.load(), 4);
}

TEST_F(CommitterTest, TheExpectedWaitIsHowLongTheBacklogHasWaitedAndZeroOnceItIsGone) {
  EXPECT_EQ(db_->ExpectedWriteWait().count(), 0) << "idle";
  std::promise<void> started, release;
  HoldCommitter(started, release.get_future().share());
  started.get_future().wait();
  for (int i = 0; i < 50; ++i)
    db_->Write([](Connection&) { return core::Ok(); }, [](const core::Status&) {});
  std::this_thread::sleep_for(60ms);
  EXPECT_GE(db_->ExpectedWriteWait(), 60ms)
      << "the batch under way and the queue behind it have waited this long";
  release.set_value();
  // Once the backlog is committed the estimate is zero again, however long the stall was: a
  // start after it is let in at once.
  ASSERT_TRUE(db_->WriteAndWait([](Connection&) { return core::Ok(); }));
  EXPECT_EQ(db_->ExpectedWriteWait().count(), 0);
  db_->Close();
}

TEST_F(CommitterTest, AnOnDemandReadBorrowsAConnectionOnlyOnceAStatementRuns) {
  {
    // Every read connection of the pool is taken, as by a committer's completions and the
    // standings' loader; a read that runs no statement does not wait for one.
    auto first = db_->Read();
    auto second = db_->Read();
    Database::OnDemandRead idle(*db_);
    EXPECT_EQ(idle.backend(), db_->backend());
  }
  {
    Database::OnDemandRead reading(*db_);
    auto n = QueryInt(reading, "SELECT COUNT(*) FROM w");
    ASSERT_TRUE(n);
    EXPECT_EQ(n->value_or(-1), 0);
    // It holds one of the two until it ends: the other is still free.
    auto other = db_->Read();
  }
  // Both are back in the pool (a leak would leave this waiting).
  auto first = db_->Read();
  auto second = db_->Read();
}

}  // namespace
}  // namespace hoithi::store
