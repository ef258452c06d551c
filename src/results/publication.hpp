// Frozen results: a snapshot of the draft (its JSON form, from which the public pages are drawn)
// and the canonical export (a CSV file whose SHA-256 digest is announced with the results, so
// that anyone holding the file can check it is what was published). Stored in
// results_publications (migration 0018_results):
//   reviewed   -> published    an administrator publishes what was reviewed, unchanged since;
//   published  -> superseded   a later publication (with a reason) replaces it; it stays readable.
// A newer review replaces an unpublished one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contest/contest.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "results/draft.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "store/connection.hpp"

namespace hoithi::results {

enum class PublicationState { kReviewed, kPublished, kSuperseded };
std::string_view PublicationStateCode(PublicationState s);  // "reviewed", ...

struct Publication {
  std::int64_t id = 0;
  std::int64_t contest_id = 0;
  int version = 0;
  PublicationState state = PublicationState::kReviewed;
  std::string snapshot{};    // SnapshotJson of the draft
  std::string export_csv{};  // the canonical export, byte for byte
  std::string digest{};      // core::Sha256Hex(export_csv)
  core::TimePoint reviewed_at{};
  std::int64_t reviewed_by = 0;
  std::optional<core::TimePoint> published_at{};
  std::optional<core::TimePoint> superseded_at{};
  std::string reason{};  // why it replaced the one before
  /// The job rendering its certificates (certificates_job.hpp), from its publication on; none
  /// when it gives no prize.
  std::optional<std::int64_t> certificates_job{};
};

/// The draft as JSON (what the API answers and a snapshot stores) and back.
std::string SnapshotJson(const Draft& draft);
core::Result<Draft> ParseSnapshot(std::string_view json);

/// The canonical export: the unit ranking with its components, then every prize, then the total,
/// under a header that names the contest and the publication's version.
spreadsheet::Sheet ExportSheet(const Draft& draft, const contest::Contest& contest, int version);

// Storage. Reads take any connection; writes run inside the committer's transaction.

/// The contest's publications, newest version first (snapshot and export included).
core::Result<std::vector<Publication>> ListPublications(store::Connection& conn,
                                                        std::int64_t contest_id);
/// Stores a reviewed publication (its `version` the next one: NextVersion), dropping an
/// unpublished review before it.
core::Result<Publication> SaveReview(store::Connection& conn, Publication publication);
/// The version a new review takes among `existing`: one above every published or superseded one
/// (an unpublished review's number is reused).
int NextVersion(const std::vector<Publication>& existing);
/// Publishes the reviewed publication `id`, superseding the published one (if any) with `reason`,
/// with the job that renders its certificates.
core::Status MarkPublished(store::Connection& conn, std::int64_t contest_id, std::int64_t id,
                           std::int64_t by, core::TimePoint now, const std::string& reason,
                           std::optional<std::int64_t> certificates_job);

}  // namespace hoithi::results
