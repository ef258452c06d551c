// The serve command: configuration -> database (migrated) -> services -> routes -> server, then
// a clean stop on SIGTERM/SIGINT: stop accepting, finish requests in flight, stop the services in
// reverse (committing queued writes), exit 0.
#include "app/serve.hpp"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "accounts/password.hpp"
#include "app/routes.hpp"
#include "app/services.hpp"
#include "core/logging.hpp"
#include "http/auth_gate.hpp"
#include "http/rate_gate.hpp"
#include "http/server.hpp"
#include "http/service.hpp"

namespace hoithi::app {
namespace {

http::ServerOptions ServerOptionsFrom(const core::Config& config) {
  http::ServerOptions options;
  options.bind = config.server.bind;
  options.port = static_cast<std::uint16_t>(config.server.port);
  options.threads = config.server.threads > 0 ? config.server.threads : core::UsableCores();
  options.max_connections = static_cast<std::size_t>(config.server.max_connections);
  options.max_header_bytes = static_cast<std::size_t>(config.server.max_header_bytes);
  options.max_body_bytes = static_cast<std::size_t>(config.server.max_body_bytes);
  options.read_timeout = std::chrono::seconds(config.server.read_timeout_s);
  options.idle_timeout = std::chrono::seconds(config.server.idle_timeout_s);
  options.write_timeout = std::chrono::seconds(config.server.write_timeout_s);
  options.handler_timeout = std::chrono::seconds(config.server.handler_timeout_s);
  return options;
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

  auto services = Services::Create(*config, *db, metrics);
  if (!services) {
    cli::ReportError(services.error());
    db->Close();
    return cli::kExitFailure;
  }
  Services& s = **services;

  // The request pipeline: the client's address rate, who is asking and may they, their account's
  // rate; then the route's handler.
  http::AuthGate gate([&s](std::string_view token) { return s.auth.Authenticate(token); },
                      {s.csrf_key, "/doi-mat-khau"});
  http::RateGate rate_gate(config->limits);
  if (!config->limits.per_ip_enabled) {
    spdlog::warn("limits.per_ip_enabled is off: no request-rate limits per client address");
  }
  const http::Service* service_ptr = nullptr;
  http::Service service(
      BuildRoutes(s, [&service_ptr]() -> const http::Router& { return service_ptr->router(); }),
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
  service.SetHtmlErrorPage([&s](const http::Request& req, const core::Error& error, int status) {
    return ErrorPage(s, req, error, status);
  });

  const auto options = ServerOptionsFrom(*config);
  http::Server server(options, service, &metrics);
  auto port = server.Start();
  if (!port) {
    spdlog::error("{}", port.error().message);
    s.Stop();
    return cli::kExitFailure;
  }
  s.Start();
  // Tests and scripts read this line to learn the port when server.port = 0.
  spdlog::info("listening on http://{}:{} with {} threads", options.bind, *port, options.threads);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("received {}, shutting down", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  server.Shutdown(std::chrono::seconds(config->server.shutdown_grace_s));
  // Asks the jobs in hand to stop; one not stopped within the grace is released, to run again
  // from the start here after the restart or at once on another instance.
  if (!s.Stop(std::chrono::steady_clock::now() +
              std::chrono::seconds(config->server.shutdown_grace_s))) {
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
