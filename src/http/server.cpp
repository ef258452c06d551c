// Connections and their state machine, on one io_context per network thread (a connection lives
// on one thread for its whole life, so it needs no locks or strands).
//
// Connection states and the function that moves to each:
//   kIdle      -- waiting for the first byte of a request (idle timeout)        BeginRequest
//   kReading   -- a request is arriving (read timeout: slow clients are cut)    OnRead
//   kHandling  -- the Dispatcher has the request (handler timeout -> 503)       DispatchRequest,
//                 or the headers of a streaming route, or its sink the body     StartStream,
//                                                                               FinishStream
//   kStreaming -- the body of a streaming route goes to its sink (read timeout
//                 between reads; handler timeout while the sink holds us up)   StartStream
//   kWriting   -- the response is being written (write timeout; for a file
//                 body, between pieces)                                         WriteResponse
//   kLinger    -- after an error response: discard what the client still sends  Linger
//   kClosed    --                                                               Close
// Answers may come from any thread: Exchange posts them to the connection's thread, where
// OnAnswer drops any that no longer belongs to the request being handled.
//
// A streamed body (docs/decisions/0007): the parser pauses after the headers; StartStream runs
// the middleware and the handler, which returns a BodySink; then each read goes into a Chunk,
// is parsed in place (chunked framing is squeezed out), and the Chunk goes to a BodyStream, whose
// drain task calls the sink on the body pool and posts the Chunk back. A connection holds at
// most stream_buffer_bytes of Chunks; needing another, it stops reading until one comes back.
#include "http/server.hpp"

#include <http_parser.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/sendfile.h>

#include <algorithm>
#include <array>
#include <asio.hpp>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <variant>

#include "core/work_pool.hpp"
#include "http/body_stream.hpp"
#include "http/error_status.hpp"

