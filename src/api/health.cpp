// /healthz, /metrics, /api/v1/routes and /api/v1/contest handlers.
#include "api/health.hpp"

#include <nlohmann/json.hpp>

#include "accounts/roles.hpp"
#include "api/common.hpp"
#include "core/time_format.hpp"
#include "http/error_status.hpp"

namespace hoithi::api {
namespace {

using accounts::Role;
using http::Access;
using http::Method;
using nlohmann::json;

}  // namespace

void RegisterHealth(http::Router& router, HealthDeps deps) {
  router.Add(http::Method::kGet, "/healthz", http::Access::Anyone(),
             [deps](http::Request&, http::Responder res) {
               const auto st = deps.db.Ping();
               if (!st) {
                 auto r = http::Response::Json(
                     503, Dump({{"status", "unavailable"}, {"database", st.error().code}}));
                 r.RetryAfter(5);
                 res.Send(std::move(r));
                 return;
               }
               res.Send(http::Response::Json(200, Dump({{"status", "ok"}})));
             });

  router.Add(http::Method::kGet, "/metrics", http::Access::Anyone(),
             [deps](http::Request&, http::Responder res) {
               http::Response r;
               r.content_type = "text/plain; version=0.0.4; charset=utf-8";
               r.body = deps.metrics.Render();
               res.Send(std::move(r));
             });

  router.Add(http::Method::kGet, "/api/v1/contest", http::Access::Anyone(),
             [deps](http::Request&, http::Responder res) {
               const auto c = deps.current.Get();
               if (!c) {
                 res.SendError(core::MakeError(core::ErrorKind::kNotFound, "no_contest",
                                               "Chưa có hội thi nào."));
                 return;
               }
               const auto phase = contest::PhaseAt(*c, deps.clock.Now());
               json j = {
                   {"slug", c->slug},
                   {"name", c->name},
                   {"organiser", c->organiser},
                   {"time_zone", c->time_zone},
                   {"status", phase == contest::Phase::kOpen      ? "open"
                              : phase == contest::Phase::kNotOpen ? "not_open"
                                                                  : "closed"},
                   {"status_label", std::string(contest::PhaseLabel(phase))},
                   {"opens_at", core::FormatRfc3339(c->schedule.opens_at)},
                   {"closes_at", core::FormatRfc3339(c->schedule.closes_at)},
                   {"contact",
                    {{"office", c->contact_office},
                     {"phone", c->contact_phone},
                     {"email", c->contact_email}}},
               };
               if (c->schedule.results_due_at) {
                 j["results_due_at"] = core::FormatRfc3339(*c->schedule.results_due_at);
               }
               res.Send(http::Response::Json(200, Dump(j)));
             });
}

void RegisterTestingClock(http::Router& router, core::SystemClock& clock) {
  router.Add(
      http::Method::kPost, "/api/v1/testing/clock", http::Access::Anyone().CsrfExemptJson(),
      [&clock](http::Request& req, http::Responder res) {
        // {"offset_s": N} sets the offset from real time; with "stopped": true the clock stands
        // still (offsets then step from the instant it first stopped) until a request without.
        const auto body = json::parse(req.body, nullptr, false);
        if (!body.is_object() || !body.contains("offset_s") ||
            !body["offset_s"].is_number_integer() ||
            (body.contains("stopped") && !body["stopped"].is_boolean())) {
          return res.SendError(
              core::MakeError(core::ErrorKind::kBadRequest, "malformed_json",
                              "Cần {\"offset_s\": số giây, \"stopped\": true|false}.", "offset_s"));
        }
        if (!body.value("stopped", false)) clock.Run();
        clock.SetOffset(std::chrono::seconds(body["offset_s"].get<long long>()));
        if (body.value("stopped", false)) clock.Stop();
        res.Send(http::Response::Json(200, Dump({{"now", core::FormatRfc3339(clock.Now())}})));
      });
}

void RegisterRouteList(http::Router& router, std::function<const http::Router&()> routes) {
  router.Add(
      Method::kGet, "/api/v1/routes", Access::Roles({Role::kAdmin}),
      [routes](http::Request&, http::Responder res) {
        json items = json::array();
        for (const auto& r : routes().routes()) {
          json access;
          switch (r.access.who) {
            case Access::Who::kAnyone:
              access = "anyone";
              break;
            case Access::Who::kSignedIn:
              access = "signed_in";
              break;
            case Access::Who::kRoles:
              access = json::array();
              for (auto role : r.access.roles)
                access.push_back(accounts::RoleCode(role));
              break;
          }
          items.push_back({{"method", std::string(http::MethodName(r.method))},
                           {"path", r.pattern},
                           {"access", access},
                           {"own_unit_only", r.pattern.find("{unit}") != std::string::npos}});
        }
        res.Send(JsonResponse(200, {{"routes", items}}));
      });
}

}  // namespace hoithi::api
