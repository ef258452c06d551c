// GET /api/v1/audit: a search of the audit log (audit::Search).
#include "api/audit.hpp"

#include <cstdio>

#include "api/common.hpp"
#include "core/time_format.hpp"
#include "http/auth_gate.hpp"
#include "http/forms.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using nlohmann::json;

/// dd/mm/yyyy (local midnight) or RFC 3339.
std::optional<core::TimePoint> ParseWhen(const std::string& text, const std::string& tz) {
  if (auto t = core::ParseRfc3339(text)) return t;
  int d = 0, m = 0, y = 0;
  if (std::sscanf(text.c_str(), "%2d/%2d/%4d", &d, &m, &y) == 3) {
    return core::LocalToUtc(y, m, d, 0, 0, tz);
  }
  return std::nullopt;
}

void ListAudit(const AuditApiDeps& deps, http::Request& req, http::Responder res) {
  const auto& who = *http::ViewerOf(req).user;
  audit::Query q;
  std::string tz(core::kDefaultTimeZone);
  if (who.contest_id) {
    q.contest_id = who.contest_id;
  } else if (const auto slug = req.QueryParam("contest"); slug && !slug->empty()) {
    auto contest = deps.current.Named(*slug);
    if (!contest) return res.SendError(contest.error());
    q.contest_id = contest->id;
    tz = contest->time_zone;
  }
  q.action_prefix = req.QueryParam("action").value_or("");
  q.actor = req.QueryParam("actor").value_or("");
  for (const auto& [key, target] :
       {std::pair<const char*, std::optional<core::TimePoint>*>{"from", &q.from}, {"to", &q.to}}) {
    const auto text = req.QueryParam(key).value_or("");
    if (text.empty()) continue;
    *target = ParseWhen(text, tz);
    if (!*target) {
      return res.SendError(core::MakeError(core::ErrorKind::kValidation, "invalid_date",
                                           "Ngày phải có dạng dd/mm/yyyy.", key));
    }
  }
  const auto paging = http::PageOf(req);
  q.page = paging.page;
  q.per_page = paging.per_page;
  auto lease = deps.db.Read();
  auto page = audit::Search(*lease, q);
  if (!page) return res.SendError(page.error());
  json items = json::array();
  auto parsed = [](const std::optional<std::string>& text) {
    if (!text) return json(nullptr);
    auto j = json::parse(*text, nullptr, false);
    return j.is_discarded() ? json(*text) : j;
  };
  for (const auto& row : page->rows) {
    items.push_back({{"id", row.id},
                     {"at", core::FormatRfc3339(row.at)},
                     {"actor", row.actor},
                     {"actor_id", row.actor_id ? json(*row.actor_id) : json(nullptr)},
                     {"ip", row.ip},
                     {"action", row.action},
                     {"action_label", std::string(deps.actions.Label(row.action))},
                     {"target_type", row.target_type},
                     {"target_id", row.target_id},
                     {"before", parsed(row.before_json)},
                     {"after", parsed(row.after_json)}});
  }
  res.Send(JsonResponse(200, PageJson(items, page->total, page->page, page->per_page)));
}

}  // namespace

void RegisterAuditApi(http::Router& router, const AuditApiDeps& deps) {
  router.Add(Method::kGet, "/api/v1/audit", Access::Roles({Role::kAdmin}), Bind(deps, ListAudit));
}

}  // namespace hoithi::api
