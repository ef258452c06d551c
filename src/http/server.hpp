// The HTTP/1.1 server: Asio for sockets and timers, http_parser for the wire format (the two
// libraries RESTinio is built on; docs/decisions/0001 says why not RESTinio itself). It owns
// connections, limits and timeouts, and hands each complete request to a Dispatcher.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "http/message.hpp"
#include "http/responder.hpp"

namespace hoithi::http {

/// What the server calls. Every method runs on the network thread that owns the connection.
class Dispatcher {
 public:
  virtual ~Dispatcher() = default;
  /// Handles one complete request; answers through `responder`, now or later, from any thread.
  virtual void Dispatch(Request& request, Responder responder) = 0;
  /// The response for a failure the server detects itself (malformed request, body too large,
  /// timeout, over capacity). `request` may be partly filled (empty path when unreadable).
  virtual Response Failure(const Request& request, const core::Error& error) = 0;
  /// Last touches before a response is written: common headers, compression, metrics, log.
  virtual void Finalize(const Request& request, Response& response, double seconds) = 0;
};

struct ServerOptions {
  std::string bind = "0.0.0.0";
  std::uint16_t port = 8080;  // 0: any free port (see Server::Start)
  int threads = 1;
  std::size_t max_connections = 10000;
  std::size_t max_header_bytes = 16 << 10;
  std::size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds read_timeout{15000};
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds write_timeout{30000};
  std::chrono::milliseconds handler_timeout{30000};
};

class Server {
 public:
  Server(ServerOptions options, Dispatcher& dispatcher, core::MetricsRegistry* metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds, listens and starts the network threads; returns the bound port.
  core::Result<std::uint16_t> Start();

  /// Graceful stop: no new connections; idle ones close; requests in flight finish (their
  /// responses say Connection: close) within `grace`, after which the rest are cut. Then the
  /// network threads stop. Blocks until done; idempotent.
  void Shutdown(std::chrono::milliseconds grace);

  std::size_t active_connections() const;

 private:
  friend class Connection;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hoithi::http
