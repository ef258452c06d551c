// Inside the server (not for handlers): one streamed request body on its way from a connection's
// network thread to its BodySink on the body pool, in Chunks. The connection pushes Chunks and
// then ends or aborts the stream; a drain task on the pool calls the sink and gives each Chunk
// back, which is how the connection knows it may read more (http/server.cpp, decision 0007).
#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "core/error.hpp"
#include "core/work_pool.hpp"
#include "http/body_sink.hpp"
#include "http/responder.hpp"

namespace hoithi::http {

/// A piece of a streamed body: the bytes of one or more reads, data[0, size).
struct Chunk {
  std::unique_ptr<char[]> data;
  std::size_t capacity = 0;
  std::size_t size = 0;
};

/// The sink's side of one streamed body. Push, End and Abort are called by the connection (one
/// thread); the sink is called by a drain task on `pool`, at most one at a time per stream, so
/// its calls never overlap and each sees the previous one's writes. Every Chunk pushed is given
/// back through `give_back`, from the pool, after the sink had it (or dropped it, once refused).
class BodyStream final : public std::enable_shared_from_this<BodyStream> {
 public:
  using GiveBack = std::function<void(Chunk)>;

  /// `responder` answers the request: from OnEnd, or with OnData's error. `streams` counts the
  /// server's live streams; this one is subtracted once its sink has had its last call.
  BodyStream(std::shared_ptr<BodySink> sink, Responder responder, core::WorkPool& pool,
             GiveBack give_back, std::atomic<std::size_t>& streams);
  ~BodyStream();
  BodyStream(const BodyStream&) = delete;
  BodyStream& operator=(const BodyStream&) = delete;

  /// The next bytes of the body (chunk.size > 0). Not after End or Abort.
  void Push(Chunk chunk);
  /// The body is complete: after the Chunks pushed so far, OnEnd (or OnAbort when the sink
  /// refused a Chunk).
  void End();
  /// The body will not complete: after the Chunks pushed so far, OnAbort(why). A no-op after
  /// End or a first Abort.
  void Abort(const core::Error& why);

 private:
  enum class Last { kNone, kEnd, kAbort };
  void Schedule(std::unique_lock<std::mutex>& lock);
  void Drain();
  void Finish(Last last, const core::Error& why);

  std::shared_ptr<BodySink> sink_;  // drain only
  Responder responder_;             // drain only
  core::WorkPool& pool_;
  GiveBack give_back_;
  std::atomic<std::size_t>& streams_;

  std::mutex mu_;
  std::deque<Chunk> queue_;  // pushed, not yet given to the sink
  Last last_ = Last::kNone;
  core::Error why_;
  bool draining_ = false;  // a drain task is queued or running
  bool finished_ = false;  // the sink's last call was made (or is being made)

  bool failed_ = false;  // drain only: OnData refused; the rest is dropped, OnAbort follows
  core::Error failure_;  // drain only
};

}  // namespace hoithi::http
