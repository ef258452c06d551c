// The PDF documents, read back with poppler's tools: pdftotext for the Vietnamese text of each
// page, pdfinfo for page counts, sizes and metadata, pdffonts for embedded fonts.
#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/text.hpp"
#include "core/time_format.hpp"
#include "documents/pdf_writer.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

namespace hoithi::documents {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;
using testing::TempDir;

/// A PDF's bytes in a file of the temporary directory, for poppler's tools.
class Pdf {
 public:
  explicit Pdf(const std::string& bytes) : path_(dir_.path() / "document.pdf") {
    testing::WriteFile(path_, bytes);
  }
  std::string Text() const { return RunCommand("pdftotext -enc UTF-8 '" + path_.string() + "' -"); }
  std::string PageText(int page) const {
    const auto p = std::to_string(page);
    return RunCommand("pdftotext -enc UTF-8 -f " + p + " -l " + p + " '" + path_.string() + "' -");
  }
  std::string Info() const { return RunCommand("pdfinfo -f 1 -l 1000 '" + path_.string() + "'"); }
  std::string Fonts() const { return RunCommand("pdffonts '" + path_.string() + "'"); }
  /// A field of pdfinfo's report, trimmed: InfoField("Creator") == "hoithi".
  std::string InfoField(const std::string& name) const {
    std::istringstream lines(Info());
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.starts_with(name + ":")) continue;
      const auto value = line.find_first_not_of(' ', name.size() + 1);
      return value == std::string::npos ? "" : line.substr(value);
    }
    return "";
  }
  int Pages() const {
    const auto info = Info();
    const auto at = info.find("Pages:");
    return at == std::string::npos ? -1 : std::atoi(info.c_str() + at + 6);
  }
  /// "595.276 x 841.89" for page `page` (pdfinfo: "Page    1 size: 595.276 x 841.89 pts (A4)").
  std::string PageSize(int page) const {
    std::istringstream lines(Info());
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream words(line);
      std::string label, number, size, w, x, h;
      words >> label >> number >> size >> w >> x >> h;
      if (label == "Page" && number == std::to_string(page) && size == "size:") {
        return w + " " + x + " " + h;
      }
    }
    return "";
  }

 private:
  TempDir dir_;
  fs::path path_;
};

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

Document Announcement() {
  Document d;
  d.title = "Thông báo kết quả Hội thi";
  d.blocks.push_back(OfficialHeading{.authority = "UBND TỈNH SÓC TRĂNG",
                                     .organisation = "BAN TỔ CHỨC HỘI THI",
                                     .number = "Số: 15/TB-BTC",
                                     .place_date = PlaceAndDate("Sóc Trăng", 2021, 12, 31)});
  d.blocks.push_back(Heading{.text = "THÔNG BÁO"});
  d.blocks.push_back(Paragraph{.text = "Ban Tổ chức Hội thi thông báo kết quả như sau:"});
  // "Nguyễn" typed decomposed (e + combining circumflex + combining tilde): the PDF must carry
  // the composed letter.
  d.blocks.push_back(Table{.columns = {{"STT", 0.9, Align::kCenter},
                                       {"Họ và tên", 4, Align::kLeft},
                                       {"Đơn vị", 4.2, Align::kLeft},
                                       {"Giải thưởng", 2.1, Align::kCenter},
                                       {"Tiền thưởng", 2.8, Align::kRight}},
                           .rows = {{"1", "Nguye\xCC\x82\xCC\x83n Thị Ngọc Ánh",
                                     "UBND huyện Kế Sách", "Giải Nhất", core::FormatVnd(10000000)},
                                    {"2", "Trương Thị Ấu", "UBND thị xã Vĩnh Châu", "Giải Nhì",
                                     core::FormatVnd(7000000)}},
                           .size_pt = 11});
  d.blocks.push_back(Signature{.title = "TM. BAN TỔ CHỨC\nTRƯỞNG BAN",
                               .name = "Lâm Hoàng Nghiệp",
                               .recipients = {"- Như trên;", "- Lưu: VT."}});
  return d;
}

