// Backend-independent parts of Connection: savepoints, query helpers and the store's errors.
#include "store/connection.hpp"

#include <fmt/format.h>

namespace hoithi::store {

using core::ErrorKind;

core::Status Connection::Savepoint(std::string_view name) {
  auto r = Exec(fmt::format("SAVEPOINT {}", name));
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Status Connection::ReleaseSavepoint(std::string_view name) {
  auto r = Exec(fmt::format("RELEASE SAVEPOINT {}", name));
  if (!r) return std::move(r).error();
  return core::Ok();
}

core::Status Connection::RollbackToSavepoint(std::string_view name) {
  auto r = Exec(fmt::format("ROLLBACK TO SAVEPOINT {}", name));
  if (!r) return std::move(r).error();
  return core::Ok();
}

void Connection::BeforeCommit(std::string key, CommitHook hook) {
  for (const auto& [k, h] : before_commit_) {
    if (k == key) return;
  }
  before_commit_.emplace_back(std::move(key), std::move(hook));
}

core::Status Connection::RunBeforeCommit() {
  auto hooks = std::move(before_commit_);
  before_commit_.clear();
  for (auto& [key, hook] : hooks) {
    HOITHI_TRY(hook(*this));
  }
  return core::Ok();
}

std::string Placeholder(std::size_t n) {
  return fmt::format("${}", n);
}

core::Result<std::optional<std::int64_t>> QueryInt(Connection& c, std::string_view sql,
                                                   ParamList params) {
  std::optional<std::int64_t> out;
  HOITHI_TRY(c.Query(sql, params, [&](const Row& row) {
    if (!out && !row.IsNull(0)) out = row.Int(0);
  }));
  return out;
}

core::Status LockKey(Connection& c, std::string_view key) {
  if (c.backend() != Backend::kPostgres) return core::Ok();
  return c.Query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", {key}, [](const Row&) {});
}

core::Result<bool> TryLockKey(Connection& c, std::string_view key) {
  if (c.backend() != Backend::kPostgres) return true;
  bool locked = false;
  HOITHI_TRY(c.Query("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))", {key},
                     [&](const Row& r) { locked = r.Bool(0); }));
  return locked;
}

core::Result<bool> QueryFirst(Connection& c, std::string_view sql, ParamList params,
                              const RowFn& on_row) {
  bool seen = false;
  HOITHI_TRY(c.Query(sql, params, [&](const Row& row) {
    if (!seen) on_row(row);
    seen = true;
  }));
  return seen;
}

core::Error Unavailable(std::string detail) {
  auto e =
      core::MakeError(ErrorKind::kUnavailable, "database_unavailable",
                      "Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau ít phút.");
  e.retry_after_s = 5;
  e.detail = std::move(detail);
  return e;
}

core::Error StorageFull(std::string detail) {
  auto e = core::MakeError(ErrorKind::kInsufficientStorage, "storage_full",
                           "Máy chủ đã hết dung lượng lưu trữ nên chưa ghi được dữ liệu. "
                           "Vui lòng thử lại sau.");
  e.retry_after_s = 60;
  e.detail = std::move(detail);
  return e;
}

core::Error ReadOnly(std::string detail) {
  auto e = core::MakeError(ErrorKind::kUnavailable, std::string(kReadOnlyCode),
                           "Cơ sở dữ liệu đang ở chế độ chỉ đọc nên chưa ghi được dữ liệu. "
                           "Vui lòng thử lại sau ít phút.");
  e.retry_after_s = 30;
  e.detail = std::move(detail);
  return e;
}

core::Error Duplicate(std::string detail) {
  auto e = core::MakeError(ErrorKind::kConflict, "duplicate", "Dữ liệu này đã có trong hệ thống.");
  e.detail = std::move(detail);
  return e;
}

bool IsDuplicate(const core::Error& error) {
  return error.kind == ErrorKind::kConflict && error.code == "duplicate";
}

core::Error ConstraintViolation(std::string detail) {
  auto e = core::MakeError(ErrorKind::kConflict, "constraint_violation",
                           "Dữ liệu không hợp lệ hoặc mâu thuẫn với dữ liệu đã có.");
  e.detail = std::move(detail);
  return e;
}

core::Error InternalError(std::string detail) {
  auto e = core::MakeError(ErrorKind::kInternal, "internal_error",
                           "Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau.");
  e.detail = std::move(detail);
  return e;
}

}  // namespace hoithi::store
