// What every page handler shares: its dependencies and the layout around its content (site name,
// organiser contact, the navigation for who is signed in).
#pragma once

#include <string>

#include "accounts/auth_service.hpp"
#include "accounts/registration.hpp"
#include "accounts/roster_service.hpp"
#include "accounts/staff.hpp"
#include "accounts/unit_service.hpp"
#include "contest/current_contest_cache.hpp"
#include "core/clock.hpp"
#include "http/message.hpp"
#include "quiz/attempts.hpp"
#include "quiz/bank_admin.hpp"
#include "store/database.hpp"
#include "web/views.hpp"

namespace hoithi::web {

struct WebDeps {
  store::Database& db;
  const core::Clock& clock;
  const Views& views;
  contest::CurrentContestCache& current;
  accounts::AuthService& auth;
  accounts::RegistrationService& registration;
  accounts::StaffService& staff;
  accounts::UnitService& units;
  accounts::RosterService& rosters;
  quiz::AttemptService& attempts;
  quiz::BankService& bank;
};

/// The layout for `request` (its viewer decides the navigation).
Layout LayoutFor(const WebDeps& deps, const http::Request& request, std::string title);

/// A rendered page as a response.
http::Response PageResponse(const WebDeps& deps, const http::Request& request, int status,
                            std::string_view page, const Data& data, std::string title,
                            std::vector<std::string> scripts = {});

/// `path` with the non-empty parameters as a percent-encoded query string.
std::string WithQuery(std::string path,
                      const std::vector<std::pair<std::string, std::string>>& params);

/// The paging links of a list (web/templates/pager.mustache). `params` are the list's filters,
/// kept in the links.
std::string PagerHtml(const Views& views, const std::string& path,
                      std::vector<std::pair<std::string, std::string>> params, int page,
                      int per_page, std::int64_t total);

/// The contest the signed-in staff member works in (see CurrentContestCache::For).
std::optional<contest::Contest> WorkingContest(const WebDeps& deps, const http::Request& request);

/// Sets `key` only when `value` is not empty (mustache treats "" as true in a section).
void SetIfPresent(Data& data, const std::string& key, const std::string& value);

/// Field values and per-field error messages of a form, for re-rendering it: "v_<field>" and
/// "err_<field>" (plus "errors": the list, for the summary at the top).
void SetFormErrors(Data& data, const core::Error& error);

/// An import form (multipart): the `file` part, and the `dry_run` and `skip_invalid` checkboxes.
struct ImportForm {
  std::string file;
  bool dry_run = false;
  bool skip_invalid = false;
};
core::Result<ImportForm> ReadImportForm(const http::Request& request);

/// An import's report for its page: rows, valid, saved, dry_run, rejected (row, reason),
/// has_rejected, and the error when it was refused (has_errors, errors).
void SetImportReport(Data& data, const core::Status& status,
                     const spreadsheet::ImportReport& report, bool dry_run);

}  // namespace hoithi::web
