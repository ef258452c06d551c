// The certificate page: landscape A4, a red and gold frame, the heading of Vietnamese
// administrative documents at the top, the title in red, the recipient's name large, the
// achievement centred, the signer at the bottom right. The middle block is centred in the space
// the top and bottom leave, and shrinks (down to 70%) when long texts would not fit.
#include <algorithm>
#include <cmath>

#include "core/text.hpp"
#include "documents/render.hpp"

namespace hoithi::documents::internal {

namespace {

constexpr Rgb kRed{0.72, 0.07, 0.07};
constexpr Rgb kDarkRed{0.50, 0.04, 0.04};
constexpr Rgb kGold{0.74, 0.57, 0.20};
constexpr Rgb kInk{0.10, 0.07, 0.07};

constexpr double kPageW = kA4LongPt;
constexpr double kPageH = kA4ShortPt;

void Source(cairo_t* cr, Rgb c) {
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

void StrokeRect(cairo_t* cr, double inset, double width, Rgb color) {
  Source(cr, color);
  cairo_set_line_width(cr, width);
  cairo_rectangle(cr, inset, inset, kPageW - 2 * inset, kPageH - 2 * inset);
  cairo_stroke(cr);
}

/// A diamond (a square on its point) centred at (x, y), `r` from centre to point.
void Diamond(cairo_t* cr, double x, double y, double r) {
  cairo_move_to(cr, x, y - r);
  cairo_line_to(cr, x + r, y);
  cairo_line_to(cr, x, y + r);
  cairo_line_to(cr, x - r, y);
  cairo_close_path(cr);
}

/// A row of diamonds from (x0, y) to (x1, y) or a column from (x, y0) to (x, y1), evenly spaced
/// so that both ends sit at the same distance from the corners.
void DiamondChain(cairo_t* cr, double x0, double y0, double x1, double y1, double pitch, double r) {
  const double length = std::hypot(x1 - x0, y1 - y0);
  const int n = std::max(1, static_cast<int>(std::floor(length / pitch)));
  const double step = length / n;
  const double dx = (x1 - x0) / length, dy = (y1 - y0) / length;
  for (int i = 0; i < n; ++i) {
    const double d = step * (i + 0.5);
    Diamond(cr, x0 + dx * d, y0 + dy * d, r);
  }
}

/// The frame: a heavy red outer line, a thin red line, a band of gold diamonds between two thin
/// gold lines, and a rosette in each corner of the band.
void DrawFrame(cairo_t* cr) {
  const double outer = 9 * kPtPerMm;
  StrokeRect(cr, outer, 3.2, kDarkRed);
  StrokeRect(cr, outer + 4.5, 0.8, kDarkRed);
  const double band_in = outer + 8;    // the band's outer edge
  const double band_out = outer + 20;  // its inner edge
  StrokeRect(cr, band_in, 0.6, kGold);
  StrokeRect(cr, band_out, 0.6, kGold);
  StrokeRect(cr, band_out + 3.5, 1.4, kDarkRed);

  const double mid = (band_in + band_out) / 2;
  const double r = (band_out - band_in) / 2 - 2.2;
  const double corner = band_out - band_in;
  Source(cr, kGold);
  DiamondChain(cr, band_in + corner, mid, kPageW - band_in - corner, mid, 2 * r + 3, r);
  DiamondChain(cr, band_in + corner, kPageH - mid, kPageW - band_in - corner, kPageH - mid,
               2 * r + 3, r);
  DiamondChain(cr, mid, band_in + corner, mid, kPageH - band_in - corner, 2 * r + 3, r);
  DiamondChain(cr, kPageW - mid, band_in + corner, kPageW - mid, kPageH - band_in - corner,
               2 * r + 3, r);
  cairo_fill(cr);

  // Corner rosettes: a red square in the band's corner, a gold flower of four petals on it.
  const double half = (band_out - band_in) / 2;
  for (const double cx : {mid, kPageW - mid}) {
    for (const double cy : {mid, kPageH - mid}) {
      Source(cr, kDarkRed);
      cairo_rectangle(cr, cx - half, cy - half, 2 * half, 2 * half);
      cairo_fill(cr);
      Source(cr, kGold);
      for (int k = 0; k < 4; ++k) {
        const double a = k * M_PI / 2;
        cairo_save(cr);
        cairo_translate(cr, cx + std::cos(a) * half * 0.42, cy + std::sin(a) * half * 0.42);
        cairo_rotate(cr, a);
        cairo_scale(cr, half * 0.5, half * 0.28);
        cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
        cairo_restore(cr);
        cairo_fill(cr);
      }
      Source(cr, kDarkRed);
      cairo_arc(cr, cx, cy, half * 0.18, 0, 2 * M_PI);
      cairo_fill(cr);
    }
  }
}

/// A short ornament under the title: a line, a diamond, a line.
void DrawTitleOrnament(cairo_t* cr, double cx, double y, double half_width) {
  Source(cr, kGold);
  cairo_set_line_width(cr, 1);
  cairo_move_to(cr, cx - half_width, y);
  cairo_line_to(cr, cx - 7, y);
  cairo_move_to(cr, cx + 7, y);
  cairo_line_to(cr, cx + half_width, y);
  cairo_stroke(cr);
  Source(cr, kRed);
  Diamond(cr, cx, y, 4);
  cairo_fill(cr);
  Source(cr, kGold);
  Diamond(cr, cx - half_width - 4, y, 2);
  Diamond(cr, cx + half_width + 4, y, 2);
  cairo_fill(cr);
}

core::Status CheckTexts(const Certificate& c) {
  const std::pair<std::string_view, const char*> texts[] = {{c.authority, "authority"},
                                                            {c.organisation, "organisation"},
                                                            {c.number, "number"},
                                                            {c.nation, "nation"},
                                                            {c.motto, "motto"},
                                                            {c.title, "title"},
                                                            {c.intro, "intro"},
                                                            {c.recipient, "recipient"},
                                                            {c.unit_label, "unit_label"},
                                                            {c.unit, "unit"},
                                                            {c.achievement, "achievement"},
                                                            {c.place_date, "place_date"},
                                                            {c.signer_title, "signer_title"},
                                                            {c.signer_name, "signer_name"},
                                                            {c.font_family, "font_family"}};
  for (const auto& [text, field] : texts)
    HOITHI_TRY(CheckText(text, field));
  return core::Ok();
}

}  // namespace

core::Result<Page> LayOutCertificate(const Certificate& c, PangoContext* context) {
  HOITHI_TRY(CheckTexts(c));
  Page page;
  page.width = kPageW;
  page.height = kPageH;
  page.drawings.push_back(DrawFrame);

  auto style = [&](double size, bool bold = false, bool italic = false,
                   Align align = Align::kCenter) {
    TextStyle s;
    s.family = c.font_family;
    s.size_pt = size;
    s.bold = bold;
    s.italic = italic;
    s.align = align;
    return s;
  };

  const double left = 28 * kPtPerMm;
  const double right = kPageW - 28 * kPtPerMm;
  const double width = right - left;
  const double top = 25 * kPtPerMm;
  const double bottom = kPageH - 23 * kPtPerMm;

  // The heading: the issuing body on the left, the nation and motto on the right.
  const double col_l = width * 0.42;
  const double col_r = width - col_l;
  double ly = top;
  if (!c.authority.empty()) {
    auto t = MakeText(context, c.authority, style(12.5), col_l);
    page.Add(t, left, ly, kInk);
    ly += t->height();
  }
  double heading_bottom = ly;
  if (!c.organisation.empty()) {
    auto t = MakeText(context, c.organisation, style(12.5, true), col_l);
    page.Add(t, left, ly, kInk);
    const double rule = t->width * 0.4;
    const double rule_y = ly + t->height() + 4;
    page.rules.push_back(
        {left + col_l / 2 - rule / 2, rule_y, left + col_l / 2 + rule / 2, rule_y, 0.7, kInk});
    heading_bottom = rule_y;
  }
  double ry = top;
  if (!c.nation.empty()) {
    auto t = MakeFittedLine(context, c.nation, style(12.5, true), col_r, 10);
    page.Add(t, left + col_l + (col_r - t->width) / 2, ry, kInk);
    ry += t->height();
  }
  if (!c.motto.empty()) {
    auto t = MakeFittedLine(context, c.motto, style(13.5, true), col_r, 10);
    const double x = left + col_l + (col_r - t->width) / 2;
    page.Add(t, x, ry, kInk);
    ry += t->height() + 2.5;
    page.rules.push_back({x, ry, x + t->width, ry, 0.7, kInk});
  }
  heading_bottom = std::max(heading_bottom, ry);

  // The signature at the bottom right, the place and date above it; the number at the left.
  const double sig_w = width * 0.46;
  const double sig_x = right - sig_w;
  std::vector<std::pair<std::shared_ptr<const Text>, Rgb>> sig;
  if (!c.place_date.empty())
    sig.push_back({MakeText(context, c.place_date, style(14, false, true), sig_w), kInk});
  std::shared_ptr<const Text> signer_title, signer_name;
  if (!c.signer_title.empty())
    signer_title = MakeText(context, c.signer_title, style(14, true), sig_w);
  if (!c.signer_name.empty())
    signer_name = MakeText(context, c.signer_name, style(15, true), sig_w);
  const double signing_space = 24 * kPtPerMm;
  double sig_height = (sig.empty() ? 0 : sig[0].first->height() + 2) +
                      (signer_title ? signer_title->height() : 0) + signing_space +
                      (signer_name ? signer_name->height() : 0);
  double sy = bottom - sig_height;
  const double sig_top = sy;
  if (!sig.empty()) {
    page.Add(sig[0].first, sig_x, sy, kInk);
    sy += sig[0].first->height() + 2;
  }
  if (signer_title) {
    page.Add(signer_title, sig_x, sy, kInk);
    sy += signer_title->height();
  }
  sy += signing_space;
  if (signer_name) page.Add(signer_name, sig_x, sy, kInk);
  if (!c.number.empty()) {
    auto t = MakeText(context, c.number, style(12.5, false, false, Align::kLeft), width - sig_w);
    page.Add(t, left + 6, sig_top, kInk);
  }

  // The middle: title, ornament, intro, name, unit, achievement; centred between the heading
  // and the place/date, shrunk until it fits.
  const double space_top = heading_bottom + 14;
  const double space_bottom = sig_top - 8;
  struct Line {
    std::shared_ptr<const Text> text;
    double box_width;  // the width it was laid out in, centred on the page
    double gap_before;
    Rgb color;
  };
  std::vector<Line> middle;
  double middle_height = 0;
  double ornament = 0;                     // the height the ornament under the title takes
  for (int step = 0; step <= 6; ++step) {  // 100% down to 70%
    const double scale = 1 - 0.05 * step;
    middle.clear();
    const double mid_w = width * 0.84;
    auto title = style(40 * scale, true);
    title.letter_spacing_pt = 2.5 * scale;
    middle.push_back({MakeText(context, c.title, title, width), width, 0, kRed});
    ornament = 16 * scale;
    if (!c.intro.empty()) {
      middle.push_back({MakeText(context, c.intro, style(17 * scale, false, true), mid_w), mid_w,
                        16 * scale, kInk});
    }
    if (!c.recipient.empty()) {
      middle.push_back({MakeText(context, c.recipient, style(34 * scale, true, true), mid_w), mid_w,
                        (c.intro.empty() ? 18 : 6) * scale, kDarkRed});
    }
    if (!c.unit.empty()) {
      auto s = style(18 * scale);
      const std::string label = core::ToNfc(c.unit_label);
      s.bold_from = label.empty() ? 0 : label.size() + 1;
      const std::string text = label.empty() ? c.unit : label + " " + c.unit;
      middle.push_back({MakeText(context, text, s, mid_w), mid_w, 10 * scale, kInk});
    }
    if (!c.achievement.empty()) {
      auto s = style(18 * scale);
      s.line_spacing = 1.15;
      const double w = mid_w * 0.92;
      middle.push_back({MakeText(context, c.achievement, s, w), w, 14 * scale, kInk});
    }
    middle_height = ornament;
    for (const auto& l : middle)
      middle_height += l.gap_before + l.text->height();
    if (middle_height <= space_bottom - space_top) break;
  }
  if (middle_height > space_bottom - space_top) {
    return core::MakeError(core::ErrorKind::kValidation, "block_too_tall",
                           "Nội dung giấy chứng nhận quá dài, không vừa một trang.", "achievement");
  }
  double y = space_top + (space_bottom - space_top - middle_height) / 2;
  for (std::size_t i = 0; i < middle.size(); ++i) {
    const Line& l = middle[i];
    y += l.gap_before;
    page.Add(l.text, left + (width - l.box_width) / 2, y, l.color);
    y += l.text->height();
    if (i == 0) {  // the ornament under the title
      const double oy = y + ornament / 2;
      const double half = std::min(width * 0.2, l.text->width * 0.45);
      page.drawings.push_back(
          [cx = left + width / 2, oy, half](cairo_t* cr) { DrawTitleOrnament(cr, cx, oy, half); });
      y += ornament;
    }
  }
  return page;
}

}  // namespace hoithi::documents::internal