Certificate MakeCertificate(std::string recipient) {
  Certificate c;
  c.authority = "UBND TỈNH SÓC TRĂNG";
  c.organisation = "BAN TỔ CHỨC HỘI THI";
  c.number = "Số: 01/GCN-BTC";
  c.intro = "Chứng nhận Ông (Bà):";
  c.recipient = std::move(recipient);
  c.unit = "UBND huyện Kế Sách";
  c.achievement = "Đã đạt Giải Nhất Hội thi trực tuyến tìm hiểu về cải cách hành chính.";
  c.place_date = PlaceAndDate("Sóc Trăng", 2021, 12, 31);
  c.signer_title = "TM. BAN TỔ CHỨC\nTRƯỞNG BAN";
  c.signer_name = "Lâm Hoàng Nghiệp";
  return c;
}

TEST(PlaceAndDate, WritesTheZerosDecree30Asks) {
  EXPECT_EQ(PlaceAndDate("Sóc Trăng", 2021, 12, 31), "Sóc Trăng, ngày 31 tháng 12 năm 2021");
  EXPECT_EQ(PlaceAndDate("Hà Nội", 2022, 2, 5), "Hà Nội, ngày 05 tháng 02 năm 2022");
  EXPECT_EQ(PlaceAndDate("Cần Thơ", 2022, 3, 9), "Cần Thơ, ngày 09 tháng 3 năm 2022");
  EXPECT_EQ(PageLabel(1, 3), "Trang 1/3");
}

TEST(Announcement, CarriesTheVietnameseTextsInNfc) {
  auto bytes = RenderPdf(Announcement());
  ASSERT_TRUE(bytes.ok()) << bytes.error().code << ": " << bytes.error().detail;
  ASSERT_EQ(bytes->substr(0, 5), "%PDF-");
  const Pdf pdf(*bytes);
  const std::string text = pdf.Text();
  // pdftotext gives back what cairo recorded for each glyph cluster: already NFC.
  EXPECT_EQ(core::ToNfc(text), text);
  for (const char* expected :
       {"UBND TỈNH SÓC TRĂNG", "BAN TỔ CHỨC HỘI THI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Sóc Trăng, ngày 31 tháng 12 năm 2021", "Số: 15/TB-BTC",
        "THÔNG BÁO", "Nguyễn Thị Ngọc Ánh", "UBND huyện Kế Sách", "10.000.000 đồng", "Giải Nhất",
        "Trương Thị Ấu", "UBND thị xã Vĩnh Châu", "7.000.000 đồng", "Nơi nhận:", "TRƯỞNG BAN",
        "Lâm Hoàng Nghiệp", "Trang 1/1"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n--- in ---\n" << text;
  }
  const std::string decomposed = "Nguye\xCC\x82\xCC\x83n";
  EXPECT_EQ(text.find(decomposed), std::string::npos);

  EXPECT_EQ(pdf.InfoField("Title"), "Thông báo kết quả Hội thi");
  EXPECT_EQ(pdf.InfoField("Creator"), "hoithi");
  EXPECT_EQ(pdf.PageSize(1), "595.276 x 841.89");  // A4 portrait
}

TEST(Announcement, EveryDiacriticComesBackAndNeedsNoFallbackFont) {
  const std::string letters =
      "ă â đ ê ô ơ ư Ă Â Đ Ê Ô Ơ Ư "
      "á à ả ã ạ ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ é è ẻ ẽ ẹ ế ề ể ễ ệ í ì ỉ ĩ ị "
      "ó ò ỏ õ ọ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ú ù ủ ũ ụ ứ ừ ử ữ ự ý ỳ ỷ ỹ ỵ "
      "Ấ Ầ Ẩ Ẫ Ậ Ắ Ằ Ẳ Ẵ Ặ Ế Ề Ể Ễ Ệ Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ Ứ Ừ Ử Ữ Ự";
  Document d;
  for (const bool bold : {false, true}) {
    for (const bool italic : {false, true}) {
      d.blocks.push_back(Paragraph{.text = letters, .bold = bold, .italic = italic});
    }
  }
  auto bytes = RenderPdf(d);
  ASSERT_TRUE(bytes.ok());
  const Pdf pdf(*bytes);
  // pdftotext breaks the lines where the paragraph wrapped; compare the letters alone.
  std::string text = pdf.Text();
  std::string expected;
  for (int i = 0; i < 4; ++i)
    expected += letters + " ";
  auto squeeze = [](std::string s) {
    std::string out;
    for (char ch : s) {
      if (ch != ' ' && ch != '\n' && ch != '\f') out += ch;
    }
    return out;
  };
  EXPECT_EQ(squeeze(text.substr(0, text.find("Trang 1/1"))), squeeze(expected)) << text;

  // Every glyph came from Liberation Serif, embedded: pango needed no fallback font.
  const std::string fonts = pdf.Fonts();
  int rows = 0;
  std::istringstream lines(fonts);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.starts_with("name") || line.starts_with("---")) continue;
    ++rows;
    EXPECT_NE(line.find("LiberationSerif"), std::string::npos) << line;
    // The columns "emb sub uni" (before the object's number and generation): embedded, as a
    // subset, with a ToUnicode map.
    std::istringstream words(line);
    std::vector<std::string> columns;
    for (std::string w; words >> w;)
      columns.push_back(w);
    ASSERT_GE(columns.size(), 7u) << line;
    const auto n = columns.size();
    EXPECT_EQ(columns[n - 5] + columns[n - 4] + columns[n - 3], "yesyesyes") << line;
  }
  EXPECT_GE(rows, 4) << fonts;  // regular, bold, italic, bold italic
}

