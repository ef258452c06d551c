// RFC 4180 CSV reading for imports (units, rosters, questions): quoted fields with "" escapes and
// line breaks, CRLF or LF, an optional UTF-8 BOM, and ';' as separator when the header uses it
// (as Excel writes CSV in Vietnamese locales).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace hoithi::core {

struct CsvRecord {
  int row = 0;  // spreadsheet row number: the header is row 1
  std::vector<std::string> fields;
};

/// All records of `text`, the header first. A malformed quote is an error naming its row.
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);

/// One CSV field, quoted only when it must be.
std::string CsvField(std::string_view value);

}  // namespace hoithi::core
