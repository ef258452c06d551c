// A searchable list read one page at a time, the same way everywhere (accounts, the question
// bank, the audit log): a WHERE clause built from optional filters with their parameters, a
// count of every matching row, then the rows of one page.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/connection.hpp"

namespace hoithi::store {

/// The conditions of a list query, ANDed; each value becomes a placeholder. The Filter owns the
/// text of its values, so it is not copied.
class Filter {
 public:
  Filter() = default;
  Filter(const Filter&) = delete;
  Filter& operator=(const Filter&) = delete;

  /// `<column> = $n`.
  Filter& Equals(std::string_view column, std::int64_t value);
  Filter& Equals(std::string_view column, std::string value);
  /// `<column> <op> $n`, op one of < <= > >=.
  Filter& Compare(std::string_view column, std::string_view op, std::int64_t value);
  /// `<column> LIKE '%text%'` with LIKE's own characters escaped: rows whose column contains
  /// `text` (a folded search key, say). Nothing when `text` is empty.
  Filter& Contains(std::string_view column, std::string_view text);
  /// `<column> LIKE 'text%'`, escaped likewise. Nothing when `text` is empty.
  Filter& StartsWith(std::string_view column, std::string_view text);
  /// A condition without values ("q.active = 1"), or with the values it names as $n placeholders
  /// numbered by NextPlaceholder (which `values` then fills in order).
  Filter& Where(std::string condition, const std::vector<std::int64_t>& values = {});
  /// The placeholder the next value will take ("$3").
  std::string NextPlaceholder() const { return Placeholder(params_.size() + 1); }

  /// " WHERE 1 = 1 AND ..." (always a valid clause).
  const std::string& sql() const { return where_; }
  const std::vector<Param>& params() const { return params_; }

 private:
  Filter& Like(std::string_view column, std::string pattern);
  std::string where_ = " WHERE 1 = 1";
  std::vector<Param> params_;
  std::deque<std::string> texts_;  // what the text params point into
};

/// LIKE's own characters (% _ \) escaped with '\' (the ESCAPE of Filter's conditions).
std::string EscapeLike(std::string_view text);

/// A page of a list: the page number from 1 and its size, each clamped (page >= 1, size 1..500).
struct Paging {
  int page = 1;
  int per_page = 50;
};

struct PageQuery {
  std::string columns;     // "u.id, u.login"
  std::string from;        // "users u" or a join
  std::string count_from;  // what to count when it differs from `from` (a join that adds no rows)
  std::string order_by;    // "u.full_name, u.id": a total order, so pages do not overlap
};

/// Counts the rows that match `filter`, then calls `on_row` for those of `paging` (clamped in
/// place). Returns the count.
core::Result<std::int64_t> ReadPage(Connection& conn, const PageQuery& query, const Filter& filter,
                                    Paging& paging, const RowFn& on_row);

}  // namespace hoithi::store