TEST(Announcement, ALongTableRepeatsItsHeaderAndNeverCutsARow) {
  Document d;
  d.title = "Bảng điểm";
  d.blocks.push_back(Heading{.text = "BẢNG ĐIỂM CỦA GIÁM KHẢO"});
  Table table{.columns = {{"STT", 1, Align::kCenter},
                          {"Đơn vị dự thi", 5, Align::kLeft},
                          {"Điểm", 2, Align::kRight}}};
  for (int i = 1; i <= 120; ++i) {
    // Two lines in one cell: both must land on the same page.
    table.rows.push_back(
        {std::to_string(i),
         "Dòng đầu hàng " + std::to_string(i) + "\nDòng cuối hàng " + std::to_string(i),
         std::to_string(50 + i % 50) + ",5"});
  }
  d.blocks.push_back(table);
  auto bytes = RenderPdf(d);
  ASSERT_TRUE(bytes.ok());
  const Pdf pdf(*bytes);
  const int pages = pdf.Pages();
  ASSERT_GE(pages, 3);

  std::vector<int> page_of(121, 0);
  for (int p = 1; p <= pages; ++p) {
    const std::string text = pdf.PageText(p);
    EXPECT_EQ(Count(text, "Đơn vị dự thi"), 1) << "page " << p << ":\n" << text;
    EXPECT_NE(text.find(PageLabel(p, pages)), std::string::npos) << text;
    for (int i = 1; i <= 120; ++i) {
      const bool first =
          text.find("Dòng đầu hàng " + std::to_string(i) + "\n") != std::string::npos;
      const bool last =
          text.find("Dòng cuối hàng " + std::to_string(i) + "\n") != std::string::npos;
      EXPECT_EQ(first, last) << "row " << i << " cut at the foot of page " << p;
      if (first) {
        EXPECT_EQ(page_of[i], 0) << "row " << i << " drawn twice";
        page_of[i] = p;
      }
    }
  }
  for (int i = 1; i <= 120; ++i) {
    EXPECT_NE(page_of[i], 0) << "row " << i << " missing";
    if (i > 1) {
      EXPECT_GE(page_of[i], page_of[i - 1]) << "rows out of order";
    }
  }
  EXPECT_EQ(page_of[120], pages);
}

TEST(Announcement, AHeadingStaysOnThePageOfWhatFollowsIt) {
  // Fill the page with more and more lines so that the heading falls at every height, the foot
  // of the page included: it is always on the page of the table's first row.
  for (int filler = 28; filler <= 42; ++filler) {
    Document d;
    d.page_numbers = false;
    for (int i = 0; i < filler; ++i)
      d.blocks.push_back(Paragraph{.text = "Dòng đệm"});
    d.blocks.push_back(Heading{.text = "Tiêu đề mục", .level = 2});
    d.blocks.push_back(Table{.columns = {{"Cột", 1, Align::kLeft}}, .rows = {{"Hàng đầu tiên"}}});
    auto bytes = RenderPdf(d);
    ASSERT_TRUE(bytes.ok());
    const Pdf pdf(*bytes);
    for (int p = 1; p <= pdf.Pages(); ++p) {
      const std::string text = pdf.PageText(p);
      EXPECT_EQ(text.find("Tiêu đề mục") != std::string::npos,
                text.find("Hàng đầu tiên") != std::string::npos)
          << filler << " lines, page " << p << ":\n"
          << text;
    }
  }
}

