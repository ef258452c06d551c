// The PAR sheet, the announcement and the certificates of published results (see exports.hpp).
#include "results/exports.hpp"

#include <fmt/format.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <map>

#include "contest/judging_rules.hpp"
#include "core/time_format.hpp"

namespace hoithi::results {
namespace {

using contest::PrizeCategory;
using documents::Align;

std::string Upper(std::string_view text) {
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
      .toUpper(icu::Locale("vi"))
      .toUTF8String(out);
  return out;
}

std::string Joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : std::string(separator)) + p;
  return out;
}

/// "Sóc Trăng, ngày 31 tháng 12 năm 2021" for the day of publication (the contest's time zone);
/// the date alone when no place is set.
std::string PlaceDate(const contest::Contest& contest, const Publication& p) {
  const auto when = p.published_at.value_or(p.reviewed_at);
  int day = 0, month = 0, year = 0;
  std::sscanf(core::FormatDate(when, contest.time_zone).c_str(), "%d/%d/%d", &day, &month, &year);
  const auto& place = contest.settings->results.place;
  auto text = documents::PlaceAndDate(place.empty() ? "-" : place, year, month, day);
  return place.empty() ? text.substr(text.find("ngày")) : text;
}

std::string Organisation(const contest::Contest& contest) {
  return "BAN TỔ CHỨC\n" + Upper(contest.name);
}

std::string_view CategoryTitle(PrizeCategory c) {
  switch (c) {
    case PrizeCategory::kCollective:
      return "Giải tập thể";
    case PrizeCategory::kVideo:
      return "Giải video tuyên truyền";
    case PrizeCategory::kIndividual:
      return "Giải cá nhân";
  }
  return "";
}

}  // namespace

spreadsheet::Sheet ParSheet(const Draft& d) {
  spreadsheet::Sheet sheet;
  sheet.name = "Chỉ số CCHC";
  sheet.header = {"Hạng",      "Mã đơn vị",          "Đơn vị",           "Số người dự thi",
                  "Số cán bộ", "Tỉ lệ tham gia (%)", "Điểm trắc nghiệm", "Điểm video",
                  "Tổng điểm", "Giải tập thể",       "Giải cá nhân",     "Giải video"};
  sheet.widths = {6, 22, 36, 14, 10, 14, 14, 10, 10, 18, 40, 40};
  std::map<std::int64_t, std::vector<std::string>> collective, individual, video;
  for (const auto& p : d.prizes) {
    auto& into = p.category == PrizeCategory::kCollective ? collective
                 : p.category == PrizeCategory::kVideo    ? video
                                                          : individual;
    into[p.unit_id].push_back(p.category == PrizeCategory::kCollective
                                  ? p.prize
                                  : fmt::format("{}: {}", p.recipient, p.prize));
  }
  const auto number = [](Score s) { return spreadsheet::Cell(contest::PointsToNumber(s)); };
  for (const auto& line : d.units) {
    const auto& s = line.standing;
    const auto id = s.facts.unit_id;
    sheet.rows.push_back(
        {static_cast<long long>(s.rank), line.code, line.name,
         static_cast<long long>(s.facts.participants),
         s.facts.headcount ? spreadsheet::Cell(static_cast<long long>(*s.facts.headcount))
                           : spreadsheet::Cell(std::string()),
         number(s.participation), number(s.quiz), number(s.video), number(s.total),
         Joined(collective[id], "; "), Joined(individual[id], "; "), Joined(video[id], "; ")});
  }
  return sheet;
}

