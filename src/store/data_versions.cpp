// DataVersions: one SELECT of four rows per poll.
#include "store/data_versions.hpp"

#include <spdlog/spdlog.h>

namespace hoithi::store {
namespace {

std::int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int IndexOf(std::string_view name) {
  if (name == "sessions") return 0;
  if (name == "contests") return 1;
  if (name == "questions") return 2;
  if (name == "results") return 3;
  return -1;
}

}  // namespace

core::Result<std::int64_t> ReadCounter(Connection& conn, std::string_view name) {
  auto version = QueryInt(conn, "SELECT version FROM data_versions WHERE name = $1", {name});
  if (!version) return std::move(version).error();
  return version->value_or(0);
}

DataVersions::DataVersions(Database& db, std::chrono::milliseconds interval)
    : db_(db), interval_(interval) {}

DataVersions::~DataVersions() {
  Stop();
}

void DataVersions::Start() {
  if (thread_.joinable()) return;
  Poll();
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, interval_, [this] { return stop_; });
      if (stop_) break;
      lock.unlock();
      Poll();
      lock.lock();
    }
  });
}

void DataVersions::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::int64_t DataVersions::Current(Cached what) {
  if (!thread_.joinable() && SteadyMs() - polled_at_ms_.load() >= interval_.count()) Poll();
  return counters_[static_cast<int>(what)].load(std::memory_order_acquire);
}

void DataVersions::Refresh() {
  Poll();
}

void DataVersions::Poll() {
  auto lease = db_.Read();
  const auto st = lease->Query("SELECT name, version FROM data_versions", {}, [&](const Row& r) {
    if (const int i = IndexOf(r.Text(0)); i >= 0) {
      // Only forward: a poll and a Refresh may finish in either order, and an older reading
      // stored last would make a fresh cache entry look stale, or a stale one fresh
      // (tests/unit/store/concurrency_test.cpp saw it). The counters only grow in the database;
      // after a restore from a backup, instances are restarted (docs/operations.md).
      auto& counter = counters_[i];
      const auto seen = r.Int(1);
      auto current = counter.load(std::memory_order_acquire);
      while (current < seen &&
             !counter.compare_exchange_weak(current, seen, std::memory_order_acq_rel)) {
      }
    }
  });
  polled_at_ms_.store(SteadyMs());
  if (!st) spdlog::warn("data versions: {} {}", st.error().code, st.error().detail);
}

}  // namespace hoithi::store
