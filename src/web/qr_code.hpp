// QR codes of the contest's address for posters and units' portals (libqrencode), as SVG (sharp
// at any size, for print) and PNG (for places that take only bitmaps).
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace hoithi::web {

/// The QR code of `text` (error correction level M, a quiet zone of four modules) as an SVG
/// document. kValidation when the text is too long for a QR code.
core::Result<std::string> QrSvg(std::string_view text);

/// The same as a PNG image, `scale` pixels per module (1–40), black on white.
core::Result<std::string> QrPng(std::string_view text, int scale = 8);

}  // namespace hoithi::web
