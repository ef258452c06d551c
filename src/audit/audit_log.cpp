// Writing audit entries, chaining them (SHA-256) and checking the chain.
#include "audit/audit_log.hpp"

#include <algorithm>

#include "core/sha256.hpp"
#include "store/paged_query.hpp"

namespace hoithi::audit {
namespace {
constexpr std::string_view kInsert =
    "INSERT INTO audit_log (contest_id, at, actor_id, actor, ip, action, target_type, target_id,"
    " before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";

constexpr std::string_view kColumns =
    "id, contest_id, at, actor_id, actor, ip, action, target_type, target_id, before_json,"
    " after_json";
constexpr std::string_view kSelectHead =
    "SELECT chain_seq, entry_hash FROM audit_log WHERE chain_seq IS NOT NULL"
    " ORDER BY chain_seq DESC LIMIT 1";
constexpr std::string_view kSelectUnchained =
    "SELECT id, contest_id, at, actor_id, actor, ip, action, target_type, target_id, before_json,"
    " after_json FROM audit_log WHERE chain_seq IS NULL ORDER BY id";
constexpr std::string_view kSelectOneUnchained =
    "SELECT id, contest_id, at, actor_id, actor, ip, action, target_type, target_id, before_json,"
    " after_json FROM audit_log WHERE id = $1 AND chain_seq IS NULL";
constexpr std::string_view kSetLink =
    "UPDATE audit_log SET chain_seq = $1, prev_hash = $2, entry_hash = $3 WHERE id = $4";
constexpr std::string_view kSelectChain =
    "SELECT id, contest_id, at, actor_id, actor, ip, action, target_type, target_id, before_json,"
    " after_json, chain_seq, prev_hash, entry_hash FROM audit_log WHERE chain_seq IS NOT NULL"
    " ORDER BY chain_seq";
constexpr std::string_view kCountUnchained =
    "SELECT COUNT(*) FROM audit_log WHERE chain_seq IS NULL";

/// A row whose first columns are kColumns, in that order.
Row ReadRow(const store::Row& r) {
  Row row;
  row.id = r.Int(0);
  row.contest_id = r.OptInt(1);
  row.at = core::FromEpochMs(r.Int(2));
  row.actor_id = r.OptInt(3);
  row.actor = r.Str(4);
  row.ip = r.Str(5);
  row.action = r.Str(6);
  row.target_type = r.Str(7);
  row.target_id = r.Str(8);
  row.before_json = r.OptStr(9);
  row.after_json = r.OptStr(10);
  return row;
}

void PutInt(std::string& out, std::optional<std::int64_t> v) {
  if (!v) {
    out += "n;";
    return;
  }
  out += 'i';
  out += std::to_string(*v);
  out += ';';
}

void PutText(std::string& out, const std::optional<std::string_view>& v) {
  if (!v) {
    out += "n;";
    return;
  }
  out += 's';
  out += std::to_string(v->size());
  out += ':';
  out += *v;
  out += ';';
}

std::optional<std::string_view> View(const std::optional<std::string>& s) {
  return s ? std::optional<std::string_view>(*s) : std::nullopt;
}

}  // namespace

std::string EntryHash(const Row& row, std::int64_t seq, std::string_view prev_hash) {
  std::string canonical = "hoithi-audit-v1\n";
  PutInt(canonical, seq);
  PutInt(canonical, row.id);
  PutInt(canonical, row.contest_id);
  PutInt(canonical, core::ToEpochMs(row.at));
  PutInt(canonical, row.actor_id);
  PutText(canonical, row.actor);
  PutText(canonical, row.ip);
  PutText(canonical, row.action);
  PutText(canonical, row.target_type);
  PutText(canonical, row.target_id);
  PutText(canonical, View(row.before_json));
  PutText(canonical, View(row.after_json));
  PutText(canonical, prev_hash);
  return core::Sha256Hex(canonical);
}

namespace {

/// Appends `rows` to the chain after its head, in order, under the chain's lock.
core::Status Append(store::Connection& conn, const std::vector<Row>& rows) {
  std::int64_t seq = 0;
  std::string prev(kGenesisHash);
  HOITHI_TRY(store::QueryFirst(conn, kSelectHead, {}, [&](const store::Row& r) {
    seq = r.Int(0);
    prev = r.IsNull(1) ? std::string() : r.Str(1);
  }));
  for (const auto& row : rows) {
    ++seq;
    auto hash = EntryHash(row, seq, prev);
    HOITHI_TRY(conn.Exec(kSetLink, {seq, prev, hash, row.id}));
    prev = std::move(hash);
  }
  return core::Ok();
}

/// Chains the entry `id` this transaction wrote (nothing when its write was rolled back).
core::Status ChainOwnEntry(store::Connection& conn, std::int64_t id) {
  HOITHI_TRY(store::LockKey(conn, "audit"));
  std::vector<Row> rows;
  HOITHI_TRY(conn.Query(kSelectOneUnchained, {id},
                        [&](const store::Row& r) { rows.push_back(ReadRow(r)); }));
  return Append(conn, rows);
}

}  // namespace

core::Status ChainEntriesFromBeforeTheChain(store::Connection& conn) {
  HOITHI_TRY(store::LockKey(conn, "audit"));
  bool chained = false;
  HOITHI_TRY(store::QueryFirst(conn, kSelectHead, {}, [&](const store::Row&) { chained = true; }));
  if (chained) return core::Ok();  // once the chain exists, nothing joins it but own writes
  std::vector<Row> pending;
  HOITHI_TRY(conn.Query(kSelectUnchained, {},
                        [&](const store::Row& r) { pending.push_back(ReadRow(r)); }));
  return Append(conn, pending);
}

core::Result<ChainReport> VerifyChain(store::Connection& conn, std::string_view expected_head) {
  ChainReport report;
  report.expected_head_found = expected_head.empty();
  std::optional<std::int64_t> previous_id;
  HOITHI_TRY(conn.Query(kSelectChain, {}, [&](const store::Row& r) {
    Row row = ReadRow(r);
    const std::int64_t seq = r.Int(11);
    const std::string prev_hash = r.IsNull(12) ? std::string() : r.Str(12);
    const std::string entry_hash = r.IsNull(13) ? std::string() : r.Str(13);
    const std::int64_t expected_seq = report.head_seq + 1;
    if (!report.first_break) {
      std::optional<ChainBreak::Reason> reason;
      if (seq != expected_seq) {
        reason = ChainBreak::Reason::kMissingBefore;
      } else if (prev_hash != report.head_hash) {
        reason = ChainBreak::Reason::kPreviousChanged;
      } else if (EntryHash(row, seq, prev_hash) != entry_hash) {
        reason = ChainBreak::Reason::kEntryChanged;
      }
      if (reason) report.first_break = ChainBreak{*reason, row, seq, expected_seq, previous_id};
    }
    if (!report.expected_head_found && entry_hash == expected_head) {
      report.expected_head_found = true;
    }
    ++report.entries;
    report.head_seq = seq;
    report.head_hash = entry_hash;
    previous_id = row.id;
  }));
  auto unchained = store::QueryInt(conn, kCountUnchained);
  if (!unchained) return std::move(unchained).error();
  report.unchained = unchained->value_or(0);
  if (report.unchained > 0) {
    HOITHI_TRY(
        store::QueryFirst(conn, std::string(kSelectUnchained) + " LIMIT 1", {},
                          [&](const store::Row& r) { report.first_unchained = ReadRow(r); }));
  }
  return report;
}

core::Status Record(store::Connection& conn, const Actor& actor, const Entry& entry,
                    core::TimePoint at) {
  auto id = store::QueryInt(
      conn, kInsert,
      {entry.contest_id, core::ToEpochMs(at), actor.user_id, actor.label, actor.ip,
       entry.action.code, entry.target_type, entry.target_id, entry.before_json, entry.after_json});
  if (!id) return std::move(id).error();
  if (!*id) return core::MakeError(core::ErrorKind::kInternal, "audit_insert", "no id returned");
  // Only this entry, by its id: a row inserted into the table behind the server's back is never
  // chained by a later write, so `hoithi audit verify` keeps naming it.
  conn.BeforeCommit("audit.chain:" + std::to_string(**id),
                    [entry_id = **id](store::Connection& c) { return ChainOwnEntry(c, entry_id); });
  return core::Ok();
}

core::Result<Page> Search(store::Connection& conn, const Query& q) {
  store::Filter filter;
  if (q.contest_id) filter.Equals("contest_id", *q.contest_id);
  filter.StartsWith("action", q.action_prefix);
  if (!q.action.empty()) filter.Equals("action", q.action);
  if (!q.actor.empty()) filter.Equals("actor", q.actor);
  if (q.from) filter.Compare("at", ">=", core::ToEpochMs(*q.from));
  if (q.to) filter.Compare("at", "<", core::ToEpochMs(*q.to));
  Page page;
  store::Paging paging{q.page, q.per_page};
  auto total =
      store::ReadPage(conn, {std::string(kColumns), "audit_log", "", "id DESC"}, filter, paging,
                      [&](const store::Row& r) { page.rows.push_back(ReadRow(r)); });
  if (!total) return std::move(total).error();
  page.total = *total;
  page.page = paging.page;
  page.per_page = paging.per_page;
  return page;
}

ActionCatalogue::ActionCatalogue(std::initializer_list<std::span<const Action>> lists) {
  for (const auto& list : lists)
    all_.insert(all_.end(), list.begin(), list.end());
}

std::string_view ActionCatalogue::Label(std::string_view code) const {
  for (const auto& a : all_) {
    if (a.code == code) return a.label;
  }
  return code;
}

}  // namespace hoithi::audit
