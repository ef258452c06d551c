// .xlsx reading (libzip, pugixml), .xlsx writing (libxlsxwriter), CSV both ways.
#include "spreadsheet/spreadsheet.hpp"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <pugixml.hpp>

#include "core/csv.hpp"

namespace hoithi::spreadsheet {
namespace {

using core::ErrorKind;

constexpr int kMaxExcelRows = 1048576;

core::Error Unreadable(std::string why) {
  auto e = core::MakeError(ErrorKind::kBadRequest, "unreadable_file",
                           "Không đọc được tệp: " + why +
                               " Hãy lưu lại tệp dưới dạng Excel (.xlsx) "
                               "hoặc CSV (UTF-8) rồi thử lại.",
                           "file");
  return e;
}

std::string_view LocalName(const char* name) {
  std::string_view n(name);
  const auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node Child(pugi::xml_node parent, std::string_view local) {
  for (auto c : parent.children()) {
    if (LocalName(c.name()) == local) return c;
  }
  return {};
}

class Zip {
 public:
  explicit Zip(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    source_ = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source_) archive_ = zip_open_from_source(source_, ZIP_RDONLY, &error);
    if (!archive_ && source_) zip_source_free(source_);
    zip_error_fini(&error);
  }
  ~Zip() {
    if (archive_) zip_discard(archive_);
  }
  bool ok() const { return archive_ != nullptr; }

  /// The entry's content; empty optional when it does not exist. Fails beyond `budget` bytes.
  core::Result<std::optional<std::string>> Read(const std::string& name, std::size_t& budget) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(archive_, name.c_str(), 0, &st) != 0) return std::optional<std::string>();
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > budget) return Unreadable("tệp quá lớn.");
    budget -= st.size;
    zip_file_t* f = zip_fopen(archive_, name.c_str(), 0);
    if (!f) return Unreadable("tệp Excel bị hỏng.");
    std::string out(st.size, '\0');
    const auto n = zip_fread(f, out.data(), st.size);
    zip_fclose(f);
    if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return Unreadable("tệp Excel bị hỏng.");
    return std::optional<std::string>(std::move(out));
  }

 private:
  zip_source_t* source_ = nullptr;
  zip_t* archive_ = nullptr;
};

/// "AB12" -> 27 (0-based column), -1 when malformed.
int ColumnIndex(std::string_view ref) {
  int col = 0;
  size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    col = col * 26 + (ref[i] - 'A' + 1);
    ++i;
    if (col > 16384) return -1;
  }
  return i == 0 ? -1 : col - 1;
}

/// Text of a rich or plain string item: every <t> except phonetic runs.
std::string ItemText(pugi::xml_node item) {
  std::string out;
  for (auto c : item.children()) {
    const auto name = LocalName(c.name());
    if (name == "t") {
      out += c.text().get();
    } else if (name == "r") {
      if (auto t = Child(c, "t")) out += t.text().get();
    }
  }
  return out;
}

/// A number cell as Excel shows it without a format: integers without ".0" or exponent.
std::string NumberText(std::string_view v) {
  if (v.find_first_of("eE.") == std::string_view::npos) return std::string(v);
  char* end = nullptr;
  const std::string s(v);
  const double d = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(d)) return s;
  if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
  return s;
}

