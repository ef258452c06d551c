// One database connection behind a small interface that both backends (SQLite, PostgreSQL)
// implement. SQL is written once, with $1..$n placeholders, in the portable subset both accept.
// A Connection is used by one thread at a time; the Database hands them out (database.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace hoithi::store {

enum class Backend { kSqlite, kPostgres };

/// A bound parameter. Text is borrowed: it must outlive the call it is passed to.
class Param {
 public:
  Param(std::nullptr_t) : v_(nullptr) {}                       // NOLINT: implicit by design
  Param(bool b) : v_(static_cast<std::int64_t>(b ? 1 : 0)) {}  // NOLINT
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Param(T n) : v_(static_cast<std::int64_t>(n)) {}          // NOLINT
  Param(double d) : v_(d) {}                                // NOLINT
  Param(std::string_view s) : v_(s) {}                      // NOLINT
  Param(const std::string& s) : v_(std::string_view(s)) {}  // NOLINT
  Param(const char* s) : v_(std::string_view(s)) {}         // NOLINT
  template <class T>
  Param(const std::optional<T>& o)  // NOLINT
      : v_(o.has_value() ? Param(o.value()).v_ : Variant(nullptr)) {}

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(v_); }
  using Variant = std::variant<std::nullptr_t, std::int64_t, double, std::string_view>;
  const Variant& value() const { return v_; }

 private:
  Variant v_;
};

/// A non-owning list of parameters: `{a, b, c}` at a call site, or a vector built in a loop.
class ParamList {
 public:
  ParamList() = default;
#pragma GCC diagnostic push
#ifndef __clang__  // a GCC-only warning, unknown to clang (the fuzz build)
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  // The array behind `l` lives until the end of the full expression of the call that received
  // this ParamList, which is as long as a ParamList is ever used (it is only a parameter type).
  ParamList(std::initializer_list<Param> l) : data_(l.begin()), size_(l.size()) {}
#pragma GCC diagnostic pop
  ParamList(const std::vector<Param>& v) : data_(v.data()), size_(v.size()) {}  // NOLINT
  const Param* begin() const {
    return data_;
  }
  const Param* end() const {
    return data_ + size_;
  }
  std::size_t size() const {
    return size_;
  }
  const Param& operator[](std::size_t i) const {
    return data_[i];
  }

 private:
  const Param* data_ = nullptr;
  std::size_t size_ = 0;
};

/// One result row, valid only during the callback that receives it. Columns count from 0.
class Row {
 public:
  virtual ~Row() = default;
  virtual int size() const = 0;
  virtual bool IsNull(int col) const = 0;
  virtual std::int64_t Int(int col) const = 0;
  virtual double Real(int col) const = 0;
  virtual std::string_view Text(int col) const = 0;

  std::string Str(int col) const { return std::string(Text(col)); }
  bool Bool(int col) const { return Int(col) != 0; }
  std::optional<std::int64_t> OptInt(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::int64_t>(Int(col));
  }
  std::optional<std::string> OptStr(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::string>(Str(col));
  }
};

using RowFn = std::function<void(const Row&)>;

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Backend backend() const = 0;

  /// Runs one statement (prepared and cached by its text); returns the number of rows changed.
  virtual core::Result<std::int64_t> Exec(std::string_view sql, ParamList params = {}) = 0;

  /// Runs one query and calls `on_row` for each row, in order.
  virtual core::Status Query(std::string_view sql, ParamList params, const RowFn& on_row) = 0;

  /// Runs several ';'-separated statements without parameters (migrations, pragmas).
  virtual core::Status ExecScript(std::string_view sql) = 0;

  /// A cheap round trip that fails when the database does not answer.
  virtual core::Status Ping() = 0;

  // Transactions. Begin takes the write lock at once on SQLite (BEGIN IMMEDIATE).
  virtual core::Status Begin() = 0;
  virtual core::Status Commit() = 0;
  virtual core::Status Rollback() = 0;
  core::Status Savepoint(std::string_view name);
  core::Status ReleaseSavepoint(std::string_view name);
  core::Status RollbackToSavepoint(std::string_view name);

  /// Work for the end of the current write transaction, after all of its writes and just before
  /// COMMIT: what must see every write of the batch, or must hold a lock only for the commit
  /// itself (the audit chain: a lock taken last cannot be part of a deadlock). A `key` already
  /// registered in this transaction is not added again. The committer runs the hooks
  /// (RunBeforeCommit: a failure fails the batch) and drops them when the batch fails. A hook
  /// registered by a write that was then rolled back to its savepoint still runs, so a hook must
  /// look for what is due rather than assume it.
  using CommitHook = std::function<core::Status(Connection&)>;
  void BeforeCommit(std::string key, CommitHook hook);
  core::Status RunBeforeCommit();
  void DropBeforeCommit() { before_commit_.clear(); }

 private:
  std::vector<std::pair<std::string, CommitHook>> before_commit_;
};

// Query helpers over Connection::Query.

/// "$n": the placeholder of a statement's n-th parameter (from 1), for statements built with a
/// variable number of them.
std::string Placeholder(std::size_t n);

/// The first column of the first row as an integer; empty when there is no row.
core::Result<std::optional<std::int64_t>> QueryInt(Connection& c, std::string_view sql,
                                                   ParamList params = {});

/// Calls `on_row` for the first row only; returns whether there was one.
core::Result<bool> QueryFirst(Connection& c, std::string_view sql, ParamList params,
                              const RowFn& on_row);

/// Inside a write transaction: waits for, then holds until the transaction ends, a lock named
/// `key`, so that writes about one thing (a participant's attempts, a phone being registered)
/// never interleave across the committers of a process or across instances. PostgreSQL: a
/// transaction-scoped advisory lock on a 64-bit hash of the key (two keys sharing a hash only
/// wait for each other). SQLite: nothing to do, as it has one writer at a time.
core::Status LockKey(Connection& c, std::string_view key);

/// As LockKey, but without waiting: false when another transaction holds the lock now. For a
/// lock taken in the middle of a batch (LockKey there may deadlock with the row locks of the
/// batch's other writes), by a caller that can just try again later. SQLite: always true.
core::Result<bool> TryLockKey(Connection& c, std::string_view key);

// The errors every store operation may return, with their Vietnamese messages.
core::Error Unavailable(std::string detail);
core::Error StorageFull(std::string detail);
/// The database takes no writes (a read-only file or filesystem, a PostgreSQL standby): 503.
inline constexpr std::string_view kReadOnlyCode = "database_read_only";
core::Error ReadOnly(std::string detail);
core::Error Duplicate(std::string detail);
/// Whether a statement failed on a UNIQUE or PRIMARY KEY constraint (the row is there already):
/// the expected failure a caller turns into its own conflict ("duplicate_question", ...). The one
/// place that knows how Duplicate marks it.
bool IsDuplicate(const core::Error& error);
core::Error ConstraintViolation(std::string detail);
core::Error InternalError(std::string detail);

}  // namespace hoithi::store
