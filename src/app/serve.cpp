// The serve command: configuration -> database (migrated) -> routes -> server, then a clean stop
// on SIGTERM/SIGINT: stop accepting, finish requests in flight, commit queued writes, exit 0.
#include "app/serve.hpp"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "accounts/auth_service.hpp"
#include "accounts/password.hpp"
#include "accounts/registration.hpp"
#include "accounts/roster.hpp"
#include "accounts/roster_service.hpp"
#include "accounts/secrets.hpp"
#include "accounts/staff.hpp"
#include "accounts/unit_service.hpp"
#include "api/admin.hpp"
#include "api/auth.hpp"
#include "api/health.hpp"
#include "api/quiz.hpp"
#include "api/units.hpp"
#include "contest/current_contest_cache.hpp"
#include "core/logging.hpp"
#include "core/work_pool.hpp"
#include "http/auth_gate.hpp"
#include "http/rate_gate.hpp"
#include "http/server.hpp"
#include "http/service.hpp"
#include "http/static_files.hpp"
#include "jobs/worker.hpp"
#include "quiz/attempts.hpp"
#include "quiz/bank.hpp"
#include "quiz/bank_admin.hpp"
#include "quiz/sweeper.hpp"
#include "store/data_versions.hpp"
#include "web/account_pages.hpp"
#include "web/admin_pages.hpp"
#include "web/bank_pages.hpp"
#include "web/pages.hpp"
#include "web/quiz_pages.hpp"
#include "web/unit_pages.hpp"
#include "web/views.hpp"