namespace hoithi::http {
namespace {

using asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

// Per connection, for its whole life: at a synchronised start every participant holds one, so
// this is multiplied by tens of thousands (16 KiB here took 10,000 connections to 415 MiB of
// RSS). The parser streams, so a request of any size passes through a buffer of any size; a
// quiz request (headers, a few hundred bytes of answers) fits in one read.
constexpr std::size_t kReadBufferSize = 4 * 1024;
constexpr std::size_t kMaxHeaderCount = 100;
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kMaxLingerBytes = 1 << 20;
// A streamed body is read in pieces of this size at most (a quarter of the stream buffer, at
// least 16 KiB): large enough that a fast client costs few reads and few sink calls.
constexpr std::size_t kMaxStreamChunk = 256 * 1024;
constexpr std::size_t kMinStreamChunk = 16 * 1024;
// A file body goes out in sendfile calls of at most this much, a few per turn of the thread, so
// that one fast download does not hold up the thread's other connections.
constexpr std::size_t kSendfileSlice = 1 << 20;
constexpr int kSendfileSlicesPerTurn = 4;

/// "Date: Sat, 28 Nov 2026 16:22:53 GMT\r\n", recomputed at most once a second per thread.
std::string_view DateLine() {
  thread_local std::time_t cached_second = 0;
  thread_local char line[64];
  thread_local std::size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    length = std::strftime(line, sizeof line, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
    cached_second = now;
  }
  return {line, length};
}

Method ToMethod(unsigned m) {
  switch (m) {
    case HTTP_GET:
      return Method::kGet;
    case HTTP_HEAD:
      return Method::kHead;
    case HTTP_POST:
      return Method::kPost;
    case HTTP_PUT:
      return Method::kPut;
    case HTTP_PATCH:
      return Method::kPatch;
    case HTTP_DELETE:
      return Method::kDelete;
    case HTTP_OPTIONS:
      return Method::kOptions;
    default:
      return Method::kOther;
  }
}

/// The error for a request the server refuses while reading it (status 400, 408, 413, 414, 431).
core::Error ProtocolError(int status) {
  core::Error e;
  switch (status) {
    case 413:
      e = core::MakeError(core::ErrorKind::kPayloadTooLarge, "payload_too_large",
                          "Dữ liệu gửi lên vượt quá dung lượng cho phép.");
      break;
    case 414:
      e = core::MakeError(core::ErrorKind::kBadRequest, "uri_too_long",
                          "Địa chỉ yêu cầu quá dài, máy chủ không xử lý được.");
      break;
    case 431:
      e = core::MakeError(core::ErrorKind::kBadRequest, "headers_too_large",
                          "Phần đầu của yêu cầu quá lớn, máy chủ không xử lý được.");
      break;
    case 408:
      e = core::MakeError(core::ErrorKind::kBadRequest, "request_timeout",
                          "Yêu cầu gửi đến quá chậm nên đã bị ngắt. Vui lòng thử lại.");
      break;
    case 503:
      e = core::MakeError(core::ErrorKind::kUnavailable, "overloaded",
                          "Hệ thống đang nhận quá nhiều tệp cùng lúc. Vui lòng thử lại sau ít "
                          "giây.");
      e.retry_after_s = 5;
      break;
    default:
      e = core::MakeError(core::ErrorKind::kBadRequest, "malformed_request",
                          "Yêu cầu không đúng định dạng HTTP.");
      break;
  }
  return e;
}

core::Error HandlerTimeout() {
  auto e = core::MakeError(core::ErrorKind::kUnavailable, "timeout",
                           "Máy chủ xử lý quá lâu. Vui lòng thử lại sau giây lát.");
  e.retry_after_s = 5;
  return e;
}

core::Error OverCapacity() {
  auto e = core::MakeError(core::ErrorKind::kUnavailable, "overloaded",
                           "Hệ thống đang có quá nhiều người truy cập. Vui lòng thử lại sau ít "
                           "giây; thông tin của bạn không bị mất.");
  e.retry_after_s = 5;
  return e;
}

core::Error HandlerBug() {
  return core::MakeError(core::ErrorKind::kInternal, "internal_error",
                         "Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau.");
}

/// Why a sink's body will not arrive whole when the client went away.
core::Error ConnectionClosed() {
  return core::MakeError(core::ErrorKind::kBadRequest, "connection_closed",
                         "Kết nối bị ngắt trước khi gửi xong dữ liệu.");
}

/// Why a sink's body will not arrive whole when its handler answered before the end.
core::Error AnsweredEarly() {
  return core::MakeError(core::ErrorKind::kBadRequest, "answered_early",
                         "Máy chủ đã trả lời trước khi nhận hết dữ liệu.");
}

/// Status line and headers of `response`, ending with the blank line.
void SerializeHead(std::string& out, const Response& response, std::uint64_t body_length,
                   bool keep_alive) {
  out.clear();
  out.reserve(256 + response.headers.size() * 64);
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out += StatusReason(response.status);
  out += "\r\n";
  out += DateLine();
  if (!response.content_type.empty()) {
    out += "Content-Type: ";
    out += response.content_type;
    out += "\r\n";
  }
  if (response.status != 204 && response.status != 304 && response.status >= 200) {
    out += "Content-Length: ";
    out += std::to_string(body_length);
    out += "\r\n";
  }
  out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  for (const auto& h : response.headers) {
    out += h.name;
    out += ": ";
    out += h.value;
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace

class Connection;

/// One request and its answer. The connection owns it while parsing; after dispatch, the
/// handler's Responder copies own it, and dropping them all unanswered yields a 500.
class Exchange final : public ResponseSink, public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(std::shared_ptr<Connection> conn, std::uint64_t seq)
      : conn_(std::move(conn)), seq_(seq) {}
  ~Exchange() override;

  void Deliver(Response response) override { Post(std::move(response)); }
  void DeliverError(const core::Error& error) override { Post(error); }
  Connection* conn() const { return conn_.get(); }

  Request request;
  std::uint64_t seq() const { return seq_; }
  void set_dispatched() { dispatched_ = true; }
  /// Nothing will answer any more (the server answered, or the connection is gone): later
  /// answers are dropped here, and dropping every Responder is no bug.
  void Cancel() { answered_.store(true); }

 private:
  void Post(std::variant<Response, core::Error> answer);

  std::shared_ptr<Connection> conn_;
  std::uint64_t seq_;
  std::atomic<bool> answered_{false};
  bool dispatched_ = false;
};

struct Server::Impl {
  ServerOptions options;
  Dispatcher& dispatcher;
  // What stream_stats() reports; first, so that they outlive whatever may still hold a stream.
  std::atomic<std::size_t> streams{0};
  std::atomic<std::size_t> stream_bytes{0};
  std::atomic<std::size_t> stream_peak{0};
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::unordered_set<Connection*>> registries;  // each touched only on its thread
  // Per thread, the one timer that enforces every connection's deadline (Connection::ArmTimer),
  // and whether it still runs (touched only on its thread).
  std::vector<std::unique_ptr<asio::steady_timer>> sweepers;
  std::vector<char> sweeping;
  std::chrono::milliseconds sweep_every{250};
  std::vector<std::thread> threads;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> accept_retry;
  std::size_t next_context = 0;
  std::atomic<std::size_t> active{0};
  bool started = false;
  bool stopped = false;
  std::string over_capacity_response;  // written as is to connections over the limit

  // Streamed bodies: the pool that runs their sinks (made on first use; declared after the
  // io_contexts so that it is stopped, and its tasks' posts made, before they go), the Chunk
  // size and the per-connection bound.
  std::once_flag stream_pool_once;
  std::unique_ptr<core::WorkPool> stream_pool;
  std::size_t stream_chunk = kMaxStreamChunk;
  std::size_t stream_bound = 2 << 20;

  core::Counter* accepted = nullptr;
  core::Counter* rejected = nullptr;
  core::Counter* protocol_errors = nullptr;

  Impl(ServerOptions o, Dispatcher& d) : options(std::move(o)), dispatcher(d) {
    stream_chunk = std::clamp(options.stream_buffer_bytes / 4, kMinStreamChunk, kMaxStreamChunk);
    stream_bound = std::max(options.stream_buffer_bytes, stream_chunk);
  }
  void Accept();
  void RejectOverCapacity(tcp::socket socket);
  void Sweep(std::size_t index);
  core::WorkPool& StreamPool();
  /// One connection's Chunks now total `held` bytes, `delta` more than before.
  void NoteStreamBytes(std::ptrdiff_t delta, std::size_t held);
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  enum class State { kIdle, kReading, kHandling, kStreaming, kWriting, kLinger, kClosed };

  Connection(Server::Impl& server, tcp::socket socket, std::size_t context_index)
      : server_(server),
        socket_(std::move(socket)),
        context_index_(context_index),
        buffer_(kReadBufferSize) {
    http_parser_settings_init(&settings_);
    settings_.on_url = &Connection::OnUrl;
    settings_.on_header_field = &Connection::OnHeaderField;
    settings_.on_header_value = &Connection::OnHeaderValue;
    settings_.on_headers_complete = &Connection::OnHeadersComplete;
    settings_.on_body = &Connection::OnBody;
    settings_.on_message_complete = &Connection::OnMessageComplete;
  }

  void Start();
  asio::any_io_executor executor() { return socket_.get_executor(); }

  /// Times the connection out when its deadline has passed (the thread's sweep calls it).
  bool Due(SteadyClock::time_point now) const { return now >= deadline_; }
  void TimeOutIfDue(SteadyClock::time_point now) {
    if (now < deadline_) return;
    deadline_ = SteadyClock::time_point::max();
    OnTimeout();
  }

  /// The answer of the request `seq`, on this connection's thread.
  void OnAnswer(Exchange& exchange, std::variant<Response, core::Error> answer);
  /// The request `seq` was dropped by its handler without an answer.
  void OnAbandoned(std::uint64_t seq, const std::string& path);
  /// A Chunk of a streamed body is back from its sink.
  void OnChunkReturned(Chunk chunk);

  /// Server draining: idle connections close now; busy ones close after their response.
  void BeginShutdown() {
    draining_ = true;
    if (state_ == State::kIdle) Close();
  }

  void Close();

 private:
  void BeginRequest();
  void DoRead();
  void OnRead(const std::error_code& ec, std::size_t n);
  void Consume();
  bool ParseOk();
  void DispatchRequest();
  void Fail(int status, const core::Error& error);
  void WriteResponse(const Request& request, Response& response, bool close_after,
                     SteadyClock::time_point start);
  void SendFile(bool close_after);
  void AfterWrite(bool close_after);

  // Streamed bodies.
  void StartStream();
  void StreamResume();
  void StreamRead();
  void OnStreamRead(const std::error_code& ec, std::size_t n);
  int StreamBody(const char* at, std::size_t len);
  void MaybeHandOver();
  void HandOver();
  void FinishStream();
  void AbortStream(const core::Error& why);
  Chunk TakeChunk(bool force);
  void FreeChunk(Chunk& chunk);
  void ReleaseChunks();
  void Linger();
  void LingerRead();
  void ArmTimer(std::chrono::milliseconds after);
  void OnTimeout();
  bool CountHeaderBytes(std::size_t len);

  static Connection* Self(http_parser* p) { return static_cast<Connection*>(p->data); }
  static int OnUrl(http_parser* p, const char* at, std::size_t len);
  static int OnHeaderField(http_parser* p, const char* at, std::size_t len);
  static int OnHeaderValue(http_parser* p, const char* at, std::size_t len);
  static int OnHeadersComplete(http_parser* p);
  static int OnBody(http_parser* p, const char* at, std::size_t len);
  static int OnMessageComplete(http_parser* p);

  Server::Impl& server_;
  tcp::socket socket_;
  std::size_t context_index_;
  // When the state of the moment times out (ArmTimer); enforced by the thread's sweep, so that
  // moving it, several times per request, costs no timer operation and no system call.
  SteadyClock::time_point deadline_ = SteadyClock::time_point::max();
  State state_ = State::kIdle;
  std::string peer_ip_;
  bool draining_ = false;

  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unparsed bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;

  http_parser parser_{};
  http_parser_settings settings_{};
  std::shared_ptr<Exchange> parsing_;  // the request being read; null once dispatched
  std::weak_ptr<Exchange> handling_;   // the request being handled, while its handler has it
  std::uint64_t seq_ = 0;              // the request being handled
  std::size_t header_bytes_ = 0;
  bool last_was_value_ = true;
  bool message_complete_ = false;
  bool send_continue_ = false;
  bool keep_alive_ = true;
  int parse_status_ = 0;
  SteadyClock::time_point request_start_;
  std::size_t body_limit_ = 0;  // of the request being read: its route's, or the server's

  // The streamed body being read (kStreaming), if any: its stream, the Chunk the socket reads
  // into, Chunks back from the sink for reuse, how many are with the sink, and the bytes of all
  // the Chunks this connection holds (filling, spare, with the sink), at most stream_bound.
  bool stream_start_ = false;      // the headers are those of a streaming route: StartStream
  bool stream_length_ = false;     // its body has a Content-Length (else it is chunked or empty)
  bool stream_blocked_ = false;    // reading stopped until the sink returns a Chunk
  bool stream_reading_ = false;    // a read into filling_ is under way
  bool continue_writing_ = false;  // "100 Continue" is being written
  std::uint64_t stream_body_bytes_ = 0;
  std::shared_ptr<BodyStream> stream_;
  Chunk filling_;
  Chunk orphan_;  // filling_ of a stream aborted during a read, kept until the read completes
  std::vector<Chunk> spare_;
  std::size_t with_sink_ = 0;
  std::size_t chunk_bytes_ = 0;

  std::string out_head_;
  std::string out_body_;
  std::optional<FileBody> out_file_;  // the rest of a file body being sent
  bool non_blocking_ = false;         // the socket was set non-blocking for sendfile
  std::array<char, 512> discard_{};   // what a lingering close reads and drops
  std::size_t discarded_ = 0;
};

// --- Exchange ------------------------------------------------------------------------------------

Exchange::~Exchange() {
  if (dispatched_ && !answered_.exchange(true)) {
    spdlog::error("handler for {} {} returned without answering", MethodName(request.method),
                  request.path);
    asio::post(conn_->executor(),
               [conn = conn_, seq = seq_, path = request.path] { conn->OnAbandoned(seq, path); });
  }
}

void Exchange::Post(std::variant<Response, core::Error> answer) {
  if (answered_.exchange(true)) return;
  asio::post(conn_->executor(), [self = shared_from_this(), answer = std::move(answer)]() mutable {
    self->conn_->OnAnswer(*self, std::move(answer));
  });
}

// --- Connection: reading -------------------------------------------------------------------------

void Connection::Start() {
  server_.registries[context_index_].insert(this);
  std::error_code ec;
  socket_.set_option(tcp::no_delay(true), ec);
  const auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) {
    auto address = endpoint.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    peer_ip_ = address.to_string();
  }
  BeginRequest();
}

void Connection::BeginRequest() {
  parsing_ = std::make_shared<Exchange>(shared_from_this(), ++seq_);
  parsing_->request.peer_ip = peer_ip_;
  parsing_->request.client_ip = peer_ip_;
  http_parser_init(&parser_, HTTP_REQUEST);
  parser_.data = this;
  header_bytes_ = 0;
  last_was_value_ = true;
  message_complete_ = false;
  send_continue_ = false;
  parse_status_ = 0;
  body_limit_ = server_.options.max_body_bytes;
  stream_start_ = false;
  state_ = State::kIdle;
  if (begin_ < end_) {
    // Pipelined bytes of the next request are already here.
    state_ = State::kReading;
    request_start_ = SteadyClock::now();
    ArmTimer(server_.options.read_timeout);
    Consume();
    return;
  }
  ArmTimer(server_.options.idle_timeout);
  DoRead();
}

void Connection::DoRead() {
  if (begin_ == end_) begin_ = end_ = 0;
  if (end_ == buffer_.size()) {
    std::copy(buffer_.begin() + static_cast<long>(begin_),
              buffer_.begin() + static_cast<long>(end_), buffer_.begin());
    end_ -= begin_;
    begin_ = 0;
  }
  socket_.async_read_some(asio::buffer(buffer_.data() + end_, buffer_.size() - end_),
                          [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
                            self->OnRead(ec, n);
                          });
}

void Connection::OnRead(const std::error_code& ec, std::size_t n) {
  if (state_ == State::kClosed) return;
  if (ec) {
    Close();
    return;
  }
  end_ += n;
  if (state_ == State::kIdle) {
    state_ = State::kReading;
    request_start_ = SteadyClock::now();
    ArmTimer(server_.options.read_timeout);  // the whole request must arrive within this
  }
  Consume();
}

bool Connection::ParseOk() {
  const auto err = HTTP_PARSER_ERRNO(&parser_);
  if (err == HPE_OK || err == HPE_PAUSED) return true;
  // Also a request with both Content-Length and Transfer-Encoding: chunked
  // (HPE_UNEXPECTED_CONTENT_LENGTH), which http_parser refuses as RFC 9112 asks.
  const int status = parse_status_ ? parse_status_ : (err == HPE_HEADER_OVERFLOW ? 431 : 400);
  if (server_.protocol_errors) server_.protocol_errors->Inc();
  Fail(status, ProtocolError(status));
  return false;
}

void Connection::Consume() {
  const std::size_t parsed =
      http_parser_execute(&parser_, &settings_, buffer_.data() + begin_, end_ - begin_);
  begin_ += parsed;
  if (!ParseOk()) return;
  if (stream_start_) {
    stream_start_ = false;
    StartStream();
    return;
  }
  if (message_complete_) {
    DispatchRequest();
    return;
  }
  if (send_continue_) {
    send_continue_ = false;
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(socket_, asio::buffer(kContinue),
                      [self = shared_from_this()](const std::error_code& ec, std::size_t) {
                        if (ec) return self->Close();
                        if (self->state_ != State::kClosed) self->DoRead();
                      });
    return;
  }
  DoRead();
}

int Connection::OnUrl(http_parser* p, const char* at, std::size_t len) {
  auto* c = Self(p);
  auto& target = c->parsing_->request.target;
  if (target.size() + len > c->server_.options.max_header_bytes) {
    c->parse_status_ = 414;
    return -1;
  }
  target.append(at, len);
  return 0;
}

bool Connection::CountHeaderBytes(std::size_t len) {
  header_bytes_ += len;
  if (header_bytes_ > server_.options.max_header_bytes) {
    parse_status_ = 431;
    return false;
  }
  return true;
}

int Connection::OnHeaderField(http_parser* p, const char* at, std::size_t len) {
  auto* c = Self(p);
  if (!c->CountHeaderBytes(len)) return -1;
  auto& headers = c->parsing_->request.headers;
  if (c->last_was_value_) {
    if (headers.size() >= kMaxHeaderCount) {
      c->parse_status_ = 431;
      return -1;
    }
    headers.emplace_back();
    c->last_was_value_ = false;
  }
  auto& name = headers.back().name;
  for (std::size_t i = 0; i < len; ++i) {
    char ch = at[i];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    name += ch;
  }
  return 0;
}

int Connection::OnHeaderValue(http_parser* p, const char* at, std::size_t len) {
  auto* c = Self(p);
  if (!c->CountHeaderBytes(len)) return -1;
  c->parsing_->request.headers.back().value.append(at, len);
  c->last_was_value_ = true;
  return 0;
}

int Connection::OnHeadersComplete(http_parser* p) {
  auto* c = Self(p);
  auto& req = c->parsing_->request;
  req.method = ToMethod(p->method);
  req.http_minor = p->http_minor;
  if (!SplitTarget(req.target, req)) {
    c->parse_status_ = 400;
    return -1;
  }
  // The route decides the body's limit, and whether it streams (then the middleware runs
  // before any of it is read: the parser pauses here, and Consume calls StartStream).
  const BodyPlan plan = c->server_.dispatcher.OnHeaders(req);
  if (plan.max_bytes > 0) c->body_limit_ = plan.max_bytes;
  const bool has_length = p->content_length != ULLONG_MAX;
  if (has_length && p->content_length > c->body_limit_) {
    c->parse_status_ = 413;
    return -1;
  }
  const auto expect = req.Header("expect");
  if (p->http_minor >= 1 && expect.size() == 12 && expect.starts_with("100-")) {
    c->send_continue_ = true;
  }
  if (plan.stream) {
    c->stream_start_ = true;
    c->stream_length_ = has_length;
    http_parser_pause(p, 1);
    return 0;
  }
  if (has_length && p->content_length > 0) {
    // Beyond server.max_body_bytes (a route's larger limit), the body grows as it arrives
    // rather than on the word of a header.
    req.body.reserve(static_cast<std::size_t>(
        std::min<std::uint64_t>(p->content_length, c->server_.options.max_body_bytes)));
  }
  return 0;
}

int Connection::OnBody(http_parser* p, const char* at, std::size_t len) {
  auto* c = Self(p);
  if (c->stream_) return c->StreamBody(at, len);
  auto& body = c->parsing_->request.body;
  if (body.size() + len > c->body_limit_) {
    c->parse_status_ = 413;
    return -1;
  }
  body.append(at, len);
  return 0;
}

int Connection::OnMessageComplete(http_parser* p) {
  auto* c = Self(p);
  c->message_complete_ = true;
  c->keep_alive_ = http_should_keep_alive(p) != 0 && p->upgrade == 0;
  http_parser_pause(p, 1);  // one request at a time; pipelined bytes wait in the buffer
  return 0;
}

// --- Connection: handling ------------------------------------------------------------------------

void Connection::DispatchRequest() {
  state_ = State::kHandling;
  ArmTimer(server_.options.handler_timeout);
  std::shared_ptr<Exchange> exchange = std::move(parsing_);
  exchange->set_dispatched();
  handling_ = exchange;
  Request& request = exchange->request;
  try {
    server_.dispatcher.Dispatch(request, Responder(exchange));
  } catch (const std::exception& e) {
    spdlog::error("handler for {} {} threw: {}", MethodName(request.method), request.path,
                  e.what());
    exchange->DeliverError(HandlerBug());
  }
}

void Connection::OnAnswer(Exchange& exchange, std::variant<Response, core::Error> answer) {
  if ((state_ != State::kHandling && state_ != State::kStreaming) || exchange.seq() != seq_) {
    return;  // late or closed
  }
  if (state_ == State::kStreaming && continue_writing_) {
    // Not while "100 Continue" is being written (its completion is due at once): after it.
    asio::post(executor(),
               [self = exchange.shared_from_this(), answer = std::move(answer)]() mutable {
                 self->conn()->OnAnswer(*self, std::move(answer));
               });
    return;
  }
  if (state_ == State::kStreaming) {
    // An answer before the body ended (the sink refused a piece, or the handler answered after
    // all): the rest of the body is not read; the connection closes after the answer.
    auto* error = std::get_if<core::Error>(&answer);
    AbortStream(error ? *error : AnsweredEarly());
    keep_alive_ = false;
  }
  Response response;
  if (auto* error = std::get_if<core::Error>(&answer)) {
    if (error->kind == core::ErrorKind::kInternal) {
      spdlog::error("{} {}: {} {}", MethodName(exchange.request.method), exchange.request.path,
                    error->code, error->detail);
    }
    response = server_.dispatcher.Failure(exchange.request, *error);
  } else {
    response = std::move(std::get<Response>(answer));
  }
  WriteResponse(exchange.request, response, !keep_alive_ || draining_, request_start_);
}

void Connection::OnAbandoned(std::uint64_t seq, const std::string& path) {
  if (state_ != State::kHandling || seq != seq_) return;
  Request request;
  request.path = path;
  auto response = server_.dispatcher.Failure(request, HandlerBug());
  WriteResponse(request, response, !keep_alive_ || draining_, request_start_);
}

void Connection::Fail(int status, const core::Error& error) {
  Request fallback;
  const auto exchange = parsing_ ? parsing_ : handling_.lock();
  AbortStream(error);
  const Request& request = exchange ? exchange->request : fallback;
  auto response = server_.dispatcher.Failure(request, error);
  response.status = status;
  keep_alive_ = false;
  ++seq_;
  WriteResponse(request, response, /*close_after=*/true, request_start_);
}

// --- Connection: streamed bodies -----------------------------------------------------------------

void Connection::StartStream() {
  // The headers of a streaming route are complete; the parser is paused before the body.
  std::shared_ptr<Exchange> exchange = std::move(parsing_);
  exchange->set_dispatched();
  handling_ = exchange;
  state_ = State::kHandling;
  ArmTimer(server_.options.handler_timeout);
  if (server_.streams.fetch_add(1) >= server_.options.max_streams) {
    server_.streams.fetch_sub(1);
    exchange->Cancel();
    if (server_.protocol_errors) server_.protocol_errors->Inc();
    Fail(503, ProtocolError(503));
    return;
  }
  std::shared_ptr<BodySink> sink;
  try {
    sink = server_.dispatcher.DispatchStream(exchange->request, Responder(exchange));
  } catch (const std::exception& e) {
    spdlog::error("handler for {} {} threw: {}", MethodName(exchange->request.method),
                  exchange->request.path, e.what());
    exchange->DeliverError(HandlerBug());
    sink = nullptr;
  }
  if (!sink) {
    // Refused (401, 403, 409, ...): the answer comes through OnAnswer. The body stays unread,
    // so the connection closes after it, draining what the client still sends (Linger).
    server_.streams.fetch_sub(1);
    keep_alive_ = false;
    return;
  }
  // Chunks come back on this connection's thread (if it still exists).
  auto give_back = [conn = weak_from_this(), ex = executor()](Chunk chunk) {
    asio::post(ex, [conn, chunk = std::move(chunk)]() mutable {
      if (auto c = conn.lock()) c->OnChunkReturned(std::move(chunk));
    });
  };
  stream_ = std::make_shared<BodyStream>(std::move(sink), Responder(exchange), server_.StreamPool(),
                                         std::move(give_back), server_.streams);
  stream_body_bytes_ = 0;
  stream_blocked_ = false;
  state_ = State::kStreaming;
  ArmTimer(server_.options.read_timeout);
  http_parser_pause(&parser_, 0);
  filling_ = TakeChunk(/*force=*/true);
  if (send_continue_) {
    send_continue_ = false;
    continue_writing_ = true;
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(socket_, asio::buffer(kContinue),
                      [self = shared_from_this()](const std::error_code& ec, std::size_t) {
                        self->continue_writing_ = false;
                        if (self->state_ != State::kStreaming) return;
                        if (ec) return self->Close();
                        self->StreamResume();
                      });
    return;
  }
  StreamResume();
}

void Connection::StreamResume() {
  // What came with the headers (from their final LF on) goes through the parser first.
  if (begin_ < end_) {
    const std::size_t parsed =
        http_parser_execute(&parser_, &settings_, buffer_.data() + begin_, end_ - begin_);
    begin_ += parsed;
    if (!ParseOk()) return;
    if (message_complete_) return FinishStream();
  }
  begin_ = end_ = 0;
  MaybeHandOver();
  StreamRead();
}

void Connection::StreamRead() {
  if (filling_.size == filling_.capacity) {
    filling_ = TakeChunk(/*force=*/false);
    if (!filling_.data) {
      // Every byte this connection may hold is with the sink: stop reading (TCP's window then
      // stops the client) until OnChunkReturned. The sink must keep up within handler_timeout.
      stream_blocked_ = true;
      ArmTimer(server_.options.handler_timeout);
      return;
    }
  }
  std::size_t want = filling_.capacity - filling_.size;
  // With a Content-Length, never read past the body: what follows is the next request's.
  if (stream_length_)
    want = static_cast<std::size_t>(std::min<std::uint64_t>(want, parser_.content_length));
  stream_reading_ = true;
  socket_.async_read_some(asio::buffer(filling_.data.get() + filling_.size, want),
                          [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
                            self->OnStreamRead(ec, n);
                          });
}

void Connection::OnStreamRead(const std::error_code& ec, std::size_t n) {
  stream_reading_ = false;
  FreeChunk(orphan_);
  if (state_ != State::kStreaming) return;  // closed, or answered early, meanwhile
  if (ec) {
    Close();  // the client went away mid-body: the sink is told (OnAbort)
    return;
  }
  ArmTimer(server_.options.read_timeout);
  // Parsed in place: the body's bytes are moved down over any chunked framing (StreamBody).
  char* at = filling_.data.get() + filling_.size;
  const std::size_t parsed = http_parser_execute(&parser_, &settings_, at, n);
  if (!ParseOk()) return;
  if (message_complete_) {
    // A chunked body may be followed by the next (pipelined) request's first bytes.
    const std::size_t rest = n - parsed;
    if (rest > 0) {
      if (buffer_.size() < rest) buffer_.resize(rest);
      std::memcpy(buffer_.data(), at + parsed, rest);
      begin_ = 0;
      end_ = rest;
    }
    FinishStream();
    return;
  }
  MaybeHandOver();
  StreamRead();
}

int Connection::StreamBody(const char* at, std::size_t len) {
  stream_body_bytes_ += len;
  if (stream_body_bytes_ > body_limit_) {
    parse_status_ = 413;  // a chunked body over the route's limit
    return -1;
  }
  while (len > 0) {
    if (filling_.size == filling_.capacity) {
      // Only bytes that came with the headers can overflow (a read never asks for more than
      // the Chunk's room): hand the full one over and go on in another.
      HandOver();
      filling_ = TakeChunk(/*force=*/true);
    }
    const std::size_t n = std::min(len, filling_.capacity - filling_.size);
    char* to = filling_.data.get() + filling_.size;
    if (to != at) std::memmove(to, at, n);
    filling_.size += n;
    at += n;
    len -= n;
  }
  return 0;
}

void Connection::MaybeHandOver() {
  // A full Chunk goes to the sink; so does a partial one when the sink has nothing to do, so
  // that a slow client's bytes are stored as they come rather than a Chunk later.
  if (filling_.size > 0 && (filling_.size == filling_.capacity || with_sink_ == 0)) HandOver();
}

void Connection::HandOver() {
  if (filling_.size == 0) return;
  ++with_sink_;
  stream_->Push(std::move(filling_));
  filling_ = Chunk{};
}

void Connection::FinishStream() {
  HandOver();
  stream_->End();
  stream_.reset();
  ReleaseChunks();
  state_ = State::kHandling;  // until the sink's OnEnd answers
  ArmTimer(server_.options.handler_timeout);
}

void Connection::AbortStream(const core::Error& why) {
  if (!stream_) return;
  // What was read of the body is the client's: the sink gets it before OnAbort (a resumable
  // upload goes on from there). While a read is under way into the Chunk, a copy goes.
  if (filling_.size > 0) {
    if (stream_reading_) {
      Chunk copy = TakeChunk(/*force=*/true);
      std::memcpy(copy.data.get(), filling_.data.get(), filling_.size);
      copy.size = filling_.size;
      filling_.size = 0;
      ++with_sink_;
      stream_->Push(std::move(copy));
    } else {
      HandOver();
    }
  }
  if (auto exchange = handling_.lock()) exchange->Cancel();  // the server answers, if anyone
  stream_->Abort(why);
  stream_.reset();
  stream_blocked_ = false;
  ReleaseChunks();
}

void Connection::OnChunkReturned(Chunk chunk) {
  --with_sink_;
  if (!stream_ || state_ != State::kStreaming) {
    FreeChunk(chunk);  // the body ended or was cut meanwhile
    return;
  }
  chunk.size = 0;
  spare_.push_back(std::move(chunk));
  if (stream_blocked_) {
    stream_blocked_ = false;
    ArmTimer(server_.options.read_timeout);
    StreamRead();
  }
}

Chunk Connection::TakeChunk(bool force) {
  if (!spare_.empty()) {
    Chunk chunk = std::move(spare_.back());
    spare_.pop_back();
    return chunk;
  }
  const std::size_t size = server_.stream_chunk;
  if (!force && chunk_bytes_ + size > server_.stream_bound) return {};
  Chunk chunk{std::make_unique_for_overwrite<char[]>(size), size, 0};
  chunk_bytes_ += size;
  server_.NoteStreamBytes(static_cast<std::ptrdiff_t>(size), chunk_bytes_);
  return chunk;
}

void Connection::FreeChunk(Chunk& chunk) {
  if (!chunk.data) return;
  chunk_bytes_ -= chunk.capacity;
  server_.NoteStreamBytes(-static_cast<std::ptrdiff_t>(chunk.capacity), chunk_bytes_);
  chunk = Chunk{};
}

void Connection::ReleaseChunks() {
  if (stream_reading_) {
    // The socket may still write into filling_: stop the read, and keep the memory until its
    // handler has run (OnStreamRead).
    std::error_code ec;
    socket_.cancel(ec);
    orphan_ = std::move(filling_);
    filling_ = Chunk{};
  }
  FreeChunk(filling_);
  for (auto& c : spare_)
    FreeChunk(c);
  spare_.clear();
}

// --- Connection: writing -------------------------------------------------------------------------

void Connection::WriteResponse(const Request& request, Response& response, bool close_after,
                               SteadyClock::time_point start) {
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  server_.dispatcher.Finalize(request, response, seconds);
  out_body_ = std::move(response.body);
  out_file_ = std::move(response.file);
  SerializeHead(out_head_, response, out_file_ ? out_file_->length : out_body_.size(),
                !close_after);
  const bool with_body =
      request.method != Method::kHead && response.status != 204 && response.status != 304;
  if (out_file_ && (!with_body || out_file_->length == 0)) out_file_.reset();
  state_ = State::kWriting;
  ArmTimer(server_.options.write_timeout);
  std::array<asio::const_buffer, 2> buffers{
      asio::buffer(out_head_), asio::buffer(out_body_.data(), with_body ? out_body_.size() : 0)};
  asio::async_write(
      socket_, buffers,
      [self = shared_from_this(), close_after](const std::error_code& ec, std::size_t) {
        if (self->state_ == State::kClosed) return;
        if (ec) return self->Close();
        if (self->out_file_) return self->SendFile(close_after);
        self->AfterWrite(close_after);
      });
}

void Connection::SendFile(bool close_after) {
  // sendfile(2) on the non-blocking socket: the kernel copies from the page cache to the socket
  // until its buffer is full, then Asio says when it is writable again. (A page not yet in the
  // cache is read from disk inside the call; the kernel's read-ahead keeps that rare for a file
  // read in order.)
  if (!non_blocking_) {
    std::error_code ec;
    socket_.native_non_blocking(true, ec);
    if (ec) return Close();
    non_blocking_ = true;
  }
  auto& file = *out_file_;
  for (int i = 0; i < kSendfileSlicesPerTurn && file.length > 0;) {
    auto offset = static_cast<off_t>(file.offset);
    const auto n =
        ::sendfile(socket_.native_handle(), file.file->fd(), &offset,
                   static_cast<std::size_t>(std::min<std::uint64_t>(file.length, kSendfileSlice)));
    if (n > 0) {
      file.offset += static_cast<std::uint64_t>(n);
      file.length -= static_cast<std::uint64_t>(n);
      ArmTimer(server_.options.write_timeout);  // for a file, the time allowed for each piece
      ++i;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      socket_.async_wait(tcp::socket::wait_write,
                         [self = shared_from_this(), close_after](const std::error_code& ec) {
                           if (self->state_ != State::kWriting) return;
                           if (ec) return self->Close();
                           self->SendFile(close_after);
                         });
      return;
    }
    // 0: the file ended before the length its response promised (it shrank meanwhile); the
    // response cannot be completed, so the client must see it cut.
    if (n == 0) spdlog::warn("file body ended {} bytes early", file.length);
    return Close();
  }
  if (file.length > 0) {
    asio::post(executor(), [self = shared_from_this(), close_after] {
      if (self->state_ == State::kWriting) self->SendFile(close_after);
    });
    return;
  }
  out_file_.reset();
  AfterWrite(close_after);
}

void Connection::AfterWrite(bool close_after) {
  out_body_.clear();
  if (close_after || draining_) {
    Linger();
    return;
  }
  BeginRequest();
}

void Connection::Linger() {
  // Closing at once could reset the connection before the client read our response (it may
  // still be sending a body we refused); half-close and drain for a moment instead.
  state_ = State::kLinger;
  std::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return Close();
  ArmTimer(std::chrono::duration_cast<std::chrono::milliseconds>(kLingerTime));
  LingerRead();
}

void Connection::LingerRead() {
  socket_.async_read_some(asio::buffer(discard_),
                          [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
                            if (self->state_ != State::kLinger) return;
                            self->discarded_ += n;
                            if (ec || self->discarded_ > kMaxLingerBytes) return self->Close();
                            self->LingerRead();
                          });
}

void Connection::Close() {
  if (state_ == State::kClosed) return;
  AbortStream(ConnectionClosed());
  state_ = State::kClosed;
  out_file_.reset();
  deadline_ = SteadyClock::time_point::max();
  std::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  parsing_.reset();
  server_.registries[context_index_].erase(this);
  server_.active.fetch_sub(1);
}

// --- Connection: timers --------------------------------------------------------------------------

void Connection::ArmTimer(std::chrono::milliseconds after) {
  deadline_ = SteadyClock::now() + after;
}

void Connection::OnTimeout() {
  switch (state_) {
    case State::kIdle:
    case State::kWriting:
    case State::kLinger:
      Close();
      break;
    case State::kReading:
      Fail(408, ProtocolError(408));
      break;
    case State::kStreaming:
      if (stream_blocked_) {
        spdlog::warn("a body sink took more than {} ms to take a piece",
                     server_.options.handler_timeout.count());
        Fail(503, HandlerTimeout());
      } else {
        Fail(408, ProtocolError(408));  // no bytes for read_timeout
      }
      break;
    case State::kHandling:
      spdlog::warn("request timed out in its handler after {} ms",
                   server_.options.handler_timeout.count());
      Fail(503, HandlerTimeout());  // advances seq_: a late answer is dropped
      break;
    case State::kClosed:
      break;
  }
}

// --- Server --------------------------------------------------------------------------------------

core::WorkPool& Server::Impl::StreamPool() {
  std::call_once(stream_pool_once, [this] {
    // A stream has one task queued or running at most, and streams are at most max_streams.
    stream_pool = std::make_unique<core::WorkPool>(
        "body", std::max<std::size_t>(1, options.stream_threads), options.max_streams + 1);
  });
  return *stream_pool;
}

void Server::Impl::NoteStreamBytes(std::ptrdiff_t delta, std::size_t held) {
  if (delta >= 0) {
    stream_bytes.fetch_add(static_cast<std::size_t>(delta));
  } else {
    stream_bytes.fetch_sub(static_cast<std::size_t>(-delta));
  }
  auto peak = stream_peak.load();
  while (held > peak && !stream_peak.compare_exchange_weak(peak, held)) {
  }
}

void Server::Impl::Accept() {
  auto& target = *contexts[next_context];
  const std::size_t index = next_context;
  next_context = (next_context + 1) % contexts.size();
  acceptor->async_accept(target, [this, index](const std::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
    if (ec) {
      // Out of file descriptors and the like: wait a little instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      accept_retry->expires_after(std::chrono::milliseconds(50));
      accept_retry->async_wait([this](const std::error_code& e) {
        if (!e) Accept();
      });
      return;
    }
    if (accepted) accepted->Inc();
    if (active.load() >= options.max_connections) {
      RejectOverCapacity(std::move(socket));
    } else {
      active.fetch_add(1);
      auto conn = std::make_shared<Connection>(*this, std::move(socket), index);
      asio::post(contexts[index]->get_executor(), [conn] { conn->Start(); });
    }
    Accept();
  });
}

void Server::Impl::Sweep(std::size_t index) {
  sweepers[index]->expires_after(sweep_every);
  sweepers[index]->async_wait([this, index](const std::error_code& ec) {
    if (ec || !sweeping[index]) return;
    const auto now = SteadyClock::now();
    std::vector<std::shared_ptr<Connection>> due;  // a time-out may close (and unregister) one
    for (auto* c : registries[index]) {
      if (c->Due(now)) due.push_back(c->shared_from_this());
    }
    for (auto& c : due)
      c->TimeOutIfDue(now);
    Sweep(index);
  });
}

void Server::Impl::RejectOverCapacity(tcp::socket socket) {
  // Admission control: answer at once instead of letting the client wait in the backlog.
  if (rejected) rejected->Inc();
  auto sock = std::make_shared<tcp::socket>(std::move(socket));
  asio::async_write(*sock, asio::buffer(over_capacity_response),
                    [sock](const std::error_code&, std::size_t) {
                      std::error_code ec;
                      sock->shutdown(tcp::socket::shutdown_both, ec);
                      sock->close(ec);
                    });
}

Server::Server(ServerOptions options, Dispatcher& dispatcher, core::MetricsRegistry* metrics)
    : impl_(std::make_unique<Impl>(std::move(options), dispatcher)) {
  if (metrics) {
    impl_->accepted =
        &metrics->AddCounter("hoithi_connections_accepted_total", "TCP connections accepted");
    impl_->rejected = &metrics->AddCounter(
        "hoithi_connections_rejected_total",
        "Connections answered 503 at once because the server was at its connection limit");
    impl_->protocol_errors =
        &metrics->AddCounter("hoithi_http_protocol_errors_total",
                             "Requests refused while being read (malformed, too large, too slow)");
    auto* impl = impl_.get();
    metrics->AddGaugeFunction("hoithi_connections", "Open client connections",
                              [impl] { return static_cast<double>(impl->active.load()); });
    metrics->AddGaugeFunction("hoithi_http_streams", "Request bodies streaming to a sink",
                              [impl] { return static_cast<double>(impl->streams.load()); });
    metrics->AddGaugeFunction(
        "hoithi_http_stream_buffer_bytes",
        "Memory held for streamed request bodies (read, not yet taken by their sink)",
        [impl] { return static_cast<double>(impl->stream_bytes.load()); });
  }
}

Server::~Server() {
  Shutdown(std::chrono::milliseconds(0));
}

core::Result<std::uint16_t> Server::Start() {
  auto& impl = *impl_;
  const int threads = std::max(1, impl.options.threads);
  for (int i = 0; i < threads; ++i) {
    impl.contexts.push_back(std::make_unique<asio::io_context>(1));
    impl.guards.push_back(asio::make_work_guard(*impl.contexts.back()));
  }
  impl.registries.resize(static_cast<std::size_t>(threads));

  std::error_code ec;
  const auto address = asio::ip::make_address(impl.options.bind, ec);
  if (ec) {
    return core::MakeError(
        core::ErrorKind::kValidation, "config_invalid",
        "server.bind: \"" + impl.options.bind + "\" không phải địa chỉ IP hợp lệ", "server.bind");
  }
  impl.acceptor = std::make_unique<tcp::acceptor>(*impl.contexts[0]);
  const tcp::endpoint endpoint(address, impl.options.port);
  impl.acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl.acceptor->bind(endpoint, ec);
  if (!ec) impl.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::MakeError(core::ErrorKind::kUnavailable, "bind_failed",
                           "Không mở được cổng " + impl.options.bind + ":" +
                               std::to_string(impl.options.port) + ": " + ec.message());
  }
  const auto port = impl.acceptor->local_endpoint().port();
  impl.accept_retry = std::make_unique<asio::steady_timer>(*impl.contexts[0]);

