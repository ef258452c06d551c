// Expected failures as values: Error (a kind that decides the HTTP status, a stable machine code,
// a Vietnamese message for the person, the offending field) and Result<T>, its carrier.
// Exceptions are reserved for the truly exceptional and caught once per loop.
#pragma once

#include <cassert>
#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace hoithi::core {

/// What went wrong, coarsely. http/error_status.cpp maps each kind to exactly one status.
enum class ErrorKind {
  kBadRequest,            // malformed input (JSON, form, query)
  kUnauthenticated,       // no or bad credentials
  kForbidden,             // authenticated but not allowed, or outside the contest window
  kNotFound,              // no such thing (or not yours)
  kConflict,              // state conflict: duplicate, already finalised
  kValidation,            // well-formed input that breaks a rule (a field is wrong)
  kTooManyRequests,       // throttled; see Error::retry_after_s
  kPayloadTooLarge,       // body over the limit
  kUnsupportedMediaType,  // a body in a format the endpoint does not take
  kPreconditionFailed,    // a precondition the client states does not hold (tus version)
  kGone,                  // existed but is no more, for good (an expired upload)
  kChecksumMismatch,      // a body that does not match the checksum sent with it (tus: 460)
  kUnavailable,           // database down, shutting down, overloaded; retry later
  kInsufficientStorage,   // disk full
  kInternal,              // a bug or an unexpected failure; details only in the log
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string code;     // stable, machine-readable: "duplicate_phone", "not_found"
  std::string message;  // Vietnamese, for the person
  std::string field;    // the input field at fault, when there is one
  int retry_after_s = 0;

  /// Every field at fault with its message, when a form had several problems (the first of
  /// them is also in `field`/`message`).
  std::vector<std::pair<std::string, std::string>> fields;

  /// Log-only detail (SQL error text, errno); never sent to a client.
  std::string detail;
};

inline Error MakeError(ErrorKind kind, std::string code, std::string message,
                       std::string field = {}) {
  Error e;
  e.kind = kind;
  e.code = std::move(code);
  e.message = std::move(message);
  e.field = std::move(field);
  return e;
}

/// A value or an Error. Deliberately small: no monadic extras beyond what the code needs.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

/// How an asynchronous operation (a queued write, a hashing job) hands back its outcome, on
/// whichever thread completed it.
template <class T>
using Callback = std::function<void(Result<T>)>;

inline Status Ok() {
  return {};
}

}  // namespace hoithi::core

/// Returns early from the enclosing function with the error of `expr` when it failed.
#define HOITHI_TRY(expr)                            \
  do {                                              \
    auto&& hoithi_try_result_ = (expr);             \
    if (!hoithi_try_result_.ok()) {                 \
      return std::move(hoithi_try_result_).error(); \
    }                                               \
  } while (false)
