// Fuzz target: spreadsheet import (spreadsheet::ReadTable), .xlsx and CSV. An input that starts
// like a ZIP goes in as it is (libzip's reading of a damaged archive). Any other input is the
// XML inside a workbook, packed here into a real .xlsx first, because mutations of a compressed
// file almost never reach our XML handling: the parts are separated by lines "=====", in the
// order sheet1.xml, sharedStrings.xml, workbook.xml, workbook.xml.rels; a missing workbook or
// relationship part gets a minimal valid one.
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "check.hpp"
#include "spreadsheet/spreadsheet.hpp"

namespace {

constexpr std::string_view kWorkbook =
    R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>)";
constexpr std::string_view kRels =
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>)";

std::vector<std::string_view> SplitParts(std::string_view text) {
  std::vector<std::string_view> parts;
  constexpr std::string_view kSeparator = "\n=====\n";
  while (true) {
    const auto at = text.find(kSeparator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + kSeparator.size());
  }
  return parts;
}

/// An uncompressed ZIP of `entries`, in memory.
std::string Pack(const std::vector<std::pair<const char*, std::string_view>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = buffer ? zip_open_from_source(buffer, ZIP_TRUNCATE, &error) : nullptr;
  zip_error_fini(&error);
  FUZZ_CHECK(archive != nullptr);
  zip_source_keep(buffer);  // read it back after zip_close
  for (const auto& [name, data] : entries) {
    zip_source_t* s = zip_source_buffer(archive, data.data(), data.size(), 0);
    FUZZ_CHECK(s != nullptr);
    const zip_int64_t index = zip_file_add(archive, name, s, ZIP_FL_OVERWRITE);
    FUZZ_CHECK(index >= 0);
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  FUZZ_CHECK(zip_close(archive) == 0);
  std::string out;
  FUZZ_CHECK(zip_source_open(buffer) == 0);
  FUZZ_CHECK(zip_source_seek(buffer, 0, SEEK_END) == 0);
  const zip_int64_t size = zip_source_tell(buffer);
  FUZZ_CHECK(size >= 0 && zip_source_seek(buffer, 0, SEEK_SET) == 0);
  out.resize(static_cast<std::size_t>(size));
  FUZZ_CHECK(zip_source_read(buffer, out.data(), static_cast<zip_uint64_t>(size)) == size);
  zip_source_close(buffer);
  zip_source_free(buffer);
  return out;
}

void Check(const hoithi::core::Result<std::vector<hoithi::spreadsheet::Row>>& rows,
           const hoithi::spreadsheet::ReadLimits& limits) {
  if (!rows) {
    FUZZ_CHECK(!rows.error().message.empty());
    return;
  }
  FUZZ_CHECK(rows->size() <= limits.max_rows);
  for (const auto& row : *rows) {
    FUZZ_CHECK(row.cells.size() <= limits.max_columns);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Small limits, so that the limit paths are reached by small inputs too.
  hoithi::spreadsheet::ReadLimits limits;
  limits.max_rows = 50;
  limits.max_columns = 20;
  limits.max_unpacked_bytes = 1 << 20;

  if (bytes.starts_with("PK\x03\x04")) {
    Check(hoithi::spreadsheet::ReadTable(bytes, limits), limits);
    return 0;
  }
  const auto parts = SplitParts(bytes);
  std::vector<std::pair<const char*, std::string_view>> entries;
  entries.emplace_back("xl/worksheets/sheet1.xml", parts[0]);
  if (parts.size() > 1) entries.emplace_back("xl/sharedStrings.xml", parts[1]);
  entries.emplace_back("xl/workbook.xml", parts.size() > 2 ? parts[2] : kWorkbook);
  entries.emplace_back("xl/_rels/workbook.xml.rels", parts.size() > 3 ? parts[3] : kRels);
  Check(hoithi::spreadsheet::ReadTable(Pack(entries), limits), limits);
  return 0;
}
