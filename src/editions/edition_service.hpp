// Editions of a contest as a whole: importing a contest file (a dry run that says what would
// change, or its application), exporting one, and copying last year's edition into a new one
// ("như kỳ trước": its rules, registration fields, prize table and units, with a new name and
// window). Each application is one committed write, audited.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "contest/current_contest_cache.hpp"
#include "core/clock.hpp"
#include "editions/definition.hpp"
#include "store/database.hpp"

namespace hoithi::editions {

/// What an import does (or, in a dry run, would do).
struct ImportReport {
  bool dry_run = true;
  bool creates_contest = false;  // no contest has this slug yet
  std::int64_t contest_id = 0;   // the contest written (0 in a dry run that creates)
  int prizes = 0;
  int rounds = 0;
  int units_added = 0;
  int units_updated = 0;
  /// Units of the contest that the file does not list: kept (accounts may belong to them).
  std::vector<std::string> units_not_in_file;
};

/// What a copy changes from the edition it starts from.
struct CopyRequest {
  std::string slug;
  std::string name;
  core::TimePoint opens_at;  // the whole schedule (and the rounds) moves by opens_at's shift
  core::TimePoint closes_at;
};

class EditionService {
 public:
  EditionService(store::Database& db, contest::CurrentContestCache& current,
                 const core::Clock& clock);

  /// Checks `definition` against the install (and, with `apply`, writes it: the contest with the
  /// file's slug is created or updated, its prizes and rounds replaced, its units created or
  /// updated by code).
  void Import(const audit::Actor& actor, Definition definition, bool apply,
              core::Callback<ImportReport> done);

  /// A new contest made from contest `from_id`'s edition. kValidation "slug_taken" when the slug
  /// is used.
  void Copy(const audit::Actor& actor, std::int64_t from_id, CopyRequest request,
            core::Callback<contest::Contest> done);

  /// The contest file of contest `contest_id`.
  core::Result<std::string> Export(std::int64_t contest_id);

 private:
  store::Database& db_;
  contest::CurrentContestCache& current_;
  const core::Clock& clock_;
};

}  // namespace hoithi::editions
