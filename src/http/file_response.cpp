// ServeFile: validators, conditional requests and byte ranges over an open file.
#include "http/file_response.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "core/text.hpp"

namespace hoithi::http {
namespace {

constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool ParseUint(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size();
}

/// Whether `etag` is in the comma-separated `list` ("*" matches any). Weak comparison ignores
/// W/ on both sides (If-None-Match); strong comparison never matches a weak tag (If-Match).
bool EtagListMatches(std::string_view list, std::string_view etag, bool strong) {
  list = Trim(list);
  if (list == "*") return true;
  while (!list.empty()) {
    const auto comma = list.find(',');
    auto item = Trim(list.substr(0, comma));
    const bool weak = item.starts_with("W/");
    if (weak) item.remove_prefix(2);
    if (item == etag && !(strong && weak)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

core::Error NotFound() {
  return core::MakeError(core::ErrorKind::kNotFound, "not_found",
                         "Không tìm thấy tệp được yêu cầu.");
}

/// The strong validator: any change of the file (a new upload, an edit in place) changes it.
std::string EntityTag(const struct stat& st) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const std::uint64_t v :
       {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
        static_cast<std::uint64_t>(st.st_size), static_cast<std::uint64_t>(st.st_mtim.tv_sec),
        static_cast<std::uint64_t>(st.st_mtim.tv_nsec)}) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 1099511628211ULL;
    }
  }
  return fmt::format("\"{:016x}\"", h);
}

bool IsAttrChar(unsigned char c) {
  // RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" /
  // "`" / "|" / "~"
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$&+-.^_`|~", c) != nullptr && c != '\0';
}

/// The length of the UTF-8 sequence that starts with `lead` (1 for anything unexpected).
std::size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

}  // namespace

std::string HttpDate(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday % 7], tm.tm_mday,
                     kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::optional<std::time_t> ParseHttpDate(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed positions. (The obsolete RFC 850 and asctime forms
  // that RFC 9110 also lets clients send are not seen from browsers; they are ignored, which
  // only costs a full answer instead of a 304.)
  text = Trim(text);
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  std::uint64_t day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (!ParseUint(text.substr(5, 2), day) || !ParseUint(text.substr(12, 4), year) ||
      !ParseUint(text.substr(17, 2), hour) || !ParseUint(text.substr(20, 2), minute) ||
      !ParseUint(text.substr(23, 2), second)) {
    return std::nullopt;
  }
  int month = -1;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (text.substr(8, 3) == kMonths[i]) month = static_cast<int>(i);
  }
  if (month < 0 || day < 1 || day > 31 || year < 1970 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = static_cast<int>(year) - 1900;
  tm.tm_mon = month;
  tm.tm_mday = static_cast<int>(day);
  tm.tm_hour = static_cast<int>(hour);
  tm.tm_min = static_cast<int>(minute);
  tm.tm_sec = static_cast<int>(second);
  return timegm(&tm);
}

RangeAsk ParseRange(std::string_view header, std::uint64_t size) {
  RangeAsk whole;
  header = Trim(header);
  if (!header.starts_with("bytes=")) return whole;  // absent, or a unit we do not know
  auto spec = Trim(header.substr(6));
  if (spec.find(',') != std::string_view::npos) return whole;  // several ranges: the whole file
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const auto first_text = Trim(spec.substr(0, dash));
  const auto last_text = Trim(spec.substr(dash + 1));
  RangeAsk ask;
  ask.kind = RangeAsk::Kind::kRange;
  std::uint64_t first = 0, last = 0;
  if (first_text.empty()) {
    // "-n": the last n bytes (all of them when the file is shorter).
    if (!ParseUint(last_text, last)) return whole;
    if (last == 0 || size == 0) return {RangeAsk::Kind::kUnsatisfiable, 0, 0};
    const auto n = std::min(last, size);
    ask.first = size - n;
    ask.length = n;
    return ask;
  }
  if (!ParseUint(first_text, first)) return whole;
  if (last_text.empty()) {
    last = size == 0 ? 0 : size - 1;  // "a-": to the end
  } else if (!ParseUint(last_text, last) || last < first) {
    return whole;  // malformed: ignored
  }
  if (first >= size) return {RangeAsk::Kind::kUnsatisfiable, 0, 0};
  last = std::min(last, size - 1);
  ask.first = first;
  ask.length = last - first + 1;
  return ask;
}

std::string AttachmentDisposition(std::string_view name) {
  // Only the last path segment, without control characters: a name never steers where the
  // browser saves, and never breaks the header.
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string clean;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7f) clean += ch;
  }
  clean = std::string(Trim(clean));
  const bool utf8 = core::IsValidUtf8(clean);
  if (utf8) clean = core::ToNfc(clean);
  if (clean.empty() || clean == "." || clean == "..") clean = "tep-tai-ve";

  std::string fallback;
  for (std::size_t i = 0; i < clean.size();) {
    const auto c = static_cast<unsigned char>(clean[i]);
    const std::size_t n = utf8 ? std::min(Utf8Length(c), clean.size() - i) : 1;
    if (c < 0x80) {
      fallback += (c == '"' || c == '\\' || c == '%') ? '_' : clean[i];
    } else {
      // A Vietnamese letter folds to its base letter ("ệ" -> "e", "Đ" -> "d").
      const std::string folded =
          utf8 ? core::FoldForSearch(std::string_view(clean).substr(i, n)) : std::string();
      const bool letter = folded.size() == 1 && std::isalnum(static_cast<unsigned char>(folded[0]));
      fallback += letter ? folded[0] : '_';
    }
    i += n;
  }

  std::string out = "attachment; filename=\"" + fallback + "\"";
  if (utf8) {
    out += "; filename*=UTF-8''";
    for (const char ch : clean) {
      const auto c = static_cast<unsigned char>(ch);
      if (IsAttrChar(c)) {
        out += ch;
      } else {
        out += fmt::format("%{:02X}", c);
      }
    }
  }
  return out;
}

core::Result<std::shared_ptr<const OpenFile>> OpenForReading(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return NotFound();
    auto e = core::MakeError(core::ErrorKind::kInternal, "file_unreadable",
                             "Không đọc được tệp. Vui lòng thử lại sau.");
    e.detail = "open " + path + ": " + std::strerror(errno);
    return e;
  }
  return std::shared_ptr<const OpenFile>(std::make_shared<OpenFile>(fd));
}

core::Result<Response> ServeFile(const Request& request, const std::string& path,
                                 const FileOptions& options) {
  auto file = OpenForReading(path);
  if (!file) return std::move(file).error();
  return ServeFile(request, std::move(*file), options);
}

core::Result<Response> ServeFile(const Request& request, std::shared_ptr<const OpenFile> file,
                                 const FileOptions& options) {
  struct stat st {};
  if (::fstat(file->fd(), &st) != 0) {
    auto e = core::MakeError(core::ErrorKind::kInternal, "file_unreadable",
                             "Không đọc được tệp. Vui lòng thử lại sau.");
    e.detail = std::string("fstat: ") + std::strerror(errno);
    return e;
  }
  if (!S_ISREG(st.st_mode)) return NotFound();
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const std::string etag = EntityTag(st);
  const std::string last_modified = HttpDate(st.st_mtim.tv_sec);

  Response r;
  r.With("ETag", etag);
  r.With("Last-Modified", last_modified);
  r.With("Cache-Control", options.cache_control);
  r.With("Accept-Ranges", "bytes");

  // RFC 9110 13.2.2: preconditions in this order.
  const auto if_match = request.Header("if-match");
  if (!if_match.empty()) {
    if (!EtagListMatches(if_match, etag, /*strong=*/true)) {
      r.status = 412;
      return r;
    }
  } else if (const auto since = ParseHttpDate(request.Header("if-unmodified-since"));
             since && st.st_mtim.tv_sec > *since) {
    r.status = 412;
    return r;
  }
  const bool get_or_head = request.method == Method::kGet || request.method == Method::kHead;
  const auto if_none_match = request.Header("if-none-match");
  if (!if_none_match.empty()) {
    if (EtagListMatches(if_none_match, etag, /*strong=*/false)) {
      r.status = get_or_head ? 304 : 412;
      return r;
    }
  } else if (const auto since = ParseHttpDate(request.Header("if-modified-since"));
             since && get_or_head && st.st_mtim.tv_sec <= *since) {
    r.status = 304;
    return r;
  }

  r.content_type = options.content_type;
  if (!options.download_name.empty()) {
    r.With("Content-Disposition", AttachmentDisposition(options.download_name));
  }

  // A Range only on GET; If-Range names the version the client has the rest of: when it is not
  // this one, the whole file (a strong ETag, or exactly our Last-Modified).
  RangeAsk ask;
  if (request.method == Method::kGet) {
    const auto range = request.Header("range");
    if (!range.empty()) {
      const auto if_range = Trim(request.Header("if-range"));
      const bool current =
          if_range.empty() || (if_range.starts_with("\"") && if_range == etag) ||
          (!if_range.starts_with("W/") && !if_range.starts_with("\"") && if_range == last_modified);
      if (current) ask = ParseRange(range, size);
    }
  }
  switch (ask.kind) {
    case RangeAsk::Kind::kUnsatisfiable:
      r.status = 416;
      r.content_type = "text/plain; charset=utf-8";
      r.body = "Khoảng dữ liệu yêu cầu nằm ngoài tệp.";
      r.With("Content-Range", fmt::format("bytes */{}", size));
      return r;
    case RangeAsk::Kind::kRange:
      r.status = 206;
      r.With("Content-Range",
             fmt::format("bytes {}-{}/{}", ask.first, ask.first + ask.length - 1, size));
      r.file = FileBody{std::move(file), ask.first, ask.length};
      return r;
    case RangeAsk::Kind::kWhole:
      break;
  }
  r.status = 200;
  r.file = FileBody{std::move(file), 0, size};
  return r;
}

}  // namespace hoithi::http