core::Result<std::vector<Row>> ReadXlsx(std::string_view bytes, const ReadLimits& limits) {
  Zip zip(bytes);
  if (!zip.ok()) return Unreadable("tệp không phải Excel (.xlsx) hợp lệ.");
  std::size_t budget = limits.max_unpacked_bytes;

  // The first sheet of the workbook, through its relationship.
  auto workbook = zip.Read("xl/workbook.xml", budget);
  if (!workbook) return std::move(workbook).error();
  if (!*workbook) return Unreadable("thiếu xl/workbook.xml.");
  pugi::xml_document wb;
  if (!wb.load_buffer((*workbook)->data(), (*workbook)->size())) {
    return Unreadable("tệp Excel bị hỏng.");
  }
  auto sheets = Child(Child(wb, "workbook"), "sheets");
  auto first = Child(sheets, "sheet");
  std::string rel_id;
  for (auto a : first.attributes()) {
    if (LocalName(a.name()) == "id") rel_id = a.value();
  }
  std::string sheet_path = "xl/worksheets/sheet1.xml";
  auto rels = zip.Read("xl/_rels/workbook.xml.rels", budget);
  if (!rels) return std::move(rels).error();
  if (*rels && !rel_id.empty()) {
    pugi::xml_document rd;
    if (rd.load_buffer((*rels)->data(), (*rels)->size())) {
      for (auto r : Child(rd, "Relationships").children()) {
        if (std::string_view(r.attribute("Id").value()) != rel_id) continue;
        std::string target = r.attribute("Target").value();
        sheet_path = target.starts_with("/") ? target.substr(1) : "xl/" + target;
      }
    }
  }

  std::vector<std::string> shared;
  auto sst = zip.Read("xl/sharedStrings.xml", budget);
  if (!sst) return std::move(sst).error();
  if (*sst) {
    pugi::xml_document sd;
    if (!sd.load_buffer((*sst)->data(), (*sst)->size())) return Unreadable("tệp Excel bị hỏng.");
    for (auto si : Child(sd, "sst").children()) {
      if (LocalName(si.name()) == "si") shared.push_back(ItemText(si));
    }
  }

  auto sheet_xml = zip.Read(sheet_path, budget);
  if (!sheet_xml) return std::move(sheet_xml).error();
  if (!*sheet_xml) return Unreadable("không tìm thấy trang tính đầu tiên.");
  pugi::xml_document sheet;
  if (!sheet.load_buffer((*sheet_xml)->data(), (*sheet_xml)->size())) {
    return Unreadable("tệp Excel bị hỏng.");
  }
  std::vector<Row> rows;
  int next_row = 1;
  for (auto row : Child(Child(sheet, "worksheet"), "sheetData").children()) {
    if (LocalName(row.name()) != "row") continue;
    Row out;
    out.number = row.attribute("r").as_int(next_row);
    // Beyond Excel's rows a file is damaged; r="2147483647" made next_row overflow
    // (fuzz/regressions/xlsx).
    if (out.number < 1 || out.number > kMaxExcelRows) return Unreadable("tệp Excel bị hỏng.");
    next_row = out.number + 1;
    int next_col = 0;
    for (auto c : row.children()) {
      if (LocalName(c.name()) != "c") continue;
      int col = next_col;
      if (auto ref = c.attribute("r")) col = ColumnIndex(ref.value());
      if (col < 0 || static_cast<std::size_t>(col) >= limits.max_columns) continue;
      next_col = col + 1;
      const std::string_view type = c.attribute("t").value();
      std::string value;
      if (type == "inlineStr") {
        value = ItemText(Child(c, "is"));
      } else {
        const std::string_view v = Child(c, "v").text().get();
        if (type == "s") {
          const auto index =
              static_cast<std::size_t>(std::strtoul(std::string(v).c_str(), nullptr, 10));
          if (index < shared.size()) value = shared[index];
        } else if (type == "b") {
          value = v == "1" ? "TRUE" : "FALSE";
        } else if (type == "str" || type == "e") {
          value = std::string(v);
        } else {
          value = NumberText(v);
        }
      }
      if (out.cells.size() <= static_cast<std::size_t>(col))
        out.cells.resize(static_cast<std::size_t>(col) + 1);
      out.cells[static_cast<std::size_t>(col)] = std::move(value);
    }
    const bool empty = std::all_of(out.cells.begin(), out.cells.end(),
                                   [](const std::string& s) { return s.empty(); });
    if (empty) continue;
    if (rows.size() >= limits.max_rows) return Unreadable("tệp có quá nhiều dòng.");
    rows.push_back(std::move(out));
  }
  return rows;
}