TEST(Announcement, ALongParagraphContinuesOnTheNextPage) {
  Document d;
  std::string text;
  for (int i = 1; i <= 1500; ++i)
    text += "câu" + std::to_string(i) + " ";
  d.blocks.push_back(Paragraph{.text = text, .first_line_indent_mm = 10});
  auto bytes = RenderPdf(d);
  ASSERT_TRUE(bytes.ok());
  const Pdf pdf(*bytes);
  ASSERT_GE(pdf.Pages(), 2);
  const std::string all = pdf.Text();
  // Every word once (no line lost or drawn twice at a page break), in order.
  std::size_t at = 0;
  for (int i = 1; i <= 1500; ++i) {
    const std::string word = "câu" + std::to_string(i);
    ASSERT_EQ(Count(all, word + " ") + Count(all, word + "\n"), 1) << word;
    const auto here = std::min(all.find(word + " "), all.find(word + "\n"));
    if (i > 1) {
      ASSERT_GT(here, at) << word << " out of order";
    }
    at = here;
  }
}

TEST(Certificate, IsALandscapePageWithEveryText) {
  auto bytes = RenderPdf(MakeCertificate("Nguyễn Thị Ngọc Ánh"));
  ASSERT_TRUE(bytes.ok()) << bytes.error().code;
  const Pdf pdf(*bytes);
  EXPECT_EQ(pdf.Pages(), 1);
  EXPECT_EQ(pdf.PageSize(1), "841.89 x 595.276");
  const std::string text = pdf.Text();
  for (const char* expected : {"GIẤY CHỨNG NHẬN", "Chứng nhận Ông (Bà):", "Nguyễn Thị Ngọc Ánh",
                               "Đơn vị: UBND huyện Kế Sách", "Đã đạt Giải Nhất", "Số: 01/GCN-BTC",
                               "Sóc Trăng, ngày 31 tháng 12 năm 2021", "TM. BAN TỔ CHỨC",
                               "Lâm Hoàng Nghiệp", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n--- in ---\n" << text;
  }
  EXPECT_EQ(pdf.InfoField("Creator"), "hoithi");
}

TEST(Certificate, ManyInOnePdfOnePageEach) {
  const std::vector<std::string> names = {"Nguyễn Thị Ngọc Ánh", "Trương Thị Ấu", "Lý Hoàng Phúc",
                                          "Đặng Thị Thu Trang"};
  std::vector<Certificate> certificates;
  for (const auto& n : names)
    certificates.push_back(MakeCertificate(n));
  auto bytes = RenderCertificates(certificates, {.title = "Giấy chứng nhận"});
  ASSERT_TRUE(bytes.ok());
  const Pdf pdf(*bytes);
  ASSERT_EQ(pdf.Pages(), 4);
  for (int p = 1; p <= 4; ++p) {
    const std::string text = pdf.PageText(p);
    for (int q = 0; q < 4; ++q) {
      EXPECT_EQ(text.find(names[q]) != std::string::npos, q == p - 1) << "page " << p;
    }
  }
}

TEST(PdfWriter, MixesPortraitDocumentsAndLandscapeCertificates) {
  auto writer = PdfWriter::ToMemory({.title = "Hồ sơ kết quả"});
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Add(Announcement()).ok());
  ASSERT_TRUE(writer->Add(MakeCertificate("Trương Thị Ấu")).ok());
  EXPECT_EQ(writer->page_count(), 2);
  auto bytes = writer->Finish();
  ASSERT_TRUE(bytes.ok());
  const Pdf pdf(*bytes);
  EXPECT_EQ(pdf.PageSize(1), "595.276 x 841.89");
  EXPECT_EQ(pdf.PageSize(2), "841.89 x 595.276");
  EXPECT_NE(pdf.PageText(2).find("Trương Thị Ấu"), std::string::npos);
}

