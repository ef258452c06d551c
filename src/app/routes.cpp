// BuildRoutes: the JSON API, the pages and the static files, in one table.
#include "app/routes.hpp"

#include <spdlog/spdlog.h>

#include "api/attempts.hpp"
#include "api/audit.hpp"
#include "api/auth.hpp"
#include "api/contest_settings.hpp"
#include "api/contests.hpp"
#include "api/health.hpp"
#include "api/judging.hpp"
#include "api/results.hpp"
#include "api/question_bank.hpp"
#include "api/quiz_rules.hpp"
#include "api/rosters.hpp"
#include "api/standings.hpp"
#include "api/units.hpp"
#include "api/uploads.hpp"
#include "api/users.hpp"
#include "api/videos.hpp"
#include "web/account_pages.hpp"
#include "web/judging_pages.hpp"
#include "web/results_pages.hpp"
#include "web/admin_pages.hpp"
#include "web/contest_pages.hpp"
#include "web/notice_pages.hpp"
#include "web/pages.hpp"
#include "web/portal_pages.hpp"
#include "web/question_bank_pages.hpp"
#include "web/quiz_pages.hpp"
#include "web/quiz_rules_pages.hpp"
#include "web/setup_pages.hpp"
#include "web/standings_pages.hpp"
#include "web/unit_pages.hpp"
#include "web/video_pages.hpp"

namespace hoithi::app {

http::Router BuildRoutes(Services& s, std::function<const http::Router&()> final_router) {
  http::Router router;
  api::RegisterHealth(router, {s.db, s.metrics, s.clock, s.current});
  api::RegisterAuthApi(router, {s.db, s.current, s.auth, s.registration});
  api::RegisterUserApi(router, {s.db, s.current, s.staff});
  api::RegisterAuditApi(router, {s.db, s.current, cli::InstallActions()});
  api::RegisterContestSettingsApi(router, {s.current, s.settings});
  api::RegisterContestApi(router, {s.db, s.clock, s.current, s.contests, s.editions, s.notices});
  api::RegisterUnitApi(router, {s.db, s.current, s.units, s.staff, s.verification});
  api::RegisterRosterApi(router, {s.db, s.current, s.rosters});
  api::RegisterAttemptApi(router, {s.clock, s.current, s.attempts});
  api::RegisterStandingsApi(
      router, {s.db, s.clock, s.current, s.standings, s.participant_counts, s.boards});
  api::RegisterQuizRulesApi(router, {s.db, s.current, s.settings, s.attempts});
  api::RegisterQuestionBankApi(router, {s.db, s.current, s.bank});
  api::RegisterVideoApi(router, {s.db, s.current, s.videos});
  api::RegisterJudgingApi(router, {s.db, s.current, s.judging, *s.video_files});
  api::RegisterResultsApi(router, {s.current, s.results});
  api::RegisterUploadApi(router, {s.current, s.videos});
  if (s.config.testing.clock_control) {
    spdlog::warn("testing.clock_control is on: anyone may move this server's clock");
    api::RegisterTestingClock(router, s.clock);
  }
  const web::SiteDeps site{s.views, s.current};
  web::RegisterPages(router, {site, s.db, s.clock});
  web::RegisterSetupPages(router, {site, s.setup});
  web::RegisterContestPages(router, {site, s.db, s.clock, s.contests, s.editions, s.notices});
  web::RegisterNoticePages(router, {site, s.db, s.clock, s.config.server.public_url, s.notices});
  web::RegisterPortalPages(
      router, {site, s.db, s.clock, s.config.server.public_url, s.standings, s.participant_counts});
  web::RegisterAccountPages(router, {site, s.db, s.clock, s.auth, s.registration});
  web::RegisterAdminPages(
      router, {site, s.db, s.clock, s.staff, s.units, s.settings, cli::InstallActions()});
  web::RegisterUnitPages(router, {site, s.db, s.staff, s.rosters, s.verification});
  web::RegisterVideoPages(router, {site, s.db, s.clock, s.config.server.public_url, s.videos});
  web::RegisterJudgingPages(router, {site, s.db, s.judging});
  web::RegisterResultsPages(router, {site, s.results});
  web::RegisterQuizPages(router, {site, s.db, s.clock, s.attempts});
  web::RegisterStandingsPages(router, {site, s.db, s.clock, s.standings, s.participant_counts});
  web::RegisterQuizRulesPages(router, {site, s.db, s.settings, s.attempts});
  web::RegisterQuestionBankPages(router, {site, s.db, s.bank});
  s.statics.Register(router);
  api::RegisterRouteList(router, std::move(final_router));
  return router;
}

std::string ErrorPage(Services& s, const http::Request& request, const core::Error& error,
                      int status) {
  return web::ErrorPage(web::SiteDeps{s.views, s.current}, request, error, status);
}

}  // namespace hoithi::app