  Request probe;
  probe.path = "/";
  auto overloaded = impl.dispatcher.Failure(probe, OverCapacity());
  overloaded.status = 503;
  impl.dispatcher.Finalize(probe, overloaded, 0);
  SerializeHead(impl.over_capacity_response, overloaded, overloaded.body.size(), false);
  impl.over_capacity_response += overloaded.body;

  // Deadlines are enforced to within an eighth of the shortest timeout (at most 250 ms).
  const auto shortest =
      std::min({impl.options.read_timeout, impl.options.idle_timeout, impl.options.write_timeout,
                impl.options.handler_timeout,
                std::chrono::duration_cast<std::chrono::milliseconds>(kLingerTime)});
  impl.sweep_every =
      std::clamp(shortest / 8, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
  for (int i = 0; i < threads; ++i) {
    impl.sweepers.push_back(
        std::make_unique<asio::steady_timer>(*impl.contexts[static_cast<std::size_t>(i)]));
    impl.sweeping.push_back(1);
    impl.Sweep(static_cast<std::size_t>(i));
  }
  impl.Accept();
  for (int i = 0; i < threads; ++i) {
    impl.threads.emplace_back([&impl, i] {
      const std::string name = "hoithi-net-" + std::to_string(i);
      pthread_setname_np(pthread_self(), name.c_str());
      // sendfile has no MSG_NOSIGNAL: a client gone mid-download must give EPIPE, not a
      // SIGPIPE that ends the process when the program has not ignored it.
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
      for (;;) {
        try {
          impl.contexts[static_cast<std::size_t>(i)]->run();
          return;
        } catch (const std::exception& e) {
          // The one catch-all of the network loop: log, and keep serving.
          spdlog::error("network thread {}: unexpected exception: {}", i, e.what());
        }
      }
    });
  }
  impl.started = true;
  return port;
}

void Server::Shutdown(std::chrono::milliseconds grace) {
  auto& impl = *impl_;
  if (!impl.started || impl.stopped) return;
  impl.stopped = true;
  asio::post(*impl.contexts[0], [&impl] {
    std::error_code ec;
    impl.acceptor->close(ec);
    impl.accept_retry->cancel();
  });
  for (std::size_t i = 0; i < impl.contexts.size(); ++i) {
    asio::post(*impl.contexts[i], [&impl, i] {
      const auto conns = impl.registries[i];  // BeginShutdown may erase from the registry
      for (auto* c : conns)
        c->BeginShutdown();
    });
  }
  const auto deadline = SteadyClock::now() + grace;
  while (impl.active.load() > 0 && SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (impl.active.load() > 0) {
    spdlog::warn("shutdown: closing {} connections still busy after the grace period",
                 impl.active.load());
    for (std::size_t i = 0; i < impl.contexts.size(); ++i) {
      asio::post(*impl.contexts[i], [&impl, i] {
        const auto conns = impl.registries[i];
        for (auto* c : conns)
          c->Close();
      });
    }
  }
  for (std::size_t i = 0; i < impl.contexts.size(); ++i) {
    asio::post(*impl.contexts[i], [&impl, i] {
      impl.sweeping[i] = 0;
      impl.sweepers[i]->cancel();
    });
  }
  for (auto& g : impl.guards)
    g.reset();
  for (auto& t : impl.threads) {
    if (t.joinable()) t.join();
  }
  // The sinks of the streams cut above get their OnAbort before this returns.
  if (impl.stream_pool) impl.stream_pool->Stop();
}

std::size_t Server::active_connections() const {
  return impl_->active.load();
}

StreamStats Server::stream_stats() const {
  return {impl_->streams.load(), impl_->stream_bytes.load(), impl_->stream_peak.load()};
}

}  // namespace hoithi::http
