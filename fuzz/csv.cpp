// Fuzz target: CSV import (core::ParseCsv), which every import of units, rosters and questions
// reads first. Besides not crashing: row numbers grow, and any text written as one CSV field
// (core::CsvField, what exports use) reads back as exactly that text.
#include "core/csv.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto records = hoithi::core::ParseCsv(text)) {
    int last = 0;
    for (const auto& r : *records) {
      FUZZ_CHECK(r.row > last);
      FUZZ_CHECK(!r.fields.empty());
      last = r.row;
    }
  } else {
    FUZZ_CHECK(!records.error().message.empty());
  }

  // The writer and the reader agree: a one-column table "h", then the input as its one cell. An
  // empty cell is a blank line, which the reader skips by design.
  if (!text.empty()) {
    const auto round = hoithi::core::ParseCsv("h\n" + hoithi::core::CsvField(text));
    FUZZ_CHECK(round.ok());
    FUZZ_CHECK(round->size() == 2);
    FUZZ_CHECK((*round)[1].fields.size() == 1);
    FUZZ_CHECK((*round)[1].fields[0] == text);
  }
  return 0;
}
