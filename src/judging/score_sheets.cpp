// The judge's score sheet and the summary sheet, as spreadsheet tables and as printable documents.
#include "judging/score_sheets.hpp"

#include <cmath>
#include <optional>
#include <variant>

namespace hoithi::judging {
namespace {

std::string UnitName(const UnitNames& units, std::int64_t id) {
  const auto it = units.find(id);
  return it != units.end() ? it->second.name : "";
}

double AsNumber(contest::Points p) {
  return contest::PointsToNumber(p);
}

double Rounded(double x) {
  return std::round(x * 100.0) / 100.0;
}

}  // namespace

spreadsheet::Sheet JudgeScoreSheet(const Board& board, std::int64_t judge_id,
                                   const UnitNames& units, bool blind) {
  spreadsheet::Sheet sheet;
  sheet.name = "Phiếu chấm";
  sheet.header = {"STT", "Video"};
  sheet.widths = {6, 40};
  if (!blind) {
    sheet.header.push_back("Đơn vị");
    sheet.widths.push_back(32);
  }
  for (const auto& c : board.rules.criteria) {
    sheet.header.push_back(c.name + " (tối đa " + contest::FormatPoints(c.max) + ")");
    sheet.widths.push_back(16);
  }
  for (const auto* h : {"Tổng điểm", "Nhận xét", "Trạng thái"})
    sheet.header.push_back(h);
  sheet.widths.insert(sheet.widths.end(), {12, 40, 18});
  long long n = 0;
  for (const auto& e : board.entries) {
    const Pair pair{judge_id, e.id};
    if (!board.assigned.contains(pair)) continue;
    std::vector<spreadsheet::Cell> row = {++n, e.fields.title};
    if (!blind) row.emplace_back(UnitName(units, e.unit_id));
    const auto it = board.sheets.find(pair);
    const Sheet* s = it != board.sheets.end() ? &it->second : nullptr;
    for (const auto& c : board.rules.criteria) {
      std::optional<contest::Points> given;
      if (s) {
        if (const auto p = s->points.find(c.key); p != s->points.end()) given = p->second;
      }
      row.emplace_back(given ? spreadsheet::Cell(AsNumber(*given))
                             : spreadsheet::Cell(std::string()));
    }
    row.emplace_back(s ? spreadsheet::Cell(AsNumber(SheetTotal(*s, board.rules)))
                       : spreadsheet::Cell(std::string()));
    row.emplace_back(s ? (s->status == SheetStatus::kAbstained ? s->abstain_reason : s->comment)
                       : std::string());
    row.emplace_back(std::string(CellStateLabel(board.StateOf(pair))));
    sheet.rows.push_back(std::move(row));
  }
  return sheet;
}

spreadsheet::Sheet SummarySheet(const Board& board, const Standing& standing,
                                const UnitNames& units) {
  spreadsheet::Sheet sheet;
  sheet.name = "Tổng hợp điểm";
  sheet.header = {"Hạng", "Video", "Đơn vị"};
  sheet.widths = {6, 40, 32};
  for (const auto& j : board.judges) {
    sheet.header.push_back(j.full_name);
    sheet.widths.push_back(16);
  }
  sheet.header.push_back("Số giám khảo tính điểm");
  sheet.header.push_back("Điểm video");
  sheet.widths.insert(sheet.widths.end(), {12, 12});
  std::map<std::int64_t, const VideoScore*> scored;
  for (const auto& v : standing.videos)
    scored[v.entry_id] = &v;
  // Ranked videos first, in their order; videos without any submitted total after them.
  std::vector<const video::Entry*> order;
  for (const auto& v : standing.videos) {
    if (const auto* e = board.FindEntry(v.entry_id)) order.push_back(e);
  }
  for (const auto& e : board.entries) {
    if (!scored.contains(e.id)) order.push_back(&e);
  }
  long long rank = 0;
  for (const auto* e : order) {
    const auto score = scored.find(e->id);
    std::vector<spreadsheet::Cell> row;
    row.emplace_back(score != scored.end() ? spreadsheet::Cell(++rank)
                                           : spreadsheet::Cell(std::string()));
    row.emplace_back(e->fields.title);
    row.emplace_back(UnitName(units, e->unit_id));
    for (const auto& j : board.judges) {
      const Pair pair{j.id, e->id};
      if (board.conflicts.contains(pair)) {
        row.emplace_back(std::string("Cùng đơn vị"));
        continue;
      }
      const auto state = board.StateOf(pair);
      if (state == CellState::kAbstained) {
        row.emplace_back(std::string("Không chấm"));
      } else if (state == CellState::kSubmitted && board.assigned.contains(pair)) {
        row.emplace_back(AsNumber(SheetTotal(board.sheets.at(pair), board.rules)));
      } else {
        row.emplace_back(std::string());
      }
    }
    if (score != scored.end()) {
      row.emplace_back(static_cast<long long>(score->second->judges));
      row.emplace_back(Rounded(score->second->score));
    } else {
      row.emplace_back(0LL);
      row.emplace_back(std::string());
    }
    sheet.rows.push_back(std::move(row));
  }
  return sheet;
}

documents::Document PrintableSheet(const spreadsheet::Sheet& sheet, std::string title,
                                   std::string subtitle, std::string signer) {
  documents::Document doc;
  doc.title = subtitle.empty() ? title : title + " — " + subtitle;
  doc.orientation = documents::Orientation::kLandscape;
  doc.margins = {.top_mm = 15, .bottom_mm = 15, .left_mm = 20, .right_mm = 15};
  doc.body_size_pt = 12;
  doc.blocks.push_back(documents::Heading{.text = std::move(title)});
  if (!subtitle.empty()) {
    doc.blocks.push_back(documents::Paragraph{
        .text = std::move(subtitle), .italic = true, .align = documents::Align::kCenter});
  }
  documents::Table table;
  for (std::size_t i = 0; i < sheet.header.size(); ++i) {
    // Columns as wide as the spreadsheet's, numbers to the right as Excel shows them.
    const double width = i < sheet.widths.size() ? sheet.widths[i] : 12;
    table.columns.push_back({.header = sheet.header[i], .width = width});
  }
  for (const auto& row : sheet.rows) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const auto& cell = row[i];
      if (const auto* text = std::get_if<std::string>(&cell)) {
        cells.push_back(*text);
      } else if (const auto* whole = std::get_if<long long>(&cell)) {
        cells.push_back(std::to_string(*whole));
        if (i < table.columns.size()) table.columns[i].align = documents::Align::kRight;
      } else {
        cells.push_back(contest::FormatPoints(std::llround(std::get<double>(cell) * 100)));
        if (i < table.columns.size()) table.columns[i].align = documents::Align::kRight;
      }
    }
    table.rows.push_back(std::move(cells));
  }
  doc.blocks.push_back(std::move(table));
  doc.blocks.push_back(documents::Signature{.title = std::move(signer)});
  return doc;
}

}  // namespace hoithi::judging
