// The PDF surface behind PdfWriter (cairo's PDF backend writing through our stream callback into
// memory or a temporary file), its metadata and bookmarks, and the fontconfig check of a font
// family. Pages are laid out completely before the first of them is drawn, so a failed Add
// leaves the PDF as it was.
#include "documents/pdf_writer.hpp"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "core/text.hpp"
#include "documents/render.hpp"

namespace hoithi::documents {

namespace {

core::Error WriteError(std::string_view what, int err, cairo_status_t status) {
  core::Error e;
  if (err == ENOSPC || err == EDQUOT) {
    e = core::MakeError(core::ErrorKind::kInsufficientStorage, "disk_full",
                        "Máy chủ đã hết dung lượng lưu trữ nên không ghi được tệp PDF.");
  } else {
    e = core::MakeError(core::ErrorKind::kInternal, "pdf_write_failed",
                        "Không tạo được tệp PDF do lỗi của máy chủ.");
  }
  e.detail = std::string(what) + ": " + cairo_status_to_string(status) +
             (err != 0 ? std::string(": ") + std::strerror(err) : std::string());
  return e;
}

/// Every letter Vietnamese writes beyond ASCII: the precomposed vowels with their tones
/// (U+1EA0–U+1EF9 and the Latin-1 ones), ă â đ ê ô ơ ư and ĩ ũ, in both cases.
std::vector<FcChar32> VietnameseLetters() {
  std::vector<FcChar32> out;
  for (FcChar32 c = 0x1EA0; c <= 0x1EF9; ++c)
    out.push_back(c);
  const char32_t* extra = U"ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư";
  for (const char32_t* p = extra; *p != 0; ++p)
    out.push_back(static_cast<FcChar32>(*p));
  return out;
}

core::Status CheckFontFamilyUncached(const std::string& family) {
  static std::once_flag init;
  std::call_once(init, [] { FcInit(); });
  FcPattern* pattern = FcPatternCreate();
  FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
  FcObjectSet* objects = FcObjectSetBuild(FC_FAMILY, FC_STYLE, FC_CHARSET, nullptr);
  FcFontSet* fonts = FcFontList(nullptr, pattern, objects);
  FcObjectSetDestroy(objects);
  FcPatternDestroy(pattern);

  core::Status status;
  if (fonts == nullptr || fonts->nfont == 0) {
    status = core::MakeError(
        core::ErrorKind::kInternal, "font_missing",
        "Máy chủ chưa cài phông chữ \"" + family + "\" nên không tạo được tệp PDF.");
  } else {
    static const std::vector<FcChar32> letters = VietnameseLetters();
    for (int i = 0; i < fonts->nfont && status.ok(); ++i) {
      FcCharSet* charset = nullptr;
      if (FcPatternGetCharSet(fonts->fonts[i], FC_CHARSET, 0, &charset) != FcResultMatch) continue;
      for (const FcChar32 c : letters) {
        if (FcCharSetHasChar(charset, c)) continue;
        FcChar8* style = nullptr;
        FcPatternGetString(fonts->fonts[i], FC_STYLE, 0, &style);
        auto e = core::MakeError(core::ErrorKind::kInternal, "font_lacks_vietnamese",
                                 "Phông chữ \"" + family +
                                     "\" trên máy chủ thiếu chữ tiếng Việt nên không tạo được "
                                     "tệp PDF.");
        char hex[16];
        std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c));
        e.detail = std::string("style ") +
                   (style != nullptr ? reinterpret_cast<const char*>(style) : "?") + " lacks " +
                   hex;
        status = std::move(e);
        break;
      }
    }
  }
  if (fonts != nullptr) FcFontSetDestroy(fonts);
  return status;
}

/// Where cairo's PDF bytes go: `bytes` in memory, or `file`.
struct Sink {
  std::string bytes;
  std::FILE* file = nullptr;
  int write_errno = 0;
  bool discard = false;  // set when abandoning: cairo's final writes go nowhere
};

cairo_status_t WriteBytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* sink = static_cast<Sink*>(closure);
  if (sink->discard) return CAIRO_STATUS_SUCCESS;
  if (sink->file == nullptr) {
    sink->bytes.append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  }
  if (std::fwrite(data, 1, length, sink->file) != length) {
    sink->write_errno = errno;
    return CAIRO_STATUS_WRITE_ERROR;
  }
  return CAIRO_STATUS_SUCCESS;
}

