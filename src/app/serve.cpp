// The serve command: configuration -> database (migrated) -> routes -> server, then a clean stop
// on SIGTERM/SIGINT: stop accepting, finish requests in flight, commit queued writes, exit 0.
#include "app/serve.hpp"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "accounts/password.hpp"
#include "api/health.hpp"
#include "contest/current_contest_cache.hpp"
#include "core/logging.hpp"
#include "http/server.hpp"
#include "http/service.hpp"
#include "http/static_files.hpp"
#include "web/pages.hpp"
#include "web/views.hpp"

namespace hoithi::app {
namespace {

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

  core::SystemClock clock;
  contest::CurrentContestCache current(*db, clock);
  http::StaticFiles statics("web/static/");
  web::Views views(statics);

  http::Router router;
  api::RegisterHealth(router, {*db, metrics, clock, current});
  web::RegisterPages(router, {*db, clock, views, current});
  statics.Register(router);

  http::Service service(std::move(router), {config->server.trusted_proxies, config->log.access},
                        &metrics);
  service.SetHtmlErrorPage([&](const http::Request&, const core::Error& error, int status) {
    return web::ErrorPage(views, current, error, status);
  });

  http::ServerOptions options;
  options.bind = config->server.bind;
  options.port = static_cast<std::uint16_t>(config->server.port);
  options.threads = config->server.threads > 0
                        ? config->server.threads
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
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
  // Tests and scripts read this line to learn the port when server.port = 0.
  spdlog::info("listening on http://{}:{} with {} threads", options.bind, *port, options.threads);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("received {}, shutting down", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  server.Shutdown(std::chrono::seconds(config->server.shutdown_grace_s));
  db->Close();  // commits every write still queued
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
