// What every JSON handler shares: binding a handler to its group's dependencies, serialization
// helpers, the contest a request is about, and the JSON shapes several endpoints return. Each
// handler group (api/<concept>.hpp) declares the dependencies it uses and nothing more.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "accounts/sessions.hpp"
#include "contest/current_contest_cache.hpp"
#include "http/auth_gate.hpp"
#include "http/message.hpp"
#include "http/responder.hpp"
#include "http/router.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "store/database.hpp"
#include "units/units.hpp"

namespace hoithi::api {

/// A route's handler: `fn` called with its group's dependencies (a struct of references, copied).
template <class Deps>
http::HandlerFn Bind(const Deps& deps, void (*fn)(const Deps&, http::Request&, http::Responder)) {
  return [deps, fn](http::Request& req, http::Responder res) { fn(deps, req, std::move(res)); };
}

/// Compact JSON; invalid UTF-8 (never produced by us) is replaced rather than thrown on.
std::string Dump(const nlohmann::json& j);

http::Response JsonResponse(int status, const nlohmann::json& body);

using http::ClientOf;  // the address and browser of the client (http/auth_gate.hpp)

/// {"id","login","role","unit_code","full_name","contest_id"}
nlohmann::json UserJson(const accounts::SignedIn& who);

/// The contest a staff member works in (contest::CurrentContestCache::Working): their own, or for
/// an install-wide administrator the one named by ?contest= (default: the current one).
core::Result<contest::Contest> WorkingContest(contest::CurrentContestCache& current,
                                              const http::Request& request);

/// The unit of the {unit} route parameter in the contest the request works in; kNotFound.
core::Result<units::Unit> UnitOf(store::Database& db, contest::CurrentContestCache& current,
                                 const http::Request& request);

/// {"items": [...], "total": N, "page": P, "per_page": K}
nlohmann::json PageJson(nlohmann::json items, std::int64_t total, int page, int per_page);

/// The answer to an import (units, questions): 200 with the report, or the error with the report
/// beside it (`{"error": {...}, "report": {...}}`), so that a refused import still lists every
/// bad row.
http::Response ImportResponse(const core::Status& status, const spreadsheet::ImportReport& report);

/// dry_run and skip_invalid from the query string ("true" turns each on).
struct ImportOptions {
  bool dry_run = false;
  bool skip_invalid = false;
};
ImportOptions ImportOptionsOf(const http::Request& request);

}  // namespace hoithi::api