documents::Document Announcement(const Draft& d, const contest::Contest& contest,
                                 const Publication& p) {
  const auto& settings = contest.settings->results;
  documents::Document doc;
  doc.title = "Thông báo kết quả " + contest.name;
  doc.running_footer = fmt::format("Mã kiểm tra SHA-256 của tệp kết quả: {}", p.digest);
  doc.blocks.push_back(
      documents::OfficialHeading{.authority = settings.authority,
                                 .organisation = Organisation(contest),
                                 .number = fmt::format("Số: {:02}/TB-BTC", p.version),
                                 .place_date = PlaceDate(contest, p)});
  doc.blocks.push_back(documents::Heading{.text = "THÔNG BÁO"});
  doc.blocks.push_back(documents::Paragraph{
      .text = "Kết quả " + contest.name, .bold = true, .align = Align::kCenter});
  doc.blocks.push_back(documents::Paragraph{
      .text = "Căn cứ kết quả phần thi trắc nghiệm trực tuyến và kết quả chấm điểm video của Ban "
              "Giám khảo, Ban Tổ chức Hội thi thông báo kết quả và danh sách các tập thể, cá nhân "
              "đạt giải như sau:",
      .first_line_indent_mm = 10});
  const char* numerals[] = {"I", "II", "III", "IV"};
  int section = 0;
  for (auto category :
       {PrizeCategory::kCollective, PrizeCategory::kVideo, PrizeCategory::kIndividual}) {
    documents::Table table;
    const bool person = category == PrizeCategory::kIndividual;
    const bool unit = category == PrizeCategory::kCollective;
    table.columns = {{.header = "STT", .width = 0.7, .align = Align::kCenter},
                     {.header = unit     ? "Đơn vị"
                                : person ? "Họ và tên"
                                         : "Video",
                      .width = 2.6},
                     {.header = unit ? "Điểm tổng hợp" : "Đơn vị", .width = unit ? 1.3 : 2.2},
                     {.header = "Giải", .width = 2.2},
                     {.header = "Tiền thưởng (đồng)", .width = 1.5, .align = Align::kRight}};
    for (const auto& w : d.prizes) {
      if (w.category != category) continue;
      table.rows.push_back({std::to_string(table.rows.size() + 1), w.recipient,
                            unit ? w.detail : w.unit_name, w.prize,
                            core::FormatThousands(w.amount_vnd)});
    }
    if (table.rows.empty()) continue;
    doc.blocks.push_back(documents::Heading{
        .text = fmt::format("{}. {}", numerals[section++], CategoryTitle(category)), .level = 2});
    doc.blocks.push_back(std::move(table));
  }
  doc.blocks.push_back(documents::Paragraph{
      .text = fmt::format("Tổng số tiền thưởng: {}.", core::FormatVnd(d.total_vnd)), .bold = true});
  doc.blocks.push_back(documents::Heading{
      .text = fmt::format("{}. Xếp hạng đơn vị", numerals[section++]), .level = 2});
  doc.blocks.push_back(documents::Paragraph{.text = contest::ResultsFormulaText(d.rules)});
  documents::Table ranking;
  ranking.columns = {{.header = "Hạng", .width = 0.7, .align = Align::kCenter},
                     {.header = "Đơn vị", .width = 3.4},
                     {.header = "Tham gia", .width = 1, .align = Align::kRight},
                     {.header = "Trắc nghiệm", .width = 1.1, .align = Align::kRight},
                     {.header = "Video", .width = 0.9, .align = Align::kRight},
                     {.header = "Tổng điểm", .width = 1, .align = Align::kRight}};
  for (const auto& line : d.units) {
    const auto& s = line.standing;
    ranking.rows.push_back({std::to_string(s.rank), line.name,
                            contest::FormatPoints(s.participation), contest::FormatPoints(s.quiz),
                            contest::FormatPoints(s.video), contest::FormatPoints(s.total)});
  }
  doc.blocks.push_back(std::move(ranking));
  doc.blocks.push_back(documents::Paragraph{
      .text = fmt::format("Kết quả này được công bố kèm tệp kết quả có mã kiểm tra SHA-256 {}; "
                          "ai giữ tệp đều kiểm tra được tệp đúng là kết quả đã công bố.",
                          p.digest),
      .italic = true,
      .align = Align::kLeft,  // justified, the long digest would stretch the spaces
      .size_pt = 11});
  doc.blocks.push_back(documents::Signature{
      .title = settings.signer_title,
      .name = settings.signer_name,
      .recipients = {"- Các đơn vị dự thi;", "- Đăng trên trang Hội thi;", "- Lưu: VT, BTC."}});
  return doc;
}

std::vector<documents::Certificate> Certificates(const Draft& d, const contest::Contest& contest,
                                                 const Publication& p) {
  const auto& settings = contest.settings->results;
  std::vector<documents::Certificate> out;
  for (const auto& w : d.prizes) {
    documents::Certificate c;
    c.authority = settings.authority;
    c.organisation = Organisation(contest);
    c.number = fmt::format("Số: {:02}/GCN-BTC", out.size() + 1);
    c.place_date = PlaceDate(contest, p);
    c.signer_title = settings.signer_title;
    c.signer_name = settings.signer_name;
    switch (w.category) {
      case PrizeCategory::kCollective:
        c.intro = "Chứng nhận tập thể:";
        c.recipient = w.recipient;
        c.achievement = fmt::format("Đã đạt {} tập thể {}.", w.prize, contest.name);
        break;
      case PrizeCategory::kVideo:
        c.intro = "Chứng nhận tập thể:";
        c.recipient = w.unit_name;
        c.achievement = fmt::format("Có video “{}” đạt {} {}.", w.recipient, w.prize, contest.name);
        break;
      case PrizeCategory::kIndividual:
        c.intro = "Chứng nhận Ông (Bà):";
        c.recipient = w.recipient;
        c.unit = w.unit_name;
        c.achievement = fmt::format("Đã đạt {} {}.", w.prize, contest.name);
        break;
    }
    out.push_back(std::move(c));
  }
  return out;
}

documents::PdfInfo CertificatesInfo(const contest::Contest& contest) {
  return {.title = "Giấy chứng nhận " + contest.name,
          .author = contest.organiser,
          .subject = "Giấy chứng nhận đạt giải"};
}

}  // namespace hoithi::results
