// Tables in and out of the files organisers use: reading the first sheet of an .xlsx workbook
// (libzip + pugixml) or a CSV file, and writing .xlsx (libxlsxwriter) or CSV. Imports of units,
// rosters and questions read through here; exports write through here.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace hoithi::spreadsheet {

struct Row {
  int number = 0;  // the row number a person sees in Excel (the header is usually 1)
  std::vector<std::string> cells;
};

struct ReadLimits {
  std::size_t max_rows = 100000;
  std::size_t max_columns = 64;
  std::size_t max_unpacked_bytes = 64u << 20;  // guards against zip bombs
};

/// The rows of an .xlsx file (detected by its ZIP signature; the first sheet) or of a CSV file.
/// Cells come back as text: numbers as Excel shows them without a format ("912345678"), booleans
/// as TRUE/FALSE; WriteCsv's guard ' before = + - @ is dropped. Empty rows are skipped. Malformed
/// files are kBadRequest with a Vietnamese message.
core::Result<std::vector<Row>> ReadTable(std::string_view bytes, const ReadLimits& limits = {});

using Cell = std::variant<std::string, long long, double>;

struct Sheet {
  std::string name = "Sheet1";
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
  std::vector<double> widths;  // column widths in characters; empty: a default
};

/// The sheet as an .xlsx workbook (bold, frozen header row).
core::Result<std::string> WriteXlsx(const Sheet& sheet);

/// CSV (RFC 4180, UTF-8, BOM for Excel); text starting = + - @ gets a ' so it is never a formula.
std::string WriteCsv(const Sheet& sheet);

/// What an import of a table found and did, for every kind of import: the data rows read, how
/// many are valid, how many were saved (0 on a dry run or a refusal), and each rejected row with
/// its spreadsheet row number (the header is row 1) and the reason in Vietnamese.
struct ImportReport {
  int rows = 0;
  int valid = 0;
  int saved = 0;
  std::vector<std::pair<int, std::string>> rejected;  // (row, reason)
};

inline constexpr std::string_view kXlsxContentType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
inline constexpr std::string_view kCsvContentType = "text/csv; charset=utf-8";

/// A sheet written as a file to download.
struct EncodedFile {
  std::string body;
  std::string_view content_type;
  std::string_view extension;  // ".xlsx" or ".csv"
};

/// The sheet as .xlsx, or as CSV when `format` is "csv" (what ?format= of every export says).
core::Result<EncodedFile> Encode(const Sheet& sheet, std::string_view format);

}  // namespace hoithi::spreadsheet
