// Pagination of a Document: each block is first measured at the text width (a Box that never
// splits, a paragraph that splits between lines, a table that splits between rows), then the
// blocks flow down the pages. Headings stay with what follows them; a table continued on a new
// page starts with its header row again; the running header and footer are added last, when
// the number of pages is known.
#include <algorithm>
#include <cmath>
#include <variant>

#include "documents/render.hpp"

namespace hoithi::documents::internal {

namespace {

constexpr Rgb kHeaderFill{0.88, 0.88, 0.88};
constexpr Rgb kMargin{0.3, 0.3, 0.3};
constexpr double kCellPadX = 4;
constexpr double kCellPadY = 3;
constexpr double kGrid = 0.6;

std::string Field(std::size_t block, std::string_view what = {}) {
  std::string f = "blocks[" + std::to_string(block) + "]";
  if (!what.empty()) f += "." + std::string(what);
  return f;
}

core::Error TooTall(std::size_t block) {
  return core::MakeError(core::ErrorKind::kValidation, "block_too_tall",
                         "Một khối nội dung (bảng, chữ ký, tiêu đề) cao hơn cả trang giấy nên "
                         "không dàn trang được.",
                         Field(block));
}

core::Error BadTable(std::size_t block, std::string_view why) {
  auto e = core::MakeError(core::ErrorKind::kValidation, "bad_table",
                           "Bảng trong tài liệu không hợp lệ (cột hoặc dòng sai).", Field(block));
  e.detail = std::string(why);
  return e;
}

/// Items placed relative to the top of the box (x is already the page's).
struct Box {
  double height = 0;
  std::vector<PlacedText> texts;
  std::vector<PlacedRule> rules;
  std::vector<PlacedFill> fills;

  void Add(std::shared_ptr<const Text> text, double x, double y, Rgb color = kBlack) {
    const std::size_t n = text->lines.size();
    height = std::max(height, y + text->height());
    texts.push_back({std::move(text), 0, n, x, y, color});
  }
};

struct BoxBlock {
  Box box;
  double space_before = 0;
  double space_after = 0;
  bool keep_with_next = false;
};

struct TextBlock {
  std::shared_ptr<const Text> text;
  double x = 0;
  double space_before = 0;
  double space_after = 0;
};

struct TableBlock {
  Box header;
  std::vector<Box> rows;
  double space_before = 0;
  double space_after = 0;
};

struct SpaceBlock {
  double pt = 0;
};

struct BreakBlock {};

using Measured = std::variant<BoxBlock, TextBlock, TableBlock, SpaceBlock, BreakBlock>;

/// Measures blocks at the document's text width.
class Measurer {
 public:
  Measurer(const Document& doc, PangoContext* context, double left, double width,
           double page_height)
      : doc_(doc), context_(context), left_(left), width_(width), page_height_(page_height) {}

  core::Result<Measured> Measure(const Block& block, std::size_t index) {
    return std::visit([&](const auto& b) { return MeasureBlock(b, index); }, block);
  }

 private:
  TextStyle Style(double size, bool bold = false, bool italic = false,
                  Align align = Align::kLeft) const {
    TextStyle s;
    s.family = doc_.font_family;
    s.size_pt = size;
    s.bold = bold;
    s.italic = italic;
    s.align = align;
    return s;
  }

  double Body() const { return doc_.body_size_pt; }

  core::Result<Measured> MeasureBlock(const Heading& h, std::size_t index) {
    const int level = std::clamp(h.level, 1, 3);
    const Align align = h.align.value_or(level == 1 ? Align::kCenter : Align::kLeft);
    auto style = Style(level == 1 ? Body() + 1 : Body(), true, level == 3, align);
    BoxBlock b;
    b.box.Add(MakeText(context_, h.text, style, width_), left_, 0);
    b.space_before = level == 1 ? 6 : level == 2 ? 10 : 6;
    b.space_after = level == 1 ? 8 : level == 2 ? 6 : 4;
    b.keep_with_next = true;
    if (b.box.height > page_height_) return TooTall(index);
    return Measured(std::move(b));
  }

