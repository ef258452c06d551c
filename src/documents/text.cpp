// Text through pango: a string laid out in a style and width, the positions of its lines (so a
// paragraph can be drawn a few lines per page), and the drawing of laid out pages with cairo.
#include "core/text.hpp"

#include <cmath>
#include <iterator>

#include "documents/render.hpp"

namespace hoithi::documents::internal {

namespace {

double FromPango(int units) {
  return static_cast<double>(units) / PANGO_SCALE;
}

int ToPango(double pt) {
  return static_cast<int>(std::lround(pt * PANGO_SCALE));
}

void SetSource(cairo_t* cr, Rgb c) {
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

}  // namespace

std::shared_ptr<const Text> MakeText(PangoContext* context, std::string_view text,
                                     const TextStyle& style, double width_pt) {
  auto out = std::make_shared<Text>();
  out->layout.reset(pango_layout_new(context), [](PangoLayout* l) { g_object_unref(l); });
  PangoLayout* layout = out->layout.get();

  PangoFontDescription* font = pango_font_description_new();
  const std::string family(style.family);
  pango_font_description_set_family(font, family.c_str());
  // Absolute size: device units are points on a PDF surface, whatever pango's resolution is.
  pango_font_description_set_absolute_size(font, style.size_pt * PANGO_SCALE);
  pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(font, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);

  // NFC so that "ế" is one precomposed glyph of the font rather than e + two combining marks
  // that pango would have to position (and pdftotext would read back decomposed).
  const std::string nfc = core::ToNfc(text);
  pango_layout_set_text(layout, nfc.data(), static_cast<int>(nfc.size()));
  if (width_pt > 0) {
    pango_layout_set_width(layout, ToPango(width_pt));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  }
  switch (style.align) {
    case Align::kLeft:
      pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT);
      break;
    case Align::kCenter:
      pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
      break;
    case Align::kRight:
      pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
      break;
    case Align::kJustify:
      pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT);
      pango_layout_set_justify(layout, TRUE);
      break;
  }
  if (style.letter_spacing_pt != 0 || style.bold_from < nfc.size()) {
    PangoAttrList* attrs = pango_attr_list_new();
    if (style.letter_spacing_pt != 0) {
      pango_attr_list_insert(attrs,
                             pango_attr_letter_spacing_new(ToPango(style.letter_spacing_pt)));
    }
    if (style.bold_from < nfc.size()) {
      PangoAttribute* bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
      bold->start_index = static_cast<guint>(style.bold_from);
      bold->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
      pango_attr_list_insert(attrs, bold);
    }
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
  }
  if (style.indent_pt != 0) pango_layout_set_indent(layout, ToPango(style.indent_pt));
  if (style.line_spacing > 0) {
    pango_layout_set_line_spacing(layout, static_cast<float>(style.line_spacing));
  }

  PangoLayoutIter* it = pango_layout_get_iter(layout);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, nullptr, &logical);
    int y0 = 0, y1 = 0;
    pango_layout_iter_get_line_yrange(it, &y0, &y1);
    LineBox line;
    line.x = FromPango(logical.x);
    line.top = FromPango(y0);
    line.bottom = FromPango(y1);
    line.baseline = FromPango(pango_layout_iter_get_baseline(it));
    line.width = FromPango(logical.width);
    out->width = std::max(out->width, line.width);
    out->lines.push_back(line);
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  return out;
}

std::shared_ptr<const Text> MakeFittedLine(PangoContext* context, std::string_view text,
                                           TextStyle style, double width_pt, double min_size_pt) {
  auto line = MakeText(context, text, style, 0);
  while (line->width > width_pt && style.size_pt > min_size_pt) {
    style.size_pt = std::max(min_size_pt, style.size_pt - 0.5);
    line = MakeText(context, text, style, 0);
  }
  return line;
}

void DrawPage(cairo_t* cr, const Page& page) {
  for (const auto& drawing : page.drawings) {
    cairo_save(cr);
    drawing(cr);
    cairo_restore(cr);
  }
  for (const auto& f : page.fills) {
    SetSource(cr, f.color);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_fill(cr);
  }
  for (const auto& t : page.texts) {
    if (t.first >= t.end) continue;
    SetSource(cr, t.color);
    const double top = t.text->lines[t.first].top;
    GSList* node = pango_layout_get_lines_readonly(t.text->layout.get());
    for (std::size_t i = 0; node != nullptr && i < t.end; ++i, node = node->next) {
      if (i < t.first) continue;
      const LineBox& line = t.text->lines[i];
      cairo_move_to(cr, t.x + line.x, t.y + line.baseline - top);
      pango_cairo_show_layout_line(cr, static_cast<PangoLayoutLine*>(node->data));
    }
  }
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
  for (const auto& r : page.rules) {
    SetSource(cr, r.color);
    cairo_set_line_width(cr, r.width);
    cairo_move_to(cr, r.x1, r.y1);
    cairo_line_to(cr, r.x2, r.y2);
    cairo_stroke(cr);
  }
}

core::Status CheckText(std::string_view text, std::string_view what) {
  if (core::IsValidUtf8(text)) return core::Ok();
  return core::MakeError(core::ErrorKind::kValidation, "invalid_text",
                         "Nội dung tài liệu có ký tự không hợp lệ (không phải UTF-8).",
                         std::string(what));
}

}  // namespace hoithi::documents::internal
