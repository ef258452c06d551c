// What every JSON handler shares: the dependencies handed to Register* functions, serialization
// helpers and the JSON shapes of the objects several endpoints return.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "accounts/auth_service.hpp"
#include "accounts/registration.hpp"
#include "accounts/roster_service.hpp"
#include "accounts/staff.hpp"
#include "accounts/unit_service.hpp"
#include "contest/current_contest_cache.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "core/timed_memo.hpp"
#include "http/auth_gate.hpp"
#include "http/message.hpp"
#include "http/responder.hpp"
#include "quiz/attempts.hpp"
#include "quiz/bank_admin.hpp"
#include "spreadsheet/spreadsheet.hpp"
#include "store/database.hpp"

namespace hoithi::api {

/// What a leaderboard answer holds for every reader who is not staff: its JSON text, and whether
/// a participant's own rank is added to it (the board is shown from the round's standings).
struct SharedBoard {
  std::string json;
  bool ranked = false;
};
/// Boards by contest, round and length, made once per server.public_cache_ms (0: every read).
using BoardMemo = core::TimedMemo<SharedBoard>;

struct ApiDeps {
  store::Database& db;
  const core::Clock& clock;
  contest::CurrentContestCache& current;
  accounts::AuthService& auth;
  accounts::RegistrationService& registration;
  accounts::StaffService& staff;
  accounts::UnitService& units;
  accounts::RosterService& rosters;
  quiz::AttemptService& attempts;
  quiz::BankService& bank;
  BoardMemo& boards;
};

/// Compact JSON; invalid UTF-8 (never produced by us) is replaced rather than thrown on.
std::string Dump(const nlohmann::json& j);

http::Response JsonResponse(int status, const nlohmann::json& body);

using http::ClientOf;  // the address and browser of the client (http/auth_gate.hpp)

/// {"id","login","role","unit_code","full_name","contest_id"}
nlohmann::json UserJson(const accounts::SignedIn& who);

/// The contest named by `slug`, or the one the site shows when `slug` is empty; kNotFound
/// "no_contest" when there is none. Reads the database for a slug.
core::Result<contest::Contest> ContestFor(const ApiDeps& deps, const std::string& slug);

/// The contest an administrator or staff member works in: their own, or for an install-wide
/// administrator the one named by ?contest= (default: the current one).
core::Result<contest::Contest> WorkingContest(const ApiDeps& deps, const http::Request& request);

/// page and per_page from the query string (defaults 1 and 50, per_page at most 500).
std::pair<int, int> Paging(const http::Request& request);

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