  core::Result<Measured> MeasureBlock(const Paragraph& p, std::size_t) {
    auto style = Style(p.size_pt > 0 ? p.size_pt : Body(), p.bold, p.italic, p.align);
    style.indent_pt = p.first_line_indent_mm * kPtPerMm;
    TextBlock t;
    t.text = MakeText(context_, p.text, style, width_);
    t.x = left_;
    t.space_after = 6;  // Decree 30: at least 6 pt between paragraphs
    return Measured(std::move(t));
  }

  core::Result<Measured> MeasureBlock(const Table& table, std::size_t index) {
    if (table.columns.empty()) return BadTable(index, "no columns");
    double total = 0;
    for (const auto& c : table.columns) {
      if (!(c.width > 0) || !std::isfinite(c.width)) return BadTable(index, "column width <= 0");
      total += c.width;
    }
    std::vector<double> xs, ws;
    double x = left_;
    for (const auto& c : table.columns) {
      xs.push_back(x);
      ws.push_back(width_ * c.width / total);
      x += ws.back();
    }
    const double size = table.size_pt > 0 ? table.size_pt : Body() - 1;

    // One row: its cells vertically centred, the grid around them.
    auto row = [&](const std::vector<std::string>& cells, bool header) {
      Box box;
      std::vector<std::shared_ptr<const Text>> texts;
      double inner = 0;
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const std::string_view cell = c < cells.size() ? std::string_view(cells[c]) : "";
        const Align align = header ? Align::kCenter : table.columns[c].align;
        texts.push_back(
            MakeText(context_, cell, Style(size, header, false, align), ws[c] - 2 * kCellPadX));
        inner = std::max(inner, texts.back()->height());
      }
      box.height = inner + 2 * kCellPadY;
      if (header) box.fills.push_back({left_, 0, width_, box.height, kHeaderFill});
      for (std::size_t c = 0; c < texts.size(); ++c) {
        const double y = (box.height - texts[c]->height()) / 2;
        const std::size_t n = texts[c]->lines.size();
        box.texts.push_back({texts[c], 0, n, xs[c] + kCellPadX, y, kBlack});
      }
      box.rules.push_back({left_, 0, left_ + width_, 0, kGrid});
      box.rules.push_back({left_, box.height, left_ + width_, box.height, kGrid});
      for (std::size_t c = 0; c <= xs.size(); ++c) {
        const double gx = c < xs.size() ? xs[c] : left_ + width_;
        box.rules.push_back({gx, 0, gx, box.height, kGrid});
      }
      return box;
    };

    TableBlock t;
    std::vector<std::string> headers;
    for (const auto& c : table.columns)
      headers.push_back(c.header);
    t.header = row(headers, true);
    for (const auto& r : table.rows) {
      if (r.size() > table.columns.size()) return BadTable(index, "row wider than the columns");
      t.rows.push_back(row(r, false));
      if (t.header.height + t.rows.back().height > page_height_) return TooTall(index);
    }
    t.space_before = 4;
    t.space_after = 8;
    return Measured(std::move(t));
  }

  core::Result<Measured> MeasureBlock(const VerticalSpace& s, std::size_t) {
    return Measured(SpaceBlock{std::max(0.0, s.mm) * kPtPerMm});
  }

  core::Result<Measured> MeasureBlock(const PageBreak&, std::size_t) {
    return Measured(BreakBlock{});
  }

