// The audit log: who did what, when, from where, with the state before and after. Entries are
// written inside the same transaction as the change they describe, so neither exists alone, and
// form a hash chain (each entry's hash covers the one before it) that `hoithi audit verify` checks.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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

/// A kind of change the audit log records: a stable code and what the audit page calls it. Each
/// module declares the actions it writes in its own audit_actions.hpp (the one place a code is
/// spelled), so that every entry has a Vietnamese label and the audit page's filter lists them all.
struct Action {
  std::string_view code;   // "user.create": "<module or object>.<verb>"
  std::string_view label;  // "Tạo tài khoản"
};

struct Entry {
  std::optional<std::int64_t> contest_id;
  Action action;
  std::string target_type;
  std::string target_id;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
};

/// Appends one entry. Call inside the write that makes the change. The entry, and only it, joins
/// the hash chain just before that write's transaction commits (a store::Connection hook), under
/// store::LockKey("audit"), so appenders queue (across committers and instances) and the chain
/// stays linear; the lock is held until commit, so it is taken last.
core::Status Record(store::Connection& conn, const Actor& actor, const Entry& entry,
                    core::TimePoint at);

struct Query {
  std::optional<std::int64_t> contest_id;  // empty: every contest
  std::string action_prefix;               // "auth." matches every authentication entry
  std::string action;                      // exact code
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

// The hash chain. Entry n (chain_seq n, from 1) stores prev_hash, the entry_hash of entry n-1
// (kGenesisHash for entry 1), and entry_hash = SHA-256, in lowercase hex, of its canonical form:
// "hoithi-audit-v1\n" followed by chain_seq, id, contest_id, at (ms), actor_id, actor, ip, action,
// target_type, target_id, before_json, after_json and prev_hash, each written as "n;" when null,
// "i<decimal>;" for an integer, "s<byte length>:<bytes>;" for text. Changing any field of an
// entry, removing one, or reordering them breaks the chain at that entry. The chain proves
// nothing against someone who can rewrite the whole table and recompute every hash after the
// change, unless the head hash was recorded elsewhere before (docs/security.md).

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// Chains, in id order, the entries written before the chain existed (migration 0008): the CLI
/// runs it after migrating. Only while the chain is empty: once it has an entry, nothing joins it
/// but the server's own writes (Record), and an entry inserted behind its back stays outside.
core::Status ChainEntriesFromBeforeTheChain(store::Connection& conn);

/// entry_hash of `row` at place `seq` after `prev_hash` (the canonical form above).
std::string EntryHash(const Row& row, std::int64_t seq, std::string_view prev_hash);

struct ChainBreak {
  enum class Reason {
    kEntryChanged,     // its fields no longer give its entry_hash
    kPreviousChanged,  // its prev_hash is not the entry_hash of the entry before it
    kMissingBefore,    // chain places are missing just before it (entries deleted)
  };
  Reason reason = Reason::kEntryChanged;
  Row entry;
  std::int64_t seq = 0;
  std::int64_t expected_seq = 0;            // the place it should have had (kMissingBefore)
  std::optional<std::int64_t> previous_id;  // the entry before it in the chain, if any
};

struct ChainReport {
  std::int64_t entries = 0;  // entries in the chain
  std::int64_t head_seq = 0;
  std::string head_hash{kGenesisHash};    // entry_hash of the last entry
  std::optional<ChainBreak> first_break;  // the first entry, in chain order, that does not fit
  std::int64_t unchained = 0;             // entries outside the chain (inserted behind its back)
  std::optional<Row> first_unchained;
  bool expected_head_found = true;  // the head hash given to VerifyChain is an entry's hash

  bool ok() const { return !first_break && unchained == 0 && expected_head_found; }
};

/// Recomputes the whole chain in one read (one snapshot). With `expected_head` (a head hash an
/// operator recorded earlier), also checks that it is still the hash of an entry of the chain:
/// without it, deleting the newest entries cannot be told from their never having been written.
core::Result<ChainReport> VerifyChain(store::Connection& conn, std::string_view expected_head = {});

/// Every action of the install, from the modules' own lists: what the audit page names and
/// filters by. Built once at start-up.
class ActionCatalogue {
 public:
  ActionCatalogue(std::initializer_list<std::span<const Action>> lists);

  /// The Vietnamese label of a code; the code itself for one no module declares (an entry
  /// written by an older version).
  std::string_view Label(std::string_view code) const;
  /// Every action, in the modules' order.
  const std::vector<Action>& all() const { return all_; }

 private:
  std::vector<Action> all_;
};

}  // namespace hoithi::audit
