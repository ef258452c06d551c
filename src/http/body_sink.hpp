// Where a streamed request body goes: routes added with Router::AddStreaming return a BodySink
// when their headers are accepted, and the server feeds it the body as it arrives, on its body
// pool (never a network thread), with a bounded amount read ahead (docs/decisions/0007).
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "http/responder.hpp"

namespace hoithi::http {

/// Takes one request body, in order, a piece at a time.
///
/// Threads: every call runs on the server's body pool, never on a network thread, and the calls
/// for one body never overlap: each happens-after the previous one returned, so a sink needs no
/// lock of its own for state only these calls touch. Slow work here (disk writes, fsync) is
/// expected; while the sink is behind, the server stops reading the socket once
/// ServerOptions::stream_buffer_bytes of this body wait for it, and resumes as it catches up.
///
/// Order: OnData zero or more times, then exactly one of OnEnd or OnAbort, last.
class BodySink {
 public:
  virtual ~BodySink() = default;

  /// The next bytes of the body (never empty). `bytes` is valid only during the call. An error
  /// refuses the rest: the client gets it as the answer (e.g. kInsufficientStorage -> 507), the
  /// connection closes, the remaining bytes are dropped and OnAbort follows.
  virtual core::Status OnData(std::string_view bytes) = 0;

  /// The whole body arrived and went through OnData: finish (flush, fsync) and answer through
  /// `responder`, now or later from any thread, within server.handler_timeout.
  virtual void OnEnd(Responder responder) = 0;

  /// The body will not arrive whole: the client closed or reset the connection, it was too slow
  /// (read timeout), the body broke the framing or the limit, OnData failed, or the server is
  /// stopping. What OnData received is all there is; keep what is durably stored. No answer can
  /// be given from here (the server answers itself when the connection still allows it).
  virtual void OnAbort(const core::Error& why) = 0;
};

}  // namespace hoithi::http
