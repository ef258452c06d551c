// Answers a GET or HEAD with a file from disk, the way browsers and video players expect: a file
// body sent by sendfile (never read into memory), Content-Length, Accept-Ranges, a strong ETag
// and Last-Modified, conditional requests (304, 412), one byte range (206, or 416), If-Range,
// and Content-Disposition for downloads. Multi-range requests get the whole file (200): players
// never send them, and multipart/byteranges would be the only reason to copy a file in memory.
#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "http/message.hpp"

namespace hoithi::http {

struct FileOptions {
  std::string content_type;  // required: the caller knows what it stored ("video/mp4")
  /// When not empty, the browser saves the file under this name (UTF-8, any characters: it is
  /// made safe) instead of showing it: Content-Disposition: attachment.
  std::string download_name;
  /// The default keeps the file in the browser's cache but asks each time whether it changed
  /// (a 304 costs nothing); the file is private to whoever may read it.
  std::string cache_control = "private, no-cache";
};

/// Opens `path` for reading. kNotFound when it does not exist or is not a regular file.
core::Result<std::shared_ptr<const OpenFile>> OpenForReading(const std::string& path);

/// The answer to `request` (GET or HEAD; the handler checks access first) with `file`:
/// 200 with the whole file; 206 with one range (Range: bytes=a-b, a-, -n; If-Range honoured);
/// 416 with `Content-Range: bytes */size` when the range starts past the end; 304 when
/// If-None-Match or If-Modified-Since say the client's copy is current; 412 when If-Match or
/// If-Unmodified-Since fail. A Range header on HEAD, a malformed one or a list of ranges is
/// ignored (200). An error only when the file cannot be examined (fstat).
/// Opening and fstat are quick system calls; the body is sent later, by the network thread,
/// without blocking it on the socket.
core::Result<Response> ServeFile(const Request& request, std::shared_ptr<const OpenFile> file,
                                 const FileOptions& options);
/// The same for the file at `path` (kNotFound when missing).
core::Result<Response> ServeFile(const Request& request, const std::string& path,
                                 const FileOptions& options);

// The pieces, for tests and other callers.

/// What a Range header asks of a representation of `size` bytes.
struct RangeAsk {
  enum class Kind { kWhole, kRange, kUnsatisfiable };
  Kind kind = Kind::kWhole;  // kWhole: no Range, a malformed one, or several ranges
  std::uint64_t first = 0;   // for kRange: bytes [first, first + length)
  std::uint64_t length = 0;
};
RangeAsk ParseRange(std::string_view header, std::uint64_t size);

/// "attachment; filename=\"<ASCII fallback>\"; filename*=UTF-8''<percent-encoded name>"
/// (RFC 6266): path separators and control characters removed, diacritics folded in the
/// fallback ("Phóng sự.mp4" -> "Phong su.mp4").
std::string AttachmentDisposition(std::string_view name);

/// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), and back; nullopt when malformed.
std::string HttpDate(std::time_t t);
std::optional<std::time_t> ParseHttpDate(std::string_view text);

}  // namespace hoithi::http