/// This thread's font map. A pango font map is not thread-safe, so each rendering thread has
/// its own, made with its first PDF (fonts load then) and released when the thread ends. Not
/// pango's own per-thread default: ours is a thread_local object, so the main thread's is
/// released at exit instead of being reported lost by LeakSanitizer.
PangoFontMap* ThreadFontMap() {
  struct Holder {
    PangoFontMap* map = pango_cairo_font_map_new();
    ~Holder() { g_object_unref(map); }
  };
  thread_local Holder holder;
  return holder.map;
}

}  // namespace

core::Status CheckFontFamily(std::string_view family) {
  static std::mutex mutex;
  static std::map<std::string, core::Status, std::less<>> cache;
  {
    std::lock_guard lock(mutex);
    if (auto it = cache.find(family); it != cache.end()) return it->second;
  }
  auto status = CheckFontFamilyUncached(std::string(family));
  std::lock_guard lock(mutex);
  return cache.emplace(std::string(family), std::move(status)).first->second;
}

struct PdfWriter::Impl {
  Sink sink;  // in memory, or the temporary file beside `path`
  std::string path;
  std::string tmp_path;

  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  PangoContext* context = nullptr;  // on this thread's font map
  std::thread::id thread = std::this_thread::get_id();
  int pages = 0;
  bool finished = false;
  std::optional<core::Error> broken;  // a failed draw or write: every later call fails with it

  ~Impl() {
    sink.discard = true;
    if (context != nullptr) g_object_unref(context);
    if (cr != nullptr) cairo_destroy(cr);
    if (surface != nullptr) cairo_surface_destroy(surface);
    if (sink.file != nullptr) std::fclose(sink.file);
    if (!finished && !tmp_path.empty()) ::unlink(tmp_path.c_str());
  }

  core::Status Open(const PdfInfo& info) {
    HOITHI_TRY(internal::CheckText(info.title, "title"));
    HOITHI_TRY(internal::CheckText(info.author, "author"));
    HOITHI_TRY(internal::CheckText(info.subject, "subject"));
    surface = cairo_pdf_surface_create_for_stream(WriteBytes, &sink, internal::kA4ShortPt,
                                                  internal::kA4LongPt);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
      return WriteError("create surface", 0, cairo_surface_status(surface));
    }
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 15, 4)
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "hoithi");
    if (!info.title.empty()) {
      cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, info.title.c_str());
    }
    if (!info.author.empty()) {
      cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, info.author.c_str());
    }
    if (!info.subject.empty()) {
      cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, info.subject.c_str());
    }
#endif
    cr = cairo_create(surface);
    // The PDF surface's font options (no hinting of metrics) make the layout independent of
    // any screen resolution.
    context = pango_font_map_create_context(ThreadFontMap());
    pango_cairo_update_context(cr, context);
    return core::Ok();
  }

  core::Status Usable() const {
    assert(thread == std::this_thread::get_id() && "a PdfWriter stays on the thread that made it");
    if (broken) return *broken;
    if (finished) {
      return core::MakeError(core::ErrorKind::kInternal, "pdf_finished",
                             "Tệp PDF đã hoàn tất, không thêm trang được nữa.");
    }
    return core::Ok();
  }

  core::Status Check(std::string_view what) {
    cairo_status_t status = cairo_status(cr);
    if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
    if (status == CAIRO_STATUS_SUCCESS) return core::Ok();
    broken = WriteError(what, sink.write_errno, status);
    return *broken;
  }

  core::Status Emit(const std::vector<internal::Page>& new_pages, const std::string& bookmark) {
    const int first = pages + 1;
    for (const auto& page : new_pages) {
      cairo_pdf_surface_set_size(surface, page.width, page.height);
      internal::DrawPage(cr, page);
      cairo_show_page(cr);
      ++pages;
      HOITHI_TRY(Check("draw page"));
    }
    if (!bookmark.empty()) {
      const std::string link = "page=" + std::to_string(first);
      cairo_pdf_surface_add_outline(surface, CAIRO_PDF_OUTLINE_ROOT, bookmark.c_str(), link.c_str(),
                                    static_cast<cairo_pdf_outline_flags_t>(0));
    }
    return Check("bookmark");
  }
};

PdfWriter::PdfWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfWriter::PdfWriter(PdfWriter&&) noexcept = default;
PdfWriter& PdfWriter::operator=(PdfWriter&&) noexcept = default;
PdfWriter::~PdfWriter() = default;

core::Result<PdfWriter> PdfWriter::ToMemory(const PdfInfo& info) {
  auto impl = std::make_unique<Impl>();
  HOITHI_TRY(impl->Open(info));
  return PdfWriter(std::move(impl));
}