  // Decree 30's layout: the issuing body in the left 40% of the width, the nation in the right
  // 60%; each centred in its column; the number and the place/date on one line below the rules.
  core::Result<Measured> MeasureBlock(const OfficialHeading& h, std::size_t index) {
    const double left_w = width_ * 0.4;
    const double right_x = left_ + left_w;
    const double right_w = width_ - left_w;
    BoxBlock b;
    Box& box = b.box;

    double y = 0;
    if (!h.authority.empty()) {
      auto t = MakeText(context_, h.authority, Style(Body() - 1, false, false, Align::kCenter),
                        left_w - 4);
      box.Add(t, left_ + 2, y);
      y += t->height();
    }
    double left_bottom = y;
    if (!h.organisation.empty()) {
      auto t = MakeText(context_, h.organisation, Style(Body() - 1, true, false, Align::kCenter),
                        left_w - 4);
      box.Add(t, left_ + 2, y);
      // A rule a third to a half as long as the name, centred under it.
      const double rule = t->width * 0.4;
      const double rule_y = y + t->height() + 3;
      const double cx = left_ + left_w / 2;
      box.rules.push_back({cx - rule / 2, rule_y, cx + rule / 2, rule_y, 0.6});
      left_bottom = rule_y;
    }

    double ry = 0;
    double right_bottom = 0;
    if (!h.nation.empty()) {
      auto t = MakeFittedLine(context_, h.nation, Style(Body() - 1, true, false, Align::kCenter),
                              right_w, Body() - 3);
      box.Add(t, right_x + (right_w - t->width) / 2, ry);
      ry += t->height();
      right_bottom = ry;
    }
    if (!h.motto.empty()) {
      auto t = MakeFittedLine(context_, h.motto, Style(Body(), true, false, Align::kCenter),
                              right_w, Body() - 3);
      const double x = right_x + (right_w - t->width) / 2;
      box.Add(t, x, ry);
      // Underlined over the motto's whole length.
      const double rule_y = ry + t->height() + 2;
      box.rules.push_back({x, rule_y, x + t->width, rule_y, 0.6});
      right_bottom = rule_y;
    }

    const double row_y = std::max(left_bottom, right_bottom) + 8;
    if (!h.number.empty()) {
      box.Add(MakeText(context_, h.number, Style(Body(), false, false, Align::kCenter), left_w - 4),
              left_ + 2, row_y);
    }
    if (!h.place_date.empty()) {
      box.Add(MakeText(context_, h.place_date, Style(Body(), false, true, Align::kCenter), right_w),
              right_x, row_y);
    }
    box.height = std::max(box.height, row_y);
    b.space_after = 14;
    b.keep_with_next = true;
    if (box.height > page_height_) return TooTall(index);
    return Measured(std::move(b));
  }

  core::Result<Measured> MeasureBlock(const Signature& s, std::size_t index) {
    const double left_w = width_ * 0.45;
    const double right_x = left_ + left_w;
    const double right_w = width_ - left_w;
    BoxBlock b;
    Box& box = b.box;
    if (!s.recipients.empty()) {
      auto label = MakeText(context_, "Nơi nhận:", Style(Body() - 1, true, true), left_w);
      box.Add(label, left_, 0);
      std::string list;
      for (const auto& r : s.recipients)
        list += (list.empty() ? "" : "\n") + r;
      box.Add(MakeText(context_, list, Style(Body() - 2), left_w), left_, label->height());
    }
    double y = 0;
    if (!s.title.empty()) {
      auto t = MakeText(context_, s.title, Style(Body(), true, false, Align::kCenter), right_w);
      box.Add(t, right_x, y);
      y += t->height();
    }
    y += std::max(0.0, s.signing_space_mm) * kPtPerMm;
    if (!s.name.empty()) {
      box.Add(MakeText(context_, s.name, Style(Body(), true, false, Align::kCenter), right_w),
              right_x, y);
    }
    box.height = std::max(box.height, y);
    b.space_before = 12;
    if (box.height > page_height_) return TooTall(index);
    return Measured(std::move(b));
  }

  const Document& doc_;
  PangoContext* context_;
  double left_;
  double width_;
  double page_height_;
};

/// Flows measured blocks down the pages.
class Paginator {
 public:
  Paginator(double page_w, double page_h, double top, double bottom)
      : page_w_(page_w), page_h_(page_h), top_(top), bottom_(bottom) {
    NewPage();
  }

  void Flow(const std::vector<Measured>& blocks) {
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      std::visit([&](const auto& b) { Place(b, blocks, i); }, blocks[i]);
    }
  }

  std::vector<Page> TakePages() { return std::move(pages_); }

 private:
  void NewPage() {
    pages_.emplace_back();
    pages_.back().width = page_w_;
    pages_.back().height = page_h_;
    y_ = top_;
    empty_ = true;
  }

