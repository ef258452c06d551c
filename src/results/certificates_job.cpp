// The certificates job: reads the frozen publication, renders its certificates one page at a
// time into a temporary file beside the final one, and makes the file durable under its name.
#include "results/certificates_job.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>

#include "contest/contest.hpp"
#include "documents/pdf_writer.hpp"
#include "results/exports.hpp"
#include "results/publication.hpp"

namespace hoithi::results {
namespace {

using core::ErrorKind;

core::Error Failed(std::string code, std::string message, std::string detail = {}) {
  auto e = core::MakeError(ErrorKind::kInternal, std::move(code), std::move(message));
  e.detail = std::move(detail);
  return e;
}

/// The rename of the finished file reaches the disk only with its directory.
core::Status SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool synced = fd >= 0 && ::fsync(fd) == 0;
  const int err = errno;
  if (fd >= 0) ::close(fd);
  if (!synced) {
    return Failed("certificates_write_failed", "Không ghi được tệp giấy chứng nhận.",
                  "fsync " + dir.string() + ": " + std::strerror(err));
  }
  return core::Ok();
}

}  // namespace

std::filesystem::path CertificatesPath(const std::filesystem::path& dir, std::int64_t contest_id,
                                       int version) {
  return dir / std::to_string(contest_id) / fmt::format("giay-chung-nhan-lan-{}.pdf", version);
}

std::string CertificatesPayload(std::int64_t contest_id, int version) {
  return nlohmann::json{{"contest_id", contest_id}, {"version", version}}.dump();
}

core::Result<std::string> RenderCertificatesJob(store::Database& db,
                                                const std::filesystem::path& dir,
                                                jobs::JobContext& context) {
  const auto payload = nlohmann::json::parse(context.job.payload, nullptr, false);
  if (!payload.is_object() || !payload.value("contest_id", nlohmann::json()).is_number_integer() ||
      !payload.value("version", nlohmann::json()).is_number_integer()) {
    return Failed("bad_payload", "Yêu cầu tạo giấy chứng nhận không hợp lệ.", context.job.payload);
  }
  const auto contest_id = payload["contest_id"].get<std::int64_t>();
  const auto version = payload["version"].get<int>();

  std::optional<contest::Contest> contest;
  std::optional<Publication> publication;
  {
    auto lease = db.Read();
    auto found = contest::FindContestById(*lease, contest_id);
    if (!found) return std::move(found).error();
    contest = std::move(*found);
    auto all = ListPublications(*lease, contest_id);
    if (!all) return std::move(all).error();
    const auto it = std::find_if(all->begin(), all->end(), [&](const Publication& p) {
      return p.version == version && p.state != PublicationState::kReviewed;
    });
    if (it != all->end()) publication = std::move(*it);
  }
  if (!contest || !publication) {
    return Failed("publication_not_found", "Không còn kết quả đã công bố để cấp giấy chứng nhận.",
                  context.job.payload);
  }
  auto draft = ParseSnapshot(publication->snapshot);
  if (!draft) return std::move(draft).error();
  const auto certificates = Certificates(*draft, *contest, *publication);
  if (certificates.empty()) {
    return Failed("no_certificates", "Kết quả không có giải nào để cấp giấy chứng nhận.");
  }

  const auto path = CertificatesPath(dir, contest_id, version);
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    return Failed("certificates_write_failed", "Không ghi được tệp giấy chứng nhận.",
                  path.parent_path().string() + ": " + ec.message());
  }
  auto writer = documents::PdfWriter::ToFile(path.string(), CertificatesInfo(*contest));
  if (!writer) return std::move(writer).error();
  const int total = static_cast<int>(certificates.size());
  for (int i = 0; i < total; ++i) {
    // Stopping between pages leaves nothing at the path (the writer drops its temporary file).
    if (context.stop_requested()) {
      return Failed("stopped", "Việc tạo giấy chứng nhận đã dừng.");
    }
    HOITHI_TRY(writer->Add(certificates[static_cast<std::size_t>(i)]));
    if (context.progress) context.progress(i + 1, total);
  }
  auto finished = writer->Finish();
  if (!finished) return std::move(finished).error();
  HOITHI_TRY(SyncDirectory(path.parent_path()));
  const auto bytes = std::filesystem::file_size(path, ec);
  return nlohmann::json{{"pages", total}, {"bytes", ec ? 0 : bytes}}.dump();
}

}  // namespace hoithi::results
