// Private to documents/ (included only by its .cpp files): the pango and cairo pieces they share.
// Laying out produces Pages of placed items, measured in points from the page's top-left
// corner; drawing them is a separate step, so every page break is known before a page is drawn
// (the "Trang 1/3" footer needs the count, and a failed layout draws nothing).
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "documents/document.hpp"

namespace hoithi::documents::internal {

inline constexpr double kPtPerMm = 72.0 / 25.4;
inline constexpr double kA4ShortPt = 210 * kPtPerMm;
inline constexpr double kA4LongPt = 297 * kPtPerMm;

struct Rgb {
  double r = 0, g = 0, b = 0;
};
inline constexpr Rgb kBlack{0, 0, 0};

struct TextStyle {
  std::string_view family;
  double size_pt = 13;
  bool bold = false;
  bool italic = false;
  Align align = Align::kLeft;
  double line_spacing = 0;  // a factor of the line height; 0: the font's own
  double indent_pt = 0;     // of the first line
  double letter_spacing_pt = 0;
  std::size_t bold_from = std::string::npos;  // bytes from this offset on are bold (NFC input)
};

/// One line of a laid out text, in points from the text's top-left corner.
struct LineBox {
  double x = 0;  // where the line starts (alignment moves it)
  double top = 0;
  double bottom = 0;
  double baseline = 0;
  double width = 0;
};

/// A text laid out by pango: the layout and where each of its lines sits.
struct Text {
  std::shared_ptr<PangoLayout> layout;
  std::vector<LineBox> lines;
  double width = 0;  // of the widest line
  double height() const { return lines.empty() ? 0 : lines.back().bottom; }
};

/// `text` (valid UTF-8; put in NFC here) in `style`, wrapped at `width_pt`, or one line per '\n'
/// when `width_pt` <= 0.
std::shared_ptr<const Text> MakeText(PangoContext* context, std::string_view text,
                                     const TextStyle& style, double width_pt);

/// Like MakeText without wrapping, in the largest size down to `min_size_pt` that fits
/// `width_pt` (the smallest when none does): a line that must not wrap, as the nation's name.
std::shared_ptr<const Text> MakeFittedLine(PangoContext* context, std::string_view text,
                                           TextStyle style, double width_pt, double min_size_pt);

/// Lines [first, end) of a text placed with the top of line `first` at (x, y).
struct PlacedText {
  std::shared_ptr<const Text> text;
  std::size_t first = 0;
  std::size_t end = 0;
  double x = 0;
  double y = 0;
  Rgb color = kBlack;
};

struct PlacedRule {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  double width = 0.6;
  Rgb color = kBlack;
};

struct PlacedFill {
  double x = 0, y = 0, w = 0, h = 0;
  Rgb color;
};

/// One page, drawn in this order: its drawings, fills, texts, rules.
struct Page {
  double width = kA4ShortPt;
  double height = kA4LongPt;
  std::vector<std::function<void(cairo_t*)>> drawings;  // free-form: the certificate's frame
  std::vector<PlacedFill> fills;
  std::vector<PlacedText> texts;
  std::vector<PlacedRule> rules;

  void Add(std::shared_ptr<const Text> text, double x, double y, Rgb color = kBlack) {
    const std::size_t n = text->lines.size();
    texts.push_back({std::move(text), 0, n, x, y, color});
  }
};

void DrawPage(cairo_t* cr, const Page& page);

/// Ok when `text` is UTF-8; otherwise "invalid_text" naming `what`.
core::Status CheckText(std::string_view text, std::string_view what);

/// The pages of a document (page_layout.cpp); nothing is drawn.
core::Result<std::vector<Page>> LayOutDocument(const Document& document, PangoContext* context);

/// The one page of a certificate (certificate.cpp); nothing is drawn.
core::Result<Page> LayOutCertificate(const Certificate& certificate, PangoContext* context);

}  // namespace hoithi::documents::internal