  /// Goes to a new page unless `height` (after `space` unless at the top) fits on this one;
  /// then moves past the space.
  void Reserve(double space, double height) {
    if (!empty_ && y_ + space + height > bottom_) NewPage();
    if (!empty_) y_ += space;
  }

  void PlaceBox(const Box& box) {
    Page& page = pages_.back();
    for (auto t : box.texts) {
      t.y += y_;
      page.texts.push_back(std::move(t));
    }
    for (auto r : box.rules) {
      r.y1 += y_;
      r.y2 += y_;
      page.rules.push_back(r);
    }
    for (auto f : box.fills) {
      f.y += y_;
      page.fills.push_back(f);
    }
    y_ += box.height;
    empty_ = false;
  }

  /// What must fit below a heading for it to stay on this page: the start of the next block.
  static double Lead(const std::vector<Measured>& blocks, std::size_t i) {
    if (i >= blocks.size()) return 0;
    const Measured& m = blocks[i];
    if (const auto* s = std::get_if<SpaceBlock>(&m)) return s->pt + Lead(blocks, i + 1);
    if (const auto* b = std::get_if<BoxBlock>(&m)) return b->space_before + b->box.height;
    if (const auto* t = std::get_if<TextBlock>(&m)) {
      const auto& lines = t->text->lines;
      return t->space_before + lines[std::min<std::size_t>(lines.size(), 2) - 1].bottom;
    }
    if (const auto* t = std::get_if<TableBlock>(&m)) {
      return t->space_before + t->header.height + (t->rows.empty() ? 0 : t->rows[0].height);
    }
    return 0;
  }

  void Place(const BoxBlock& b, const std::vector<Measured>& blocks, std::size_t i) {
    const double lead = b.keep_with_next ? Lead(blocks, i + 1) : 0;
    // Keeping with the next block is given up when both would not fit on an empty page.
    const bool keep = b.box.height + lead <= bottom_ - top_;
    Reserve(b.space_before, b.box.height + (keep ? lead : 0));
    PlaceBox(b.box);
    y_ += b.space_after;
  }

  void Place(const TextBlock& t, const std::vector<Measured>&, std::size_t) {
    const auto& lines = t.text->lines;
    // Not one lonely first line at the foot of a page.
    Reserve(t.space_before, lines[std::min<std::size_t>(lines.size(), 2) - 1].bottom);
    std::size_t first = 0;
    while (first < lines.size()) {
      const double top = lines[first].top;
      std::size_t end = first;
      while (end < lines.size() && y_ + (lines[end].bottom - top) <= bottom_)
        ++end;
      if (end == first) {
        if (empty_) {
          end = first + 1;  // a line taller than the page: drawn anyway, overflowing
        } else {
          NewPage();
          continue;
        }
      }
      pages_.back().texts.push_back({t.text, first, end, t.x, y_, kBlack});
      y_ += lines[end - 1].bottom - top;
      empty_ = false;
      first = end;
      if (first < lines.size()) NewPage();
    }
    y_ += t.space_after;
  }

  void Place(const TableBlock& t, const std::vector<Measured>&, std::size_t) {
    Reserve(t.space_before, t.header.height + (t.rows.empty() ? 0 : t.rows[0].height));
    PlaceBox(t.header);
    for (const auto& row : t.rows) {
      if (y_ + row.height > bottom_) {
        NewPage();
        PlaceBox(t.header);
      }
      PlaceBox(row);
    }
    y_ += t.space_after;
  }

  void Place(const SpaceBlock& s, const std::vector<Measured>&, std::size_t) {
    if (!empty_) y_ = std::min(y_ + s.pt, bottom_);
  }

  void Place(const BreakBlock&, const std::vector<Measured>&, std::size_t) {
    if (!empty_) NewPage();
  }

  std::vector<Page> pages_;
  double page_w_, page_h_, top_, bottom_;
  double y_ = 0;
  bool empty_ = true;
};

