// The document model that documents/ renders to PDF: plain data, no cairo or pango types.
// A Document is a flow of blocks (headings, paragraphs, tables, the Vietnamese official heading,
// a signature) that the renderer paginates; a Certificate is one fixed landscape page.
// Texts are UTF-8 ('\n' breaks a line); the renderer checks them and puts them in NFC.
// Every member has a default initialiser, so designated initialisers may leave any out
// (Heading{.text = "THÔNG BÁO"}) without -Wmissing-field-initializers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hoithi::documents {

/// The family every document uses unless told otherwise: Liberation Serif (fonts-liberation2),
/// metrically compatible with Times New Roman, the typeface that Decree 30/2020/NĐ-CP prescribes
/// for Vietnamese administrative documents, so a page breaks where the organisers' Word template
/// would; it covers every precomposed Vietnamese letter in all four styles; and it costs 4 MB
/// installed against 42 MB for fonts-noto-core. DejaVu Serif covers Vietnamese too but is wide
/// and heavy, nothing like an official document.
inline constexpr std::string_view kDefaultFontFamily = "Liberation Serif";

inline constexpr std::string_view kNation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
inline constexpr std::string_view kMotto = "Độc lập - Tự do - Hạnh phúc";

enum class Orientation { kPortrait, kLandscape };  // of an A4 page
enum class Align { kLeft, kCenter, kRight, kJustify };

/// A title or section heading; never split across pages and kept on the page of what follows.
/// Level 1: the document's title (bold, body size + 1, centred by default); level 2: a section
/// (bold); level 3: a sub-section (bold italic). Levels 2 and 3 are left-aligned by default.
struct Heading {
  std::string text{};
  int level = 1;
  std::optional<Align> align{};
};

/// Running text; splits across pages between lines.
struct Paragraph {
  std::string text{};
  bool bold = false;
  bool italic = false;
  Align align = Align::kJustify;
  double size_pt = 0;               // 0: the document's body size
  double first_line_indent_mm = 0;  // administrative prose indents its first line 10 mm
};

struct TableColumn {
  std::string header{};
  double width = 1;  // relative: the widths are scaled to fill the text width
  Align align = Align::kLeft;
};

/// A ruled table. Cells wrap; a row is never cut across pages; when the table continues on
/// another page its header row is drawn again at the top.
struct Table {
  std::vector<TableColumn> columns{};
  std::vector<std::vector<std::string>> rows{};  // a row shorter than the columns ends in blanks
  double size_pt = 0;                            // 0: the body size less one point
};

/// Blank space; dropped at the top of a page.
struct VerticalSpace {
  double mm = 5;
};

/// Starts a new page (nothing when the current page is still empty).
struct PageBreak {};

/// The heading block of Vietnamese administrative documents (Decree 30/2020/NĐ-CP): the issuing
/// body on the left (its superior above it, a short rule below it, then the number), the nation
/// and the motto on the right (the motto underlined, then the place and date in italics).
struct OfficialHeading {
  std::string authority{};     // the superior body, e.g. "UBND TỈNH ..."; may be empty
  std::string organisation{};  // the issuing body, bold, e.g. "BAN TỔ CHỨC HỘI THI"
  std::string number{};        // e.g. "Số: 15/TB-BTC"; may be empty
  std::string nation = std::string(kNation);
  std::string motto = std::string(kMotto);
  std::string place_date{};  // e.g. PlaceAndDate("Sóc Trăng", 2021, 12, 31); may be empty
};

/// The signature block that closes a document: the signer's title and name on the right with
/// room to sign between them, and the "Nơi nhận:" list on the left. Never split across pages.
struct Signature {
  std::string title{};  // upper case, '\n' between lines: "TM. BAN TỔ CHỨC\nTRƯỞNG BAN"
  std::string name{};   // may be empty: a space to sign and fill in
  std::vector<std::string> recipients{};  // "- Như trên;" lines; empty: no "Nơi nhận:" list
  double signing_space_mm = 25;
};

using Block =
    std::variant<Heading, Paragraph, Table, VerticalSpace, PageBreak, OfficialHeading, Signature>;

struct Margins {
  double top_mm = 20;
  double bottom_mm = 20;
  double left_mm = 30;  // Decree 30: 30–35 mm left, 15–20 mm right, 20–25 mm top and bottom
  double right_mm = 15;
};

/// A document such as the results announcement or a judge's score sheet.
struct Document {
  std::string title{};  // the bookmark of its first page (and the PDF's title when alone)
  Orientation orientation = Orientation::kPortrait;
  Margins margins{};
  std::string font_family = std::string(kDefaultFontFamily);
  double body_size_pt = 13;      // Decree 30: 13–14 pt
  std::string running_header{};  // small italic, centred above the text of every page; empty: none
  std::string running_footer{};  // small italic, at the left below the text; empty: none
  bool page_numbers = true;      // "Trang 1/3" at the right below the text
  std::vector<Block> blocks{};
};

/// A certificate (giấy chứng nhận): one landscape A4 page inside a border frame. Every text is a
/// parameter; empty optional texts leave their line out.
struct Certificate {
  std::string authority{};     // optional, above the organisation: "UBND TỈNH ..."
  std::string organisation{};  // the issuing body: "BAN TỔ CHỨC HỘI THI ..."
  std::string number{};        // optional: "Số: 01/GCN-BTC"
  std::string nation = std::string(kNation);
  std::string motto = std::string(kMotto);
  std::string title = "GIẤY CHỨNG NHẬN";
  std::string intro{};      // optional line above the name: "Chứng nhận:" or "TẶNG"
  std::string recipient{};  // the person's or the unit's name, drawn large
  std::string unit_label = "Đơn vị:";
  std::string unit{};          // optional: the person's unit, after unit_label
  std::string achievement{};   // "Đã đạt Giải Nhất ..."; wraps, centred
  std::string place_date{};    // PlaceAndDate(...)
  std::string signer_title{};  // '\n' between lines: "TM. BAN TỔ CHỨC\nTRƯỞNG BAN"
  std::string signer_name{};
  std::string font_family = std::string(kDefaultFontFamily);
};

/// Metadata of a PDF file. The creator is always "hoithi".
struct PdfInfo {
  std::string title{};
  std::string author{};
  std::string subject{};
};

/// "Sóc Trăng, ngày 31 tháng 12 năm 2021", with the zero Decree 30 puts before a day below 10
/// and before the months 1 and 2: "Hà Nội, ngày 05 tháng 02 năm 2022".
std::string PlaceAndDate(std::string_view place, int year, int month, int day);

/// "Trang 1/3"
std::string PageLabel(int page, int pages);

}  // namespace hoithi::documents
