// PDF output of documents/: a PdfWriter appends documents and certificates as pages of one PDF
// (cairo + pango behind a pimpl) held in memory or written to a file, with the fonts embedded
// as subsets. The free functions below are the one-document shortcuts.
//
// Threads: a PdfWriter is used only by the thread that made it; different writers may render at
// the same time on different threads. fontconfig is initialised once per process (the first
// CheckFontFamily; its calls are thread-safe), cairo guards its own caches, and each rendering
// thread has its own pango font map (made with its first PDF, released when the thread ends),
// so a job thread renders without sharing pango state with any other thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "documents/document.hpp"

namespace hoithi::documents {

class PdfWriter {
 public:
  /// A PDF built in memory; Finish() returns its bytes.
  static core::Result<PdfWriter> ToMemory(const PdfInfo& info = {});
  /// A PDF written to `path`: through "<path>.tmp", renamed over `path` by Finish(), so the file
  /// at `path` is either absent or complete. Fails when the temporary file cannot be created.
  static core::Result<PdfWriter> ToFile(const std::string& path, const PdfInfo& info = {});

  PdfWriter(PdfWriter&&) noexcept;
  PdfWriter& operator=(PdfWriter&&) noexcept;
  ~PdfWriter();  // without Finish(): nothing is left at the path, the temporary file is removed

  /// Appends every page of the document, or none of them when it fails: texts that are not
  /// UTF-8 (validation, "invalid_text"), a table row or block taller than a page
  /// ("block_too_tall"), a table without columns ("bad_table"), a missing font family
  /// (CheckFontFamily's errors). A failed Add leaves the writer usable.
  core::Status Add(const Document& document);
  /// Appends the certificate as one landscape page; fails as Add(Document) does.
  core::Status Add(const Certificate& certificate);

  /// Pages added so far.
  int page_count() const;

  /// Completes the PDF. In memory: its bytes. To a file: "" once the file is complete at its
  /// path. Fails with "no_pages" when nothing was added, "disk_full" (kInsufficientStorage) or
  /// "pdf_write_failed" when the bytes could not be written. The writer is spent afterwards.
  core::Result<std::string> Finish();

 private:
  struct Impl;
  explicit PdfWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The document alone as a PDF in memory; its title is the PDF's title.
core::Result<std::string> RenderPdf(const Document& document);
/// The certificate alone as a PDF in memory.
core::Result<std::string> RenderPdf(const Certificate& certificate);
/// Every certificate, one page each, in one PDF in memory (bookmarked by recipient).
core::Result<std::string> RenderCertificates(const std::vector<Certificate>& certificates,
                                             const PdfInfo& info);

/// Ok when fontconfig knows the family (exact name, case-insensitive) and each of its faces
/// covers every Vietnamese letter; "font_missing" or "font_lacks_vietnamese" (kInternal: the
/// server lacks a package) otherwise. The answer for a family is computed once per process.
core::Status CheckFontFamily(std::string_view family);

inline constexpr std::string_view kPdfContentType = "application/pdf";

}  // namespace hoithi::documents
