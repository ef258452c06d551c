// The way a handler answers: a cheap, copyable handle that may be used from any thread (the
// committer's completion, a work pool) after the handler returned. Only the first answer counts;
// if every copy is dropped without answering, the client gets a 500 and the bug is logged.
#pragma once

#include <memory>

#include "core/error.hpp"
#include "http/message.hpp"

namespace hoithi::http {

class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  virtual void Deliver(Response response) = 0;
  virtual void DeliverError(const core::Error& error) = 0;
};

class Responder {
 public:
  Responder() = default;
  explicit Responder(std::shared_ptr<ResponseSink> sink) : sink_(std::move(sink)) {}

  void Send(Response response) const {
    if (sink_) sink_->Deliver(std::move(response));
  }
  /// Answers with the error's status and body (JSON under /api/, a page elsewhere).
  void SendError(const core::Error& error) const {
    if (sink_) sink_->DeliverError(error);
  }

 private:
  std::shared_ptr<ResponseSink> sink_;
};

}  // namespace hoithi::http