core::Status CheckTexts(const Document& doc) {
  HOITHI_TRY(CheckText(doc.title, "title"));
  HOITHI_TRY(CheckText(doc.font_family, "font_family"));
  HOITHI_TRY(CheckText(doc.running_header, "running_header"));
  HOITHI_TRY(CheckText(doc.running_footer, "running_footer"));
  for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
    const Block& block = doc.blocks[i];
    std::vector<std::string_view> texts;
    if (const auto* h = std::get_if<Heading>(&block)) texts = {h->text};
    if (const auto* p = std::get_if<Paragraph>(&block)) texts = {p->text};
    if (const auto* t = std::get_if<Table>(&block)) {
      for (const auto& c : t->columns)
        texts.push_back(c.header);
      for (const auto& r : t->rows)
        texts.insert(texts.end(), r.begin(), r.end());
    }
    if (const auto* h = std::get_if<OfficialHeading>(&block)) {
      texts = {h->authority, h->organisation, h->number, h->nation, h->motto, h->place_date};
    }
    if (const auto* s = std::get_if<Signature>(&block)) {
      texts = {s->title, s->name};
      texts.insert(texts.end(), s->recipients.begin(), s->recipients.end());
    }
    for (const auto text : texts)
      HOITHI_TRY(CheckText(text, Field(i)));
  }
  return core::Ok();
}

}  // namespace

core::Result<std::vector<Page>> LayOutDocument(const Document& doc, PangoContext* context) {
  HOITHI_TRY(CheckTexts(doc));
  const bool portrait = doc.orientation == Orientation::kPortrait;
  const double page_w = portrait ? kA4ShortPt : kA4LongPt;
  const double page_h = portrait ? kA4LongPt : kA4ShortPt;
  const Margins& m = doc.margins;
  const double left = m.left_mm * kPtPerMm;
  const double top = m.top_mm * kPtPerMm;
  const double width = page_w - (m.left_mm + m.right_mm) * kPtPerMm;
  const double bottom = page_h - m.bottom_mm * kPtPerMm;
  if (m.left_mm < 0 || m.right_mm < 0 || m.top_mm < 0 || m.bottom_mm < 0 || width < 50 * kPtPerMm ||
      bottom - top < 50 * kPtPerMm || !(doc.body_size_pt >= 6) || doc.body_size_pt > 40) {
    return core::MakeError(core::ErrorKind::kValidation, "bad_page",
                           "Lề trang hoặc cỡ chữ của tài liệu không hợp lệ.", "margins");
  }

  Measurer measurer(doc, context, left, width, bottom - top);
  std::vector<Measured> blocks;
  for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
    auto measured = measurer.Measure(doc.blocks[i], i);
    if (!measured) return std::move(measured).error();
    blocks.push_back(std::move(*measured));
  }
  Paginator paginator(page_w, page_h, top, bottom);
  paginator.Flow(blocks);
  auto pages = paginator.TakePages();

  // Running header and footer in the margins, now that the number of pages is known.
  TextStyle small;
  small.family = doc.font_family;
  small.size_pt = std::max(8.0, doc.body_size_pt - 3);
  small.italic = true;
  std::shared_ptr<const Text> header, footer;
  if (!doc.running_header.empty()) {
    small.align = Align::kCenter;
    header = MakeText(context, doc.running_header, small, width);
  }
  if (!doc.running_footer.empty()) {
    small.align = Align::kLeft;
    footer = MakeText(context, doc.running_footer, small, width * 0.7);
  }
  const double gap = 4 * kPtPerMm;
  const int count = static_cast<int>(pages.size());
  for (int i = 0; i < count; ++i) {
    Page& page = pages[static_cast<std::size_t>(i)];
    if (header) page.Add(header, left, top - gap - header->height(), kMargin);
    if (footer) page.Add(footer, left, bottom + gap, kMargin);
    if (doc.page_numbers) {
      small.align = Align::kRight;
      small.italic = false;
      page.Add(MakeText(context, PageLabel(i + 1, count), small, width), left, bottom + gap,
               kMargin);
    }
  }
  return pages;
}

}  // namespace hoithi::documents::internal
