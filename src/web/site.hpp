// What every page handler shares: what renders a page (SiteDeps, the base of each page group's
// dependencies), the layout around its content (site name, organiser contact, the navigation
// for who is signed in), and helpers for lists and forms.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "contest/current_contest_cache.hpp"
#include "http/message.hpp"
#include "http/responder.hpp"
#include "http/router.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "web/views.hpp"

namespace hoithi::web {

/// What every page needs to render: the templates and the contest the site shows. Each page
/// group's dependencies (web/<concept>_pages.hpp) derive from it and add only what they use.
struct SiteDeps {
  const Views& views;
  contest::CurrentContestCache& current;
};

/// A route's handler: `fn` called with its group's dependencies (a struct of references, copied).
template <class Deps>
http::HandlerFn Bind(const Deps& deps, void (*fn)(const Deps&, http::Request&, http::Responder)) {
  return [deps, fn](http::Request& req, http::Responder res) { fn(deps, req, std::move(res)); };
}

/// "https://host" where the public reaches the site: `configured` (server.public_url) when set,
/// else the request's own Host (behind a trusted proxy, as the client saw it), "localhost" when
/// that Host is not a plain host name. An answer built from the Host must not be shared.
std::string PublicAddress(const std::string& configured, const http::Request& request);

/// The layout for `request` (its viewer decides the navigation).
Layout LayoutFor(const SiteDeps& deps, const http::Request& request, std::string title);

/// A rendered page as a response.
http::Response PageResponse(const SiteDeps& deps, const http::Request& request, int status,
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

/// The contest a staff member works in (contest::CurrentContestCache::Working): their own, or for
/// an install-wide administrator the one named by ?contest= (default: the current one).
core::Result<contest::Contest> WorkingContest(const SiteDeps& deps, const http::Request& request);

/// Sets `key` only when `value` is not empty (mustache treats "" as true in a section).
void SetIfPresent(Data& data, const std::string& key, const std::string& value);

/// The options of a select: each {value, label, selected}, `selected` the one whose value it is.
kainjow::mustache::list Choices(
    std::initializer_list<std::pair<std::string_view, std::string_view>> all,
    std::string_view selected);

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