namespace hoithi::app {
namespace {

/// This process's name in the jobs table: host and pid.
std::string WorkerName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

int Serve(cli::Globals& globals) {
  // Block the stop signals in every thread we are about to start; this thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto config = cli::LoadConfigOrReport(globals);
  if (!config) return globals.exit_code;
  core::InitLogging(config->log.level, config->log.access);
  accounts::InitCrypto();

  core::MetricsRegistry metrics;
  auto db = cli::OpenDatabaseOrReport(*config, globals, &metrics);
  if (!db) return globals.exit_code;
  spdlog::info("database: {}", db->description());

  const int cores = core::UsableCores();
  core::SystemClock clock;
  clock.SetOffset(std::chrono::seconds(config->testing.clock_offset_s));
  // Change counters of cached data, polled so that every instance's caches follow the others.
  store::DataVersions versions(*db);
  versions.Start();
  contest::CurrentContestCache current(*db, versions, clock);
  http::StaticFiles statics("web/static/");
  web::Views views(statics);

  // Password hashing is slow by design: a bounded pool off the network threads, at a lower
  // priority so that a login storm cannot take the CPU from the quiz, refusing (429) a login
  // that would wait more than hash_max_wait_ms rather than letting it time out.
  core::WorkPool hash_pool("hash",
                           config->auth.hash_threads > 0 ? config->auth.hash_threads : cores,
                           static_cast<std::size_t>(config->auth.hash_queue),
                           {std::chrono::milliseconds(config->auth.hash_max_wait_ms), 10});
  metrics.AddGaugeFunction(
      "hoithi_queue_depth", "Work waiting in a queue",
      [&hash_pool] { return static_cast<double>(hash_pool.queued()); }, "queue=\"hash\"");
  accounts::AuthOptions auth_options;
  auth_options.cost = cli::PasswordCostFrom(*config);
  accounts::AuthService auth(*db, versions, hash_pool, clock, auth_options);
  accounts::RegistrationService registration(*db, hash_pool, clock, auth_options.cost);
  accounts::StaffService staff(*db, auth, clock);
  auto csrf_key = accounts::LoadOrCreateSecret(*db, "csrf", clock.Now());
  auto seal_key = accounts::LoadOrCreateSecret(*db, "seal", clock.Now());
  if (!csrf_key || !seal_key) {
    cli::ReportError(!csrf_key ? csrf_key.error() : seal_key.error());
    return cli::kExitFailure;
  }
  http::AuthGate gate(auth, *csrf_key);
  http::RateGate rate_gate(config->limits);
  if (!config->limits.per_ip_enabled) {
    spdlog::warn("limits.per_ip_enabled is off: no request-rate limits per client address");
  }

  // Background jobs: this process claims and runs them like any other instance would. The roster
  // import runs one at a time per instance, once (jobs::KindOptions' defaults); its accounts are
  // created only while this worker still holds the job.
  jobs::Worker worker(*db, clock, WorkerName());
  worker.Register(std::string(accounts::kRosterJobKind), [&](jobs::JobContext& context) {
    return accounts::ImportRoster(*db, clock, auth_options.cost, *seal_key, context.job.payload,
                                  context.progress, [&context](store::Connection& c) {
                                    return jobs::CheckClaim(c, context.job.id, context.claimant);
                                  });
  });

  accounts::UnitService unit_service(*db, clock);
  accounts::RosterService rosters(*db, clock, *seal_key, [&worker] { worker.Wake(); });
  quiz::BankCache bank_cache(*db, versions);
  quiz::Standings standings(*db, versions);  // ranks and unit statistics in memory
  standings.Start();
  if (const auto contest = current.Get()) {
    auto lease = db->Read();
    if (auto st = standings.Preload(*lease, *contest); !st) {
      spdlog::warn("standings of {} not preloaded: {} {}", contest->slug, st.error().code,
                   st.error().detail);
    }
  }
  quiz::AttemptService attempts(*db, bank_cache, clock, standings,
                                std::chrono::milliseconds(config->limits.start_waiting_room_ms));
  quiz::BankService bank(*db, bank_cache, clock);
  quiz::DeadlineSweeper sweeper(attempts);
  api::BoardMemo boards(std::chrono::milliseconds(config->server.public_cache_ms));
  const api::ApiDeps api_deps{*db,          clock,   current,  auth, registration, staff,
                              unit_service, rosters, attempts, bank, boards};
  const web::WebDeps web_deps{*db,   clock,        views,   current,  auth, registration,
                              staff, unit_service, rosters, attempts, bank};
  http::Router router;
  api::RegisterHealth(router, {*db, metrics, clock, current});
  api::RegisterAuthApi(router, api_deps);
  api::RegisterAdminApi(router, api_deps);
  api::RegisterUnitApi(router, api_deps);
  api::RegisterQuizApi(router, api_deps);
  if (config->testing.clock_control) {
    spdlog::warn("testing.clock_control is on: anyone may move this server's clock");
    api::RegisterTestingClock(router, clock);
  }
  web::RegisterPages(router, web_deps);
  web::RegisterAccountPages(router, web_deps);
  web::RegisterAdminPages(router, web_deps);
  web::RegisterUnitPages(router, web_deps);
  web::RegisterQuizPages(router, web_deps);
  web::RegisterBankPages(router, web_deps);
  statics.Register(router);
  const http::Service* service_ptr = nullptr;
  api::RegisterRouteList(router,
                         [&service_ptr]() -> const http::Router& { return service_ptr->router(); });

  http::Service service(std::move(router),
                        {config->server.trusted_proxies, config->log.access,
                         std::chrono::milliseconds(config->server.public_cache_ms)},
                        &metrics);
  service_ptr = &service;
  service.Use([&rate_gate](http::Request& req, const http::Route& route, http::Responder& res) {
    return rate_gate.CheckAddress(req, route, res);
  });
  service.Use([&gate](http::Request& req, const http::Route& route, http::Responder& res) {
    return gate.Check(req, route, res);
  });
  service.Use([&rate_gate](http::Request& req, const http::Route& route, http::Responder& res) {
    return rate_gate.CheckAccount(req, route, res);
  });
  service.Decorate(
      [&gate](const http::Request& req, http::Response& res) { gate.Decorate(req, res); });
  service.SetHtmlErrorPage([&](const http::Request& req, const core::Error& error, int status) {
    return web::ErrorPage(web_deps, req, error, status);
  });

  http::ServerOptions options;
  options.bind = config->server.bind;
  options.port = static_cast<std::uint16_t>(config->server.port);
  options.threads = config->server.threads > 0 ? config->server.threads : cores;
  options.max_connections = static_cast<std::size_t>(config->server.max_connections);
  options.max_header_bytes = static_cast<std::size_t>(config->server.max_header_bytes);
  options.max_body_bytes = static_cast<std::size_t>(config->server.max_body_bytes);
  options.read_timeout = std::chrono::seconds(config->server.read_timeout_s);
  options.idle_timeout = std::chrono::seconds(config->server.idle_timeout_s);
  options.write_timeout = std::chrono::seconds(config->server.write_timeout_s);
  options.handler_timeout = std::chrono::seconds(config->server.handler_timeout_s);

  http::Server server(options, service, &metrics);
  auto port = server.Start();
  if (!port) {
    spdlog::error("{}", port.error().message);
    db->Close();
    return cli::kExitFailure;
  }
  worker.Start();
  sweeper.Start();
  // Tests and scripts read this line to learn the port when server.port = 0.
  spdlog::info("listening on http://{}:{} with {} threads", options.bind, *port, options.threads);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("received {}, shutting down", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  server.Shutdown(std::chrono::seconds(config->server.shutdown_grace_s));
  // Asks the jobs in hand to stop; one not stopped within the grace is released, to run again
  // from the start here after the restart or at once on another instance.
  const bool jobs_stopped = worker.Stop(std::chrono::steady_clock::now() +
                                        std::chrono::seconds(config->server.shutdown_grace_s));
  sweeper.Stop();
  standings.Stop();
  hash_pool.Stop();  // finishes logins in flight; their writes reach the committer
  versions.Stop();
  db->Close();  // commits every write still queued
  if (!jobs_stopped) {
    // A handler still running holds only a released job: it is not waited for.
    spdlog::warn("stopped, leaving a job handler that did not stop in time");
    core::ShutdownLogging();
    std::_Exit(cli::kExitOk);
  }
  spdlog::info("stopped cleanly");
  core::ShutdownLogging();
  return cli::kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, cli::Globals& globals) {
  auto* cmd = app.add_subcommand(
      "serve", "Chạy máy chủ web (cập nhật cấu trúc cơ sở dữ liệu trước khi mở cổng)");
  cmd->callback([&globals] { globals.exit_code = Serve(globals); });
}

}  // namespace hoithi::app
