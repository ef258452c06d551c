// QR codes: libqrencode for the modules; the SVG written as path segments, the PNG encoded here
// (one IDAT of zlib-compressed rows; CRC-32 from zlib) since no image library is linked for it.
#include "web/qr_code.hpp"

#include <qrencode.h>
#include <zlib.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace hoithi::web {
namespace {

constexpr int kQuiet = 4;  // modules of white around the code, as the standard asks

struct Modules {
  int width = 0;
  std::vector<bool> dark;  // width * width, row by row
  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * width + x)]; }
};

core::Result<Modules> Encode(std::string_view text) {
  const std::string owned(text);
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeString(owned.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!code) {
    return core::MakeError(core::ErrorKind::kValidation, "qr_too_long",
                           "Địa chỉ quá dài để tạo mã QR.");
  }
  Modules m;
  m.width = code->width;
  m.dark.resize(static_cast<std::size_t>(m.width * m.width));
  for (int i = 0; i < m.width * m.width; ++i)
    m.dark[static_cast<std::size_t>(i)] = (code->data[i] & 1) != 0;
  return m;
}

void PutU32(std::string& out, std::uint32_t v) {
  out += static_cast<char>((v >> 24) & 0xff);
  out += static_cast<char>((v >> 16) & 0xff);
  out += static_cast<char>((v >> 8) & 0xff);
  out += static_cast<char>(v & 0xff);
}

void Chunk(std::string& out, const char* type, const std::string& data) {
  PutU32(out, static_cast<std::uint32_t>(data.size()));
  std::string body(type, 4);
  body += data;
  out += body;
  PutU32(out, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                                               static_cast<uInt>(body.size()))));
}

}  // namespace

core::Result<std::string> QrSvg(std::string_view text) {
  auto m = Encode(text);
  if (!m) return std::move(m).error();
  const int size = m->width + 2 * kQuiet;
  std::string path;
  for (int y = 0; y < m->width; ++y) {
    for (int x = 0; x < m->width;) {
      if (!m->at(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < m->width && m->at(x + run, y))
        ++run;
      path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  const auto s = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + s + " " + s +
         "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"Mã QR\">"
         "<rect width=\"" +
         s + "\" height=\"" + s + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path +
         "\"/></svg>\n";
}

core::Result<std::string> QrPng(std::string_view text, int scale) {
  auto m = Encode(text);
  if (!m) return std::move(m).error();
  scale = std::clamp(scale, 1, 40);
  const int side = (m->width + 2 * kQuiet) * scale;
  // Grey scale, 8 bits per pixel, each row led by filter type 0.
  std::string raw;
  raw.reserve(static_cast<std::size_t>((side + 1) * side));
  for (int py = 0; py < side; ++py) {
    raw += '\0';
    const int y = py / scale - kQuiet;
    for (int px = 0; px < side; ++px) {
      const int x = px / scale - kQuiet;
      const bool dark = x >= 0 && y >= 0 && x < m->width && y < m->width && m->at(x, y);
      raw += static_cast<char>(dark ? 0 : 255);
    }
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                Z_BEST_COMPRESSION) != Z_OK) {
    return core::MakeError(core::ErrorKind::kInternal, "png_failed", "Không tạo được ảnh mã QR.");
  }
  packed.resize(packed_size);
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  PutU32(header, static_cast<std::uint32_t>(side));
  PutU32(header, static_cast<std::uint32_t>(side));
  header += '\x08';                // bit depth
  header += '\x00';                // grey scale
  header += std::string(3, '\0');  // compression, filter, interlace
  Chunk(png, "IHDR", header);
  Chunk(png, "IDAT", packed);
  Chunk(png, "IEND", "");
  return png;
}

}  // namespace hoithi::web