core::Result<PdfWriter> PdfWriter::ToFile(const std::string& path, const PdfInfo& info) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->tmp_path = path + ".tmp";
  impl->sink.file = std::fopen(impl->tmp_path.c_str(), "wb");
  if (impl->sink.file == nullptr) {
    const int err = errno;
    impl->tmp_path.clear();  // nothing of ours to remove
    auto e = WriteError("open " + path + ".tmp", err, CAIRO_STATUS_WRITE_ERROR);
    e.field = "path";
    return e;
  }
  HOITHI_TRY(impl->Open(info));
  return PdfWriter(std::move(impl));
}

core::Status PdfWriter::Add(const Document& document) {
  HOITHI_TRY(impl_->Usable());
  HOITHI_TRY(internal::CheckText(document.font_family, "font_family"));
  HOITHI_TRY(CheckFontFamily(document.font_family));
  auto pages = internal::LayOutDocument(document, impl_->context);
  if (!pages) return std::move(pages).error();
  return impl_->Emit(*pages, document.title);
}

core::Status PdfWriter::Add(const Certificate& certificate) {
  HOITHI_TRY(impl_->Usable());
  HOITHI_TRY(internal::CheckText(certificate.font_family, "font_family"));
  HOITHI_TRY(CheckFontFamily(certificate.font_family));
  auto page = internal::LayOutCertificate(certificate, impl_->context);
  if (!page) return std::move(page).error();
  std::vector<internal::Page> pages;
  pages.push_back(std::move(*page));
  return impl_->Emit(pages, core::ToNfc(certificate.recipient));
}

int PdfWriter::page_count() const {
  return impl_->pages;
}

core::Result<std::string> PdfWriter::Finish() {
  HOITHI_TRY(impl_->Usable());
  Impl& impl = *impl_;
  if (impl.pages == 0) {
    return core::MakeError(core::ErrorKind::kInternal, "no_pages", "Tệp PDF không có trang nào.");
  }
  g_object_unref(impl.context);
  impl.context = nullptr;
  cairo_destroy(impl.cr);
  impl.cr = nullptr;
  cairo_surface_finish(impl.surface);
  const cairo_status_t status = cairo_surface_status(impl.surface);
  cairo_surface_destroy(impl.surface);
  impl.surface = nullptr;
  if (status != CAIRO_STATUS_SUCCESS) {
    impl.broken = WriteError("finish", impl.sink.write_errno, status);
    return *impl.broken;
  }
  if (impl.sink.file != nullptr) {
    // Durable before it appears under its name: a job that reports the file done may crash.
    std::FILE* file = impl.sink.file;
    impl.sink.file = nullptr;
    const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
    const int err = errno;
    if (std::fclose(file) != 0 || !flushed) {
      impl.broken =
          WriteError("close " + impl.tmp_path, flushed ? errno : err, CAIRO_STATUS_WRITE_ERROR);
      return *impl.broken;
    }
    if (std::rename(impl.tmp_path.c_str(), impl.path.c_str()) != 0) {
      impl.broken = WriteError("rename to " + impl.path, errno, CAIRO_STATUS_WRITE_ERROR);
      return *impl.broken;
    }
    impl.finished = true;
    return std::string();
  }
  impl.finished = true;
  return std::move(impl.sink.bytes);
}

core::Result<std::string> RenderPdf(const Document& document) {
  auto writer = PdfWriter::ToMemory({.title = document.title, .author = {}, .subject = {}});
  if (!writer) return std::move(writer).error();
  HOITHI_TRY(writer->Add(document));
  return writer->Finish();
}

core::Result<std::string> RenderPdf(const Certificate& certificate) {
  auto writer = PdfWriter::ToMemory({.title = certificate.title + " - " + certificate.recipient,
                                     .author = certificate.organisation,
                                     .subject = {}});
  if (!writer) return std::move(writer).error();
  HOITHI_TRY(writer->Add(certificate));
  return writer->Finish();
}

core::Result<std::string> RenderCertificates(const std::vector<Certificate>& certificates,
                                             const PdfInfo& info) {
  auto writer = PdfWriter::ToMemory(info);
  if (!writer) return std::move(writer).error();
  for (const auto& c : certificates)
    HOITHI_TRY(writer->Add(c));
  return writer->Finish();
}

}  // namespace hoithi::documents

#if defined(__SANITIZE_ADDRESS__)
/// fontconfig 2.14 loses 288 bytes while parsing its configuration, once per process (under
/// FcInitLoadConfigAndFonts, called by the FcInit above); LeakSanitizer would fail every
/// sanitized binary that renders a PDF. fontconfig has no frame pointers, so the fast unwinder
/// stops at its allocating frame and only its library's name can be matched: leaks allocated
/// inside fontconfig are ignored, nothing else.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\n";
}
#endif
