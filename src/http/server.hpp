// The HTTP/1.1 server: Asio for sockets and timers, http_parser for the wire format (the two
// libraries RESTinio is built on; docs/decisions/0001 says why not RESTinio itself). It owns
// connections, limits and timeouts, and hands each complete request to a Dispatcher, or, for a
// streaming route, its headers to the Dispatcher and its body to a BodySink (decision 0007).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "http/body_sink.hpp"
#include "http/message.hpp"
#include "http/responder.hpp"

namespace hoithi::http {

/// How the server takes a request's body, decided from its headers (Dispatcher::OnHeaders).
struct BodyPlan {
  std::size_t max_bytes = 0;  // 0: ServerOptions::max_body_bytes
  bool stream = false;        // to a sink from DispatchStream, instead of in memory to Dispatch
};

/// What the server calls. Every method runs on the network thread that owns the connection.
class Dispatcher {
 public:
  virtual ~Dispatcher() = default;
  /// Called once a request's headers are complete, before its body is read (the Service routes
  /// the request here). Cheap: it runs for every request.
  virtual BodyPlan OnHeaders(Request& request) {
    (void)request;
    return {};
  }
  /// Handles one complete request; answers through `responder`, now or later, from any thread.
  virtual void Dispatch(Request& request, Responder responder) = 0;
  /// For a request whose plan said `stream`, instead of Dispatch and before any body byte was
  /// read: returns the sink that takes the body, or answers through `responder` and returns
  /// null (the body is then not read; the connection closes after the answer).
  virtual std::shared_ptr<BodySink> DispatchStream(Request& request, Responder responder) {
    (void)request;
    responder.SendError(core::MakeError(core::ErrorKind::kInternal, "internal_error",
                                        "Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau."));
    return nullptr;
  }
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

  // Streamed request bodies (Router::AddStreaming). The read timeout is then the longest wait
  // for the next bytes rather than for the whole body, and the handler timeout the longest wait
  // for a sink that holds up the reading.
  /// The most bytes of one body read from the socket and not yet taken by its sink; beyond it
  /// the connection stops reading (TCP then holds the client back) until the sink catches up.
  std::size_t stream_buffer_bytes = 2 << 20;
  /// Bodies streaming at once; more get 503 with Retry-After before their body is read.
  std::size_t max_streams = 64;
  /// Threads of the pool that runs the sinks (created on the first streamed body).
  std::size_t stream_threads = 2;
};

/// Streamed bodies at this moment, and the most one of them ever held at once (see
/// ServerOptions::stream_buffer_bytes).
struct StreamStats {
  std::size_t streams = 0;
  std::size_t buffered_bytes = 0;
  std::size_t peak_buffered_bytes = 0;
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
  StreamStats stream_stats() const;

 private:
  friend class Connection;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hoithi::http
