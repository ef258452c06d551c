// The contest's results as the organisers prepare them: the collective ranking of units
// (unit_ranking.hpp) and the prizes given down the three rankings (prizes.hpp), computed on demand
// from the quiz's standings, the judging scores and the units' headcounts, and what still stands
// in the way of publishing them; the committee's tie decisions; the review and publication of
// frozen results (publication.hpp). Reads other modules through their interfaces; writes the
// results rules only through contest::SettingsService.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "accounts/sessions.hpp"
#include "contest/contest.hpp"
#include "contest/settings_service.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "quiz/standings.hpp"
#include "results/draft.hpp"
#include "results/prizes.hpp"
#include "results/publication.hpp"
#include "store/database.hpp"

namespace hoithi::results {

class ResultsService {
 public:
  /// `documents_dir`: where the certificates job writes (certificates_job.hpp); `wake_worker`
  /// tells the job worker that a job was queued.
  ResultsService(store::Database& db, quiz::Standings& standings,
                 contest::SettingsService& settings, const core::Clock& clock,
                 std::filesystem::path documents_dir, std::function<void()> wake_worker);

  /// The results as they would stand now. The organisers and the secretary (kForbidden for
  /// anyone else: before publication nothing of it is public).
  core::Result<Draft> Compute(const accounts::SignedIn& actor, const contest::Contest& contest);

  /// The organisers set the weights and the per-unit video prize limit (kValidation
  /// "invalid_results_rules" naming the field); audited.
  void SaveRules(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                 const contest::Contest& contest, contest::ResultsRules rules,
                 core::Callback<contest::ResultsRules> done);

  /// The committee's order for a tie of the draft (the organisers; audited). `decision.order`
  /// lists exactly the ids of one tied group of its category (kValidation "order" otherwise), and
  /// the reason is 1–500 characters (kValidation "reason"). A later decision of the same group
  /// replaces it. `done` gets the draft recomputed with it.
  void DecideTie(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
                 const contest::Contest& contest, TieDecision decision, core::Callback<Draft> done);

  /// Freezes the draft as it stands, for publication (the organisers and the secretary;
  /// audited): its snapshot, its canonical export and that file's digest, as the next version.
  /// kConflict "results_blocked" while something stands in the way (each in the error's fields).
  void Review(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
              const contest::Contest& contest, core::Callback<Publication> done);
  /// Publishes the reviewed results (the organisers; audited): kConflict "not_reviewed" without
  /// a review, "draft_changed" when the draft no longer gives the reviewed file (its digest
  /// differs: review again), "results_blocked" as Review. Over published results it needs a
  /// reason (kValidation "reason") and keeps them, superseded. Publishing queues the job that
  /// renders the certificates, in the same transaction.
  void Publish(const accounts::SignedIn& actor, const accounts::ClientInfo& client,
               const contest::Contest& contest, std::string reason,
               core::Callback<Publication> done);
  /// The contest's publications, newest first: anyone sees the published and superseded ones;
  /// the organisers and the secretary (`viewer`) also the review waiting to be published.
  core::Result<std::vector<Publication>> Publications(const accounts::SignedIn* viewer,
                                                      const contest::Contest& contest);

  /// What a publication is handed out as.
  enum class Export {
    kCanonical,     // the CSV file its digest is computed on
    kParXlsx,       // the per-unit sheet for the PAR index (exports.hpp)
    kParCsv,        //   the same as CSV
    kAnnouncement,  // the results announcement, PDF
    kCertificates,  // every certificate, one PDF (`n` > 0: the n-th alone)
  };
  /// Where the file of every certificate of a publication stands.
  struct CertificatesProgress {
    enum class State { kNone, kPending, kReady, kFailed } state = State::kNone;
    int done = 0;       // pages rendered so far
    int total = 0;      // pages to render
    std::string error;  // kFailed: why, in Vietnamese
  };
  core::Result<CertificatesProgress> CertificatesOf(const Publication& p);
  struct File {
    std::string bytes;
    std::string_view content_type;
    std::string filename;
  };
  /// Version `version`'s file of `kind`, visible as Publications says (kNotFound otherwise, and
  /// for a certificate number beyond the prizes). A publication never changes, so each rendered
  /// PDF is kept (a few dozen at most) and served again without rendering. The file of every
  /// certificate is the job's: kConflict "certificates_pending" (with the progress) until it is
  /// written, kInternal "certificates_failed" when the job failed. A single certificate is one
  /// page, rendered on request.
  core::Result<File> ExportOf(const accounts::SignedIn* viewer, const contest::Contest& contest,
                              int version, Export kind, int n = 0);

 private:
  /// The draft when nothing stands in the way of freezing it: Compute's, or kConflict
  /// "results_blocked" with every blocker.
  core::Result<Draft> Unblocked(const accounts::SignedIn& actor, const contest::Contest& contest);
  /// The job's file of every certificate of `p`, or why it is not there (see ExportOf).
  core::Result<std::string> RenderedCertificates(const Publication& p);

  store::Database& db_;
  quiz::Standings& standings_;
  contest::SettingsService& settings_;
  const core::Clock& clock_;
  const std::filesystem::path documents_dir_;
  const std::function<void()> wake_worker_;
  std::mutex rendered_mu_;
  std::map<std::tuple<std::int64_t, int, Export, int>, std::shared_ptr<const std::string>>
      rendered_;  // PDFs of publications, by (contest, version, kind, n)
};

}  // namespace hoithi::results
