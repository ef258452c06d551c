// Filter and ReadPage: list queries with escaped LIKE patterns and LIMIT/OFFSET pages.
#include "store/paged_query.hpp"

#include <algorithm>

namespace hoithi::store {

std::string EscapeLike(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

Filter& Filter::Equals(std::string_view column, std::int64_t value) {
  where_ += " AND " + std::string(column) + " = " + NextPlaceholder();
  params_.emplace_back(value);
  return *this;
}

Filter& Filter::Equals(std::string_view column, std::string value) {
  where_ += " AND " + std::string(column) + " = " + NextPlaceholder();
  texts_.push_back(std::move(value));
  params_.emplace_back(std::string_view(texts_.back()));
  return *this;
}

Filter& Filter::Compare(std::string_view column, std::string_view op, std::int64_t value) {
  where_ += " AND " + std::string(column) + " " + std::string(op) + " " + NextPlaceholder();
  params_.emplace_back(value);
  return *this;
}

Filter& Filter::Like(std::string_view column, std::string pattern) {
  where_ += " AND " + std::string(column) + " LIKE " + NextPlaceholder() + " ESCAPE '\\'";
  texts_.push_back(std::move(pattern));
  params_.emplace_back(std::string_view(texts_.back()));
  return *this;
}

Filter& Filter::Contains(std::string_view column, std::string_view text) {
  if (text.empty()) return *this;
  return Like(column, "%" + EscapeLike(text) + "%");
}

Filter& Filter::StartsWith(std::string_view column, std::string_view text) {
  if (text.empty()) return *this;
  return Like(column, EscapeLike(text) + "%");
}

Filter& Filter::Where(std::string condition, const std::vector<std::int64_t>& values) {
  where_ += " AND " + condition;
  for (const auto v : values)
    params_.emplace_back(v);
  return *this;
}

core::Result<std::int64_t> ReadPage(Connection& conn, const PageQuery& query, const Filter& filter,
                                    Paging& paging, const RowFn& on_row) {
  paging.page = std::max(1, paging.page);
  paging.per_page = std::clamp(paging.per_page, 1, 500);
  const auto& count_from = query.count_from.empty() ? query.from : query.count_from;
  auto total = QueryInt(conn, "SELECT COUNT(*) FROM " + count_from + filter.sql(), filter.params());
  if (!total) return std::move(total).error();
  const std::string sql = "SELECT " + query.columns + " FROM " + query.from + filter.sql() +
                          " ORDER BY " + query.order_by + " LIMIT " +
                          std::to_string(paging.per_page) + " OFFSET " +
                          std::to_string(static_cast<long long>(paging.page - 1) * paging.per_page);
  HOITHI_TRY(conn.Query(sql, filter.params(), on_row));
  return total->value_or(0);
}

}  // namespace hoithi::store
