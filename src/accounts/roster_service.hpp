// The roster import as people drive it: upload (a draft job holding the checked rows and the
// preview), confirm (queued for the worker; refused while bad rows remain unless the person
// chooses to skip them), cancel, and afterwards the initial passwords, shown and exported until
// the person says they are saved. Only the job's creator, or an organiser of its contest, sees it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "accounts/auth_service.hpp"
#include "accounts/roster.hpp"
#include "jobs/queue.hpp"
#include "units/units.hpp"

namespace hoithi::accounts {

struct RosterDraft {
  std::int64_t job_id = 0;
  RosterCheck check;
};

class RosterService {
 public:
  /// `wake` tells the worker there is work (it also polls).
  RosterService(store::Database& db, const core::Clock& clock, std::string seal_key,
                std::function<void()> wake);

  /// Reads and checks the file, then stores a draft job with the preview.
  /// With `create_accounts` false only the list is kept (roster entries, headcount): the staff
  /// register themselves and are checked against it.
  void Upload(const SignedIn& actor, ClientInfo client, const units::Unit& unit,
              std::string_view file, bool create_accounts, Callback<RosterDraft> done);

  /// The job if `actor` may see it; kNotFound otherwise.
  core::Result<jobs::Job> Find(const SignedIn& actor, std::int64_t job_id);

  /// draft -> queued. kValidation "invalid_rows" while the preview has rejected rows and
  /// `skip_invalid` is false.
  void Start(const SignedIn& actor, std::int64_t job_id, bool skip_invalid,
             std::function<void(core::Status)> done);
  void Cancel(const SignedIn& actor, std::int64_t job_id, std::function<void(core::Status)> done);

  /// The initial passwords of a finished import; the hand-over is audited.
  void Passwords(const SignedIn& actor, ClientInfo client, std::int64_t job_id,
                 Callback<std::vector<InitialPassword>> done);
  /// Drops the sealed passwords for good.
  void ForgetPasswords(const SignedIn& actor, std::int64_t job_id,
                       std::function<void(core::Status)> done);

  /// The preview stored with a draft (rows, valid, already_registered, rejected).
  static RosterCheck PreviewOf(const jobs::Job& job);

 private:
  store::Database& db_;
  const core::Clock& clock_;
  std::string seal_key_;
  std::function<void()> wake_;
};

}  // namespace hoithi::accounts
