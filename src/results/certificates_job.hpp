// The winners' certificates of a publication as one PDF, rendered by a background job of the
// durable queue (enqueued when results are published) into the data directory, page by page with
// progress, so that no request renders a thousand pages and any instance serves the file after.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "jobs/worker.hpp"
#include "store/database.hpp"

namespace hoithi::results {

inline constexpr std::string_view kCertificatesJobKind = "results.certificates";

/// Where the certificates of version `version` of contest `contest_id` are, under `dir` (the
/// data directory's results/ folder): present only once complete and durable.
std::filesystem::path CertificatesPath(const std::filesystem::path& dir, std::int64_t contest_id,
                                       int version);

/// The job's payload for a publication.
std::string CertificatesPayload(std::int64_t contest_id, int version);

/// The handler: renders every certificate of the publication the payload names into
/// CertificatesPath (through a temporary file; the directory synced after the rename), reporting
/// each page as progress and stopping between pages when asked. Its result is
/// {"pages": n, "bytes": size}. A publication or contest that is gone fails the job.
core::Result<std::string> RenderCertificatesJob(store::Database& db,
                                                const std::filesystem::path& dir,
                                                jobs::JobContext& context);

}  // namespace hoithi::results
