// A small state-machine CSV reader and writer helper.
#include "core/csv.hpp"

#include <fmt/format.h>

namespace hoithi::core {

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  char sep = ',';
  {
    const auto first_line = text.substr(0, text.find('\n'));
    if (first_line.find(',') == std::string_view::npos &&
        first_line.find(';') != std::string_view::npos) {
      sep = ';';
    }
  }
  std::vector<CsvRecord> records;
  CsvRecord current;
  std::string field;
  int line = 1;  // physical line, for error messages
  int row = 1;
  current.row = row;
  bool in_quotes = false;
  bool field_was_quoted = false;
  bool record_has_content = false;

  auto end_field = [&] {
    current.fields.push_back(std::move(field));
    field.clear();
    field_was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    const bool blank =
        current.fields.size() == 1 && current.fields[0].empty() && !record_has_content;
    if (!blank) records.push_back(std::move(current));
    current = CsvRecord{};
    current.row = ++row;
    record_has_content = false;
  };

  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || field_was_quoted) {
        return MakeError(ErrorKind::kBadRequest, "csv_malformed",
                         fmt::format("Dòng {}: dấu ngoặc kép đặt sai chỗ trong ô.", line));
      }
      in_quotes = true;
      field_was_quoted = true;
      record_has_content = true;
    } else if (c == sep) {
      record_has_content = true;
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // CRLF: the LF ends the record.
    } else if (c == '\n') {
      ++line;
      end_record();
    } else {
      if (field_was_quoted) {
        return MakeError(ErrorKind::kBadRequest, "csv_malformed",
                         fmt::format("Dòng {}: có ký tự sau dấu ngoặc kép đóng.", line));
      }
      field += c;
      record_has_content = true;
    }
  }
  if (in_quotes) {
    return MakeError(ErrorKind::kBadRequest, "csv_malformed",
                     fmt::format("Dòng {}: thiếu dấu ngoặc kép đóng.", line));
  }
  if (!field.empty() || !current.fields.empty() || record_has_content) end_record();
  return records;
}

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n;") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace hoithi::core
