// The audit log: who did what, when, from where, with the state before and after. Entries are
// written inside the same transaction as the change they describe, so neither exists alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::audit {

struct Actor {
  std::optional<std::int64_t> user_id;
  std::string label;  // the login, or "cli" / "system"
  std::string ip;

  static Actor Cli() { return Actor{std::nullopt, "cli", ""}; }
  static Actor System() { return Actor{std::nullopt, "system", ""}; }
};

struct Entry {
  std::optional<std::int64_t> contest_id;
  std::string action;  // "user.create", "auth.login", "auth.login_failed", "contest.update", ...
  std::string target_type;
  std::string target_id;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
};

/// Appends one entry. Call inside the write that makes the change.
core::Status Record(store::Connection& conn, const Actor& actor, const Entry& entry,
                    core::TimePoint at);

struct Query {
  std::optional<std::int64_t> contest_id;  // empty: every contest
  std::string action_prefix;               // "auth." matches every authentication entry
  std::string actor;                       // exact login
  std::optional<core::TimePoint> from;     // inclusive
  std::optional<core::TimePoint> to;       // exclusive
  int page = 1;
  int per_page = 50;
};

struct Row {
  std::int64_t id = 0;
  std::optional<std::int64_t> contest_id;
  core::TimePoint at;
  std::optional<std::int64_t> actor_id;
  std::string actor;
  std::string ip;
  std::string action;
  std::string target_type;
  std::string target_id;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
};

struct Page {
  std::vector<Row> rows;  // newest first
  std::int64_t total = 0;
  int page = 1;
  int per_page = 50;
};

core::Result<Page> Search(store::Connection& conn, const Query& query);

/// The Vietnamese description of an action code ("auth.login" -> "Đăng nhập").
std::string_view ActionLabel(std::string_view action);

}  // namespace hoithi::audit
