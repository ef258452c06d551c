// The jury's tables as spreadsheets: each judge's score sheet (phiếu chấm điểm) and the summary
// sheet (bảng tổng hợp điểm) with every judge's total and the aggregated score of each video.
// Built from a loaded board and the aggregated scores; written out by spreadsheet::Encode, or
// printed as PDF (PrintableSheet, rendered by documents/) for the judges to sign.
#pragma once

#include <cstdint>
#include <map>

#include "documents/document.hpp"
#include "judging/judging_service.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "units/units.hpp"

namespace hoithi::judging {

using UnitNames = std::map<std::int64_t, units::Unit>;

/// One row per video the judge is to score: the points of each criterion, the total, the
/// comment and the sheet's state. Without unit names when `blind`.
spreadsheet::Sheet JudgeScoreSheet(const Board& board, std::int64_t judge_id,
                                   const UnitNames& units, bool blind);

/// One row per video, best first: rank, title, unit, each judge's total (blank when not theirs,
/// "Cùng đơn vị" or "Không chấm" when they could not or would not), judges counted, the score.
spreadsheet::Sheet SummarySheet(const Board& board, const Standing& standing,
                                const UnitNames& units);

/// A sheet above as a printable document (landscape A4): `title` (upper case) and `subtitle`
/// above its table, then a signature block headed `signer` with room to sign by hand.
documents::Document PrintableSheet(const spreadsheet::Sheet& sheet, std::string title,
                                   std::string subtitle, std::string signer);

}  // namespace hoithi::judging
