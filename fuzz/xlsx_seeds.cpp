// Writes the .xlsx seeds of fuzz/corpus/xlsx with the project's own writer (WriteXlsx), so the
// corpus holds no third-party file: `fuzz_xlsx_seeds <dir>` (fuzz/README.md says when to rerun).
#include <cstdio>
#include <fstream>
#include <string>

#include "spreadsheet/spreadsheet.hpp"

namespace {

bool Write(const std::string& path, const hoithi::spreadsheet::Sheet& sheet) {
  auto bytes = hoithi::spreadsheet::WriteXlsx(sheet);
  if (!bytes) return false;
  std::ofstream(path, std::ios::binary) << *bytes;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_xlsx_seeds <directory>\n");
    return 2;
  }
  const std::string dir = argv[1];
  using hoithi::spreadsheet::Sheet;

  Sheet units;  // a unit import
  units.name = "Đơn vị";
  units.header = {"Mã đơn vị", "Tên đơn vị"};
  units.rows = {{std::string("SNV"), std::string("Sở Nội vụ")},
                {std::string("UBND-HK"), std::string("Ủy ban nhân dân quận Hoàn Kiếm")}};

  Sheet roster;  // a roster import: phone numbers as numbers, as Excel users type them
  roster.header = {"Họ và tên", "Số điện thoại", "Ngày sinh", "Chức vụ"};
  roster.rows = {{std::string("Nguyễn Văn An"), 912345678LL, std::string("01/02/1990"),
                  std::string("Chuyên viên")},
                 {std::string("Trần Thị Bích Ngọc"), 987654321LL, 32874.0, std::string("")},
                 {std::string("Lê Đức Thọ"), 1.5e15, -0.25, std::string("Trưởng phòng")}};

  Sheet questions;  // a question bank import
  questions.header = {"Chủ đề", "Câu hỏi", "A", "B", "C", "D", "Đáp án"};
  questions.rows = {{std::string("Hiến pháp"),
                     std::string("Hiến pháp năm 2013 có bao nhiêu chương?"), 9LL, 10LL, 11LL, 12LL,
                     std::string("C")}};

  Sheet empty;
  empty.header = {"Họ và tên"};

  const bool ok = Write(dir + "/units.xlsx", units) && Write(dir + "/roster.xlsx", roster) &&
                  Write(dir + "/questions.xlsx", questions) &&
                  Write(dir + "/header_only.xlsx", empty);
  return ok ? 0 : 1;
}