// A text cell that a spreadsheet program would take for a formula (=, +, -, @, or a tab or
// carriage return before one) is written after an apostrophe, as OWASP's CSV-injection advice
// says: an exported name like =HYPERLINK(...) opens as text. Reading drops that apostrophe
// again, so an export imports back unchanged.
bool LooksLikeFormula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}

}  // namespace

core::Result<std::vector<Row>> ReadTable(std::string_view bytes, const ReadLimits& limits) {
  if (bytes.starts_with("PK\x03\x04")) return ReadXlsx(bytes, limits);
  if (bytes.starts_with("\xD0\xCF\x11\xE0")) {
    return Unreadable("tệp Excel 97-2003 (.xls) không được hỗ trợ.");
  }
  auto records = core::ParseCsv(bytes);
  if (!records) {
    auto e = std::move(records).error();
    e.field = "file";
    return e;
  }
  std::vector<Row> rows;
  for (auto& r : *records) {
    if (rows.size() >= limits.max_rows) return Unreadable("tệp có quá nhiều dòng.");
    if (r.fields.size() > limits.max_columns) r.fields.resize(limits.max_columns);
    for (auto& field : r.fields) {
      if (field.starts_with('\'') && LooksLikeFormula(std::string_view(field).substr(1))) {
        field.erase(0, 1);
      }
    }
    rows.push_back(Row{r.row, std::move(r.fields)});
  }
  return rows;
}

core::Result<std::string> WriteXlsx(const Sheet& sheet) {
  std::string path = (std::filesystem::temp_directory_path() / "hoithi-xlsx-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    return core::MakeError(ErrorKind::kInternal, "internal_error",
                           "Không tạo được tệp Excel. Vui lòng thử lại.");
  }
  close(fd);
  struct Remove {
    std::string p;
    ~Remove() { std::remove(p.c_str()); }
  } remove{path};

  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) {
    return core::MakeError(ErrorKind::kInternal, "internal_error",
                           "Không tạo được tệp Excel. Vui lòng thử lại.");
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (std::size_t c = 0; c < sheet.header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(), bold);
  }
  for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      const auto& cell = sheet.rows[r][c];
      if (const auto* s = std::get_if<std::string>(&cell)) {
        if (!s->empty()) worksheet_write_string(ws, row, col, s->c_str(), nullptr);
      } else if (const auto* i = std::get_if<long long>(&cell)) {
        worksheet_write_number(ws, row, col, static_cast<double>(*i), nullptr);
      } else {
        worksheet_write_number(ws, row, col, std::get<double>(cell), nullptr);
      }
    }
  }
  for (std::size_t c = 0; c < sheet.header.size(); ++c) {
    const double width = c < sheet.widths.size() ? sheet.widths[c] : 18;
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), width, nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);
  if (workbook_close(wb) != LXW_NO_ERROR) {
    return core::MakeError(ErrorKind::kInternal, "internal_error",
                           "Không tạo được tệp Excel. Vui lòng thử lại.");
  }
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string WriteCsv(const Sheet& sheet) {
  std::string out = "\xEF\xBB\xBF";
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) out += ',';
      out += core::CsvField(cells[i]);
    }
    out += "\r\n";
  };
  line(sheet.header);
  for (const auto& row : sheet.rows) {
    std::vector<std::string> cells;
    for (const auto& cell : row) {
      if (const auto* s = std::get_if<std::string>(&cell)) {
        cells.push_back(LooksLikeFormula(*s) ? "'" + *s : *s);
      } else if (const auto* i = std::get_if<long long>(&cell)) {
        cells.push_back(std::to_string(*i));
      } else {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", std::get<double>(cell));
        cells.emplace_back(buf);
      }
    }
    line(cells);
  }
  return out;
}

core::Result<EncodedFile> Encode(const Sheet& sheet, std::string_view format) {
  if (format == "csv") return EncodedFile{WriteCsv(sheet), kCsvContentType, ".csv"};
  auto xlsx = WriteXlsx(sheet);
  if (!xlsx) return std::move(xlsx).error();
  return EncodedFile{std::move(*xlsx), kXlsxContentType, ".xlsx"};
}

}  // namespace hoithi::spreadsheet