TEST(PdfWriter, AFileAppearsOnlyWhenComplete) {
  TempDir dir;
  const auto path = dir.path() / "giay-chung-nhan.pdf";
  {
    auto writer = PdfWriter::ToFile(path.string());
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->Add(MakeCertificate("Lý Hoàng Phúc")).ok());
    EXPECT_FALSE(fs::exists(path));
    auto done = writer->Finish();
    ASSERT_TRUE(done.ok()) << done.error().detail;
    EXPECT_EQ(*done, "");
  }
  ASSERT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
  EXPECT_NE(RunCommand("pdftotext -enc UTF-8 '" + path.string() + "' -").find("Lý Hoàng Phúc"),
            std::string::npos);

  // Abandoned before Finish: neither the file nor its temporary is left.
  const auto abandoned = dir.path() / "bo-do.pdf";
  {
    auto writer = PdfWriter::ToFile(abandoned.string());
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->Add(MakeCertificate("Lý Hoàng Phúc")).ok());
  }
  EXPECT_FALSE(fs::exists(abandoned));
  EXPECT_FALSE(fs::exists(abandoned.string() + ".tmp"));

  auto nowhere = PdfWriter::ToFile((dir.path() / "khong-co" / "x.pdf").string());
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().code, "pdf_write_failed");
}

TEST(PdfWriter, FailuresAreValuesAndLeaveTheWriterUsable) {
  auto writer = PdfWriter::ToMemory();
  ASSERT_TRUE(writer.ok());

  Document no_font;
  no_font.font_family = "Phông Không Tồn Tại";
  auto status = writer->Add(no_font);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "font_missing");
  EXPECT_NE(status.error().message.find("Phông Không Tồn Tại"), std::string::npos);

  Document bad_text;
  bad_text.blocks.push_back(Paragraph{.text = "Kế Sách"});
  bad_text.blocks.push_back(Paragraph{.text = "abc\xFF"});
  status = writer->Add(bad_text);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "invalid_text");
  EXPECT_EQ(status.error().field, "blocks[1]");

  Document no_columns;
  no_columns.blocks.push_back(Table{});
  status = writer->Add(no_columns);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "bad_table");

  Document tall_row;
  std::string tall;
  for (int i = 0; i < 80; ++i)
    tall += "dòng " + std::to_string(i) + "\n";
  tall_row.blocks.push_back(Table{.columns = {{"Cột", 1, Align::kLeft}}, .rows = {{tall}}});
  status = writer->Add(tall_row);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "block_too_tall");

  Certificate bad_certificate = MakeCertificate("\xC0\xAF");
  status = writer->Add(bad_certificate);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "recipient");

  // None of them left a page; the writer still works.
  EXPECT_EQ(writer->page_count(), 0);
  ASSERT_TRUE(writer->Add(MakeCertificate("Trương Thị Ấu")).ok());
  auto bytes = writer->Finish();
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(Pdf(*bytes).Pages(), 1);

  auto empty = PdfWriter::ToMemory();
  ASSERT_TRUE(empty.ok());
  auto nothing = empty->Finish();
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.error().code, "no_pages");
}

TEST(Fonts, TheDefaultFamilyCoversVietnameseAndAMissingOneIsAnError) {
  EXPECT_TRUE(CheckFontFamily(kDefaultFontFamily).ok());
  const auto missing = CheckFontFamily("No Such Family 4711");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "font_missing");
  EXPECT_EQ(missing.error().kind, core::ErrorKind::kInternal);
}

TEST(PdfWriter, ThreadsRenderAtTheSameTime) {
  const std::vector<std::string> names = {"Nguyễn Thị Ngọc Ánh", "Trương Thị Ấu", "Lý Hoàng Phúc",
                                          "Đặng Thị Thu Trang"};
  std::vector<std::string> pdfs(names.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < names.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 5; ++round) {
        auto bytes = i % 2 == 0 ? RenderPdf(MakeCertificate(names[i])) : RenderPdf([&] {
          auto d = Announcement();
          d.blocks.push_back(Paragraph{.text = names[i]});
          return d;
        }());
        if (bytes.ok()) pdfs[i] = std::move(*bytes);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  for (std::size_t i = 0; i < names.size(); ++i) {
    ASSERT_FALSE(pdfs[i].empty()) << i;
    EXPECT_NE(Pdf(pdfs[i]).Text().find(names[i]), std::string::npos) << i;
  }
}

}  // namespace
}  // namespace hoithi::documents
