// BodyStream: the per-stream queue in front of a sink, and its drain task on the body pool.
#include "http/body_stream.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <string_view>

namespace hoithi::http {
namespace {

core::Error SinkBug() {
  return core::MakeError(core::ErrorKind::kInternal, "internal_error",
                         "Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau.");
}

core::Error ServerStopped() {
  return core::MakeError(core::ErrorKind::kUnavailable, "server_stopped",
                         "Máy chủ đã dừng trước khi nhận hết dữ liệu.");
}

}  // namespace

BodyStream::BodyStream(std::shared_ptr<BodySink> sink, Responder responder, core::WorkPool& pool,
                       GiveBack give_back, std::atomic<std::size_t>& streams)
    : sink_(std::move(sink)),
      responder_(std::move(responder)),
      pool_(pool),
      give_back_(std::move(give_back)),
      streams_(streams) {}

BodyStream::~BodyStream() {
  // Only when the connection vanished without closing (its io_context destroyed at exit): the
  // sink still gets its last call.
  if (!finished_ && sink_) {
    try {
      sink_->OnAbort(ServerStopped());
    } catch (const std::exception& e) {
      spdlog::error("body sink threw in OnAbort: {}", e.what());
    }
  }
  streams_.fetch_sub(1);
}

void BodyStream::Push(Chunk chunk) {
  std::unique_lock lock(mu_);
  queue_.push_back(std::move(chunk));
  Schedule(lock);
}

void BodyStream::End() {
  std::unique_lock lock(mu_);
  if (last_ != Last::kNone) return;
  last_ = Last::kEnd;
  Schedule(lock);
}

void BodyStream::Abort(const core::Error& why) {
  std::unique_lock lock(mu_);
  if (last_ != Last::kNone) return;
  last_ = Last::kAbort;
  why_ = why;
  Schedule(lock);
}

void BodyStream::Schedule(std::unique_lock<std::mutex>& lock) {
  if (draining_) return;  // the running drain will see what was added
  draining_ = true;
  lock.unlock();
  if (!pool_.TrySubmit([self = shared_from_this()] {
        // The pool's threads are made by the network thread of the first stream, whose name
        // they would inherit: give them their own (for top -H and perf).
        thread_local bool named = false;
        if (!named) {
          pthread_setname_np(pthread_self(), "hoithi-body");
          named = true;
        }
        self->Drain();
      })) {
    // The pool has room for a task per stream; it refuses only once stopped, when the network
    // threads are gone too: finish here.
    Drain();
  }
}

void BodyStream::Drain() {
  for (;;) {
    Chunk chunk;
    Last last = Last::kNone;
    core::Error why;
    {
      std::lock_guard lock(mu_);
      if (!queue_.empty()) {
        chunk = std::move(queue_.front());
        queue_.pop_front();
      } else if (last_ != Last::kNone && !finished_) {
        finished_ = true;
        last = last_;
        why = why_;
      } else {
        draining_ = false;
        return;
      }
    }
    if (last != Last::kNone) {
      Finish(last, why);
      continue;
    }
    if (!failed_) {
      core::Status status;
      try {
        status = sink_->OnData(std::string_view(chunk.data.get(), chunk.size));
      } catch (const std::exception& e) {
        spdlog::error("body sink threw in OnData: {}", e.what());
        status = SinkBug();
      }
      if (!status) {
        failed_ = true;
        failure_ = status.error();
        responder_.SendError(failure_);  // the connection stops reading and answers it
      }
    }
    give_back_(std::move(chunk));
  }
}

void BodyStream::Finish(Last last, const core::Error& why) {
  if (last == Last::kEnd && !failed_) {
    try {
      sink_->OnEnd(responder_);
    } catch (const std::exception& e) {
      spdlog::error("body sink threw in OnEnd: {}", e.what());
      responder_.SendError(SinkBug());
    }
  } else {
    try {
      sink_->OnAbort(failed_ ? failure_ : why);
    } catch (const std::exception& e) {
      spdlog::error("body sink threw in OnAbort: {}", e.what());
    }
  }
  // Let go of the sink and the request now: a Responder the sink kept holds what it needs.
  sink_.reset();
  responder_ = Responder();
}

}  // namespace hoithi::http
