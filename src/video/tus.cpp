// tus header parsing and formatting. Strict where the spec says MUST (digits only, unique keys,
// padded base64), lenient only where HTTP itself is (spaces around list elements, empty list
// elements, the case of a media type).
#include "video/tus.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "core/time_format.hpp"

namespace hoithi::video::tus {

namespace {

using core::ErrorKind;
using core::MakeError;

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

/// A non-negative decimal integer: digits only (no sign, space or "0x"), fits 63 bits.
std::optional<std::uint64_t> ParseCount(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v > INT64_MAX) return std::nullopt;
  return v;
}

/// Standard base64 with padding, the whole input; nullopt when it is anything else.
std::optional<std::string> DecodeBase64(std::string_view s) {
  if (s.empty()) return std::string();
  if (s.size() % 4 != 0) return std::nullopt;  // padding is required
  std::string out(s.size() / 4 * 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), s.data(),
                        s.size(), nullptr, &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != s.data() + s.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

/// "1.536 MB" (mebibytes, rounded up: a limit is never shown smaller than it is).
std::string Megabytes(std::uint64_t bytes) {
  const std::uint64_t mib = 1024 * 1024;
  return core::FormatThousands(static_cast<long long>((bytes + mib - 1) / mib)) + " MB";
}

core::Error MetadataError(std::string why) {
  return MakeError(ErrorKind::kBadRequest, "upload_metadata_invalid",
                   "Thông tin kèm theo tệp (Upload-Metadata) không hợp lệ: " + std::move(why),
                   "Upload-Metadata");
}

bool IsKeyChar(char c) {
  return c > ' ' && c < 0x7f && c != ',';
}

}  // namespace

core::Status CheckTusResumable(Header tus_resumable) {
  if (tus_resumable && TrimSpaces(*tus_resumable) == kVersion) return core::Ok();
  return MakeError(ErrorKind::kPreconditionFailed, "tus_version_unsupported",
                   fmt::format("{} phiên bản giao thức tải lên (Tus-Resumable); máy chủ dùng "
                               "tus {}.",
                               tus_resumable ? "Máy chủ không hỗ trợ" : "Yêu cầu thiếu", kVersion),
                   "Tus-Resumable");
}

core::Result<std::string> EffectiveMethod(std::string_view method, Header method_override) {
  if (method != "POST" || !method_override) return std::string(method);
  const auto wanted = TrimSpaces(*method_override);
  for (const std::string_view m : {"HEAD", "PATCH", "DELETE", "OPTIONS", "POST", "GET"}) {
    if (wanted == m) return std::string(m);
  }
  return MakeError(ErrorKind::kBadRequest, "method_override_invalid",
                   "Phương thức trong X-HTTP-Method-Override không hợp lệ.",
                   "X-HTTP-Method-Override");
}

core::Result<std::uint64_t> ParseUploadLength(Header upload_length, Header upload_defer_length,
                                              const Limits& limits) {
  if (upload_length && upload_defer_length) {
    return MakeError(ErrorKind::kBadRequest, "upload_length_ambiguous",
                     "Yêu cầu không được có cả Upload-Length và Upload-Defer-Length.",
                     "Upload-Length");
  }
  if (upload_defer_length) {
    return MakeError(ErrorKind::kBadRequest, "upload_defer_length_unsupported",
                     "Máy chủ không nhận tệp chưa biết trước kích thước (Upload-Defer-Length); "
                     "hãy gửi kích thước tệp trong Upload-Length.",
                     "Upload-Defer-Length");
  }
  if (!upload_length) {
    return MakeError(ErrorKind::kBadRequest, "upload_length_missing",
                     "Thiếu kích thước tệp tải lên (Upload-Length).", "Upload-Length");
  }
  const auto length = ParseCount(*upload_length);
  if (!length) {
    return MakeError(ErrorKind::kBadRequest, "upload_length_invalid",
                     "Kích thước tệp tải lên (Upload-Length) phải là một số nguyên không âm.",
                     "Upload-Length");
  }
  if (*length > limits.max_size) {
    return MakeError(ErrorKind::kPayloadTooLarge, "upload_too_large",
                     fmt::format("Tệp quá lớn ({}); dung lượng tối đa là {}.", Megabytes(*length),
                                 Megabytes(limits.max_size)),
                     "Upload-Length");
  }
  return *length;
}

core::Result<std::uint64_t> ParseUploadOffset(Header upload_offset) {
  if (!upload_offset) {
    return MakeError(ErrorKind::kBadRequest, "upload_offset_missing",
                     "Thiếu vị trí tải tiếp (Upload-Offset).", "Upload-Offset");
  }
  const auto offset = ParseCount(*upload_offset);
  if (!offset) {
    return MakeError(ErrorKind::kBadRequest, "upload_offset_invalid",
                     "Vị trí tải tiếp (Upload-Offset) phải là một số nguyên không âm.",
                     "Upload-Offset");
  }
  return *offset;
}

core::Status CheckOffsetContentType(Header content_type) {
  if (content_type) {
    auto type = *content_type;
    type = TrimSpaces(type.substr(0, type.find(';')));
    if (EqualsIgnoringCase(type, kOffsetContentType)) return core::Ok();
  }
  return MakeError(ErrorKind::kUnsupportedMediaType, "content_type_invalid",
                   fmt::format("Dữ liệu tải lên phải có Content-Type: {}.", kOffsetContentType),
                   "Content-Type");
}

core::Status CheckChunkFits(std::uint64_t offset, std::optional<std::uint64_t> content_length,
                            std::uint64_t upload_length) {
  if (offset > upload_length || (content_length && *content_length > upload_length - offset)) {
    return MakeError(ErrorKind::kPayloadTooLarge, "upload_chunk_too_large",
                     "Dữ liệu gửi lên vượt quá kích thước tệp đã khai báo (Upload-Length).",
                     "Content-Length");
  }
  return core::Ok();
}

std::optional<std::string> Metadata::Get(std::string_view key) const {
  for (const auto& [k, v] : pairs_) {
    if (k == key) return v;
  }
  return std::nullopt;
}

core::Result<Metadata> ParseUploadMetadata(Header upload_metadata, const Limits& limits) {
  Metadata out;
  if (!upload_metadata) return out;
  std::string_view rest = *upload_metadata;
  if (rest.size() > limits.max_metadata_bytes) {
    return MakeError(
        ErrorKind::kBadRequest, "upload_metadata_too_large",
        fmt::format("Thông tin kèm theo tệp (Upload-Metadata) quá dài: tối đa {} "
                    "byte.",
                    core::FormatThousands(static_cast<long long>(limits.max_metadata_bytes))),
        "Upload-Metadata");
  }
  while (true) {
    const auto comma = rest.find(',');
    const auto element = TrimSpaces(rest.substr(0, comma));
    if (!element.empty()) {
      const auto space = element.find(' ');
      const auto key = element.substr(0, space);
      const auto value =
          space == std::string_view::npos ? std::string_view() : element.substr(space + 1);
      if (!std::all_of(key.begin(), key.end(), IsKeyChar)) {
        return MetadataError("khóa chỉ được gồm chữ, số và dấu ASCII, không có khoảng trắng.");
      }
      if (out.Get(key)) {
        return MetadataError(fmt::format("khóa «{}» lặp lại.", key.substr(0, 40)));
      }
      auto decoded = DecodeBase64(value);
      if (!decoded) {
        return MetadataError(
            fmt::format("giá trị của khóa «{}» không phải là base64.", key.substr(0, 40)));
      }
      if (out.pairs_.size() == limits.max_metadata_pairs) {
        return MakeError(ErrorKind::kBadRequest, "upload_metadata_too_large",
                         fmt::format("Thông tin kèm theo tệp (Upload-Metadata) có quá nhiều "
                                     "mục: tối đa {}.",
                                     limits.max_metadata_pairs),
                         "Upload-Metadata");
      }
      out.pairs_.emplace_back(std::string(key), std::move(*decoded));
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

std::string FormatUploadMetadata(const Metadata& metadata) {
  std::string out;
  for (const auto& [key, value] : metadata.pairs()) {
    if (!out.empty()) out += ',';
    out += key;
    if (!value.empty()) out += ' ' + EncodeBase64(value);
  }
  return out;
}

core::Result<std::optional<Sha256>> ParseUploadChecksum(Header upload_checksum) {
  if (!upload_checksum) return std::optional<Sha256>();
  const auto value = TrimSpaces(*upload_checksum);
  const auto space = value.find(' ');
  const auto algorithm = value.substr(0, space);
  if (space == std::string_view::npos || algorithm.empty()) {
    return MakeError(ErrorKind::kBadRequest, "upload_checksum_invalid",
                     "Mã kiểm tra (Upload-Checksum) phải có dạng «sha256 <mã base64>».",
                     "Upload-Checksum");
  }
  if (algorithm != "sha256") {
    // The name is shown back only when it looks like one (lowercase ASCII, short).
    const bool plain =
        algorithm.size() <= 16 && std::all_of(algorithm.begin(), algorithm.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
    return MakeError(
        ErrorKind::kBadRequest, "checksum_algorithm_unsupported",
        fmt::format("Máy chủ không hỗ trợ thuật toán kiểm tra{}; hãy dùng {}.",
                    plain ? fmt::format(" «{}»", algorithm) : std::string(), kChecksumAlgorithms),
        "Upload-Checksum");
  }
  const auto digest = DecodeBase64(value.substr(space + 1));
  if (!digest || digest->size() != Sha256().size()) {
    return MakeError(ErrorKind::kBadRequest, "upload_checksum_invalid",
                     "Mã kiểm tra sha256 (Upload-Checksum) phải là 32 byte viết bằng base64.",
                     "Upload-Checksum");
  }
  Sha256 out;
  std::copy(digest->begin(), digest->end(), out.begin());
  return std::optional<Sha256>(out);
}

HeaderList OptionsHeaders(const Limits& limits) {
  return {
      {"Tus-Resumable", std::string(kVersion)},
      {"Tus-Version", std::string(kSupportedVersions)},
      {"Tus-Extension", std::string(kExtensions)},
      {"Tus-Max-Size", std::to_string(limits.max_size)},
      {"Tus-Checksum-Algorithm", std::string(kChecksumAlgorithms)},
  };
}

std::string FormatHttpDate(core::TimePoint t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - day));
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
                     kDays[std::chrono::weekday(day).c_encoding()],
                     static_cast<unsigned>(ymd.day()),
                     kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

}  // namespace hoithi::video::tus
