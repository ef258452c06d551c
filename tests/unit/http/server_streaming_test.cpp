// http::Server in this process with routes of its own (not the app's), through real sockets:
// request bodies streamed to a sink (bounded buffering, cuts, timeouts, limits, refusals before
// any byte is read, chunked bodies), per-route body limits, and file responses (ranges,
// validators, HEAD, downloads).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "http/file_response.hpp"
#include "http/service.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

namespace hoithi::http {
namespace {

using namespace std::chrono_literals;
using testing::HttpClient;

constexpr std::size_t kMiB = 1 << 20;

/// The byte at `offset` of every test body: no period a misplaced piece could hide in.
char PatternByte(std::uint64_t i) {
  std::uint64_t x = i * 0x9E3779B97F4A7C15ULL;
  x ^= x >> 29;
  return static_cast<char>(x & 0xff);
}

std::string Pattern(std::uint64_t offset, std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    s[i] = PatternByte(offset + i);
  return s;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Waits up to `limit` for `condition`, checking every few milliseconds.
template <class F>
bool WaitFor(F condition, std::chrono::milliseconds limit = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

/// What the test sinks saw, per upload name.
struct Upload {
  std::string path;  // where the sink wrote the body
  std::uint64_t received = 0;
  int data_calls = 0;
  bool ended = false;
  bool aborted = false;
  std::string abort_code;
  bool on_network_thread = false;  // a sink call ran on a network thread (must not)
};

class Uploads {
 public:
  Upload Get(const std::string& name) {
    std::lock_guard lock(mu_);
    return uploads_[name];
  }
  template <class F>
  void Update(const std::string& name, F f) {
    std::lock_guard lock(mu_);
    f(uploads_[name]);
    cv_.notify_all();
  }
  bool Has(const std::string& name) {
    std::lock_guard lock(mu_);
    return uploads_.contains(name);
  }

  // The gate: while closed, OnData waits (a sink that cannot keep up).
  void CloseGate() {
    std::lock_guard lock(mu_);
    gate_open_ = false;
  }
  void OpenGate() {
    std::lock_guard lock(mu_);
    gate_open_ = true;
    cv_.notify_all();
  }
  void WaitAtGate() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return gate_open_; });
  }

  std::atomic<int> handler_calls{0};
  std::atomic<std::uint64_t> fail_after{0};  // OnData fails past this many bytes (0: never)
  std::atomic<int> data_delay_ms{0};         // each OnData takes this long (a slow disk)

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Upload> uploads_;
  bool gate_open_ = true;
};

bool OnNetworkThread() {
  char name[32] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return std::string_view(name).starts_with("hoithi-net-");
}

/// Writes the body to a real file, fsyncs it at the end, answers with what it got.
class FileSink final : public BodySink {
 public:
  FileSink(Uploads& uploads, std::string name, std::string path)
      : uploads_(uploads), name_(std::move(name)), path_(std::move(path)) {
    uploads_.Update(name_, [&](Upload& u) {
      u = Upload{};
      u.path = path_;
    });
  }
  ~FileSink() override {
    if (fd_ >= 0) ::close(fd_);
  }

  core::Status OnData(std::string_view bytes) override {
    Note();
    uploads_.WaitAtGate();
    std::this_thread::sleep_for(std::chrono::milliseconds(uploads_.data_delay_ms.load()));
    if (fd_ < 0) fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const auto limit = uploads_.fail_after.load();
    if (limit > 0 && written_ + bytes.size() > limit) {
      return core::MakeError(core::ErrorKind::kInsufficientStorage, "disk_full",
                             "Ổ đĩa của máy chủ đã đầy.");
    }
    for (std::size_t done = 0; done < bytes.size();) {
      const auto n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) return core::MakeError(core::ErrorKind::kInternal, "write_failed", "Lỗi ghi.");
      done += static_cast<std::size_t>(n);
    }
    written_ += bytes.size();
    uploads_.Update(name_, [&](Upload& u) {
      u.received = written_;
      ++u.data_calls;
    });
    return core::Ok();
  }

  void OnEnd(Responder responder) override {
    Note();
    if (fd_ >= 0) ::fsync(fd_);
    uploads_.Update(name_, [](Upload& u) { u.ended = true; });
    responder.Send(Response::Text(200, "received=" + std::to_string(written_)));
  }

  void OnAbort(const core::Error& why) override {
    Note();
    if (fd_ >= 0) ::fsync(fd_);  // keeps what arrived
    uploads_.Update(name_, [&](Upload& u) {
      u.aborted = true;
      u.abort_code = why.code;
    });
  }

 private:
  void Note() {
    if (OnNetworkThread()) uploads_.Update(name_, [](Upload& u) { u.on_network_thread = true; });
  }

  Uploads& uploads_;
  std::string name_;
  std::string path_;
  int fd_ = -1;
  std::uint64_t written_ = 0;
};

/// A client on a raw socket: what curl would not do (cut a body, pipeline, hold back).
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawClient() { Close(); }

  bool connected() const { return fd_ >= 0; }

  /// False when the server closed or reset the connection.
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
      sent_ += static_cast<std::uint64_t>(n);
    }
    return true;
  }

  struct Reply {
    int status = 0;  // 0: none (closed or timed out first)
    std::map<std::string, std::string> headers;
    std::string body;
    std::string Header(const std::string& name) const {
      const auto it = headers.find(name);
      return it == headers.end() ? std::string() : it->second;
    }
  };

  /// The next response (a 100 Continue counts as one), its body by Content-Length.
  Reply Read(std::chrono::milliseconds wait = 20s) {
    Reply r;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    std::size_t end;
    while ((end = in_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return r;
    }
    const std::string head = in_.substr(0, end);
    in_.erase(0, end + 4);
    if (!head.starts_with("HTTP/1.1 ")) return r;
    r.status = std::atoi(head.c_str() + 9);
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
      const auto next = head.find("\r\n", pos + 2);
      const auto line =
          head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& c : name)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
      }
      pos = next;
    }
    const std::size_t length =
        r.headers.contains("content-length") ? std::stoull(r.headers["content-length"]) : 0;
    while (in_.size() < length) {
      if (!Fill(deadline)) break;
    }
    r.body = in_.substr(0, length);
    in_.erase(0, std::min(length, in_.size()));
    return r;
  }

  /// What the server sent first (at least one byte, unless it sent nothing within `wait`).
  std::string ReadSome(std::chrono::milliseconds wait = 5s) {
    if (in_.empty()) Fill(std::chrono::steady_clock::now() + wait);
    return std::exchange(in_, std::string());
  }

  /// True when the server closed the connection within `wait` (after what it had sent).
  bool ClosedByServer(std::chrono::milliseconds wait = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
      char buf[4096];
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;
    }
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  std::uint64_t sent() const { return sent_; }

 private:
  bool Fill(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[65536];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    in_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string in_;
  std::atomic<std::uint64_t> sent_{0};
};

std::string StreamHead(const std::string& method, const std::string& path, std::uint64_t length,
                       const std::string& extra = {}) {
  return method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(length) +
         "\r\n" + extra + "\r\n";
}

/// A Service with test routes and a test middleware, served by http::Server on an ephemeral
/// port of 127.0.0.1.
class TestServer {
 public:
  static constexpr std::size_t kGlobalLimit = 64 * 1024;
  static constexpr std::size_t kStreamBuffer = 1 * kMiB;

  explicit TestServer(ServerOptions options = Defaults()) {
    Router router;
    // Streams: a large upload, a small one, one whose handler refuses.
    for (const char* pattern : {"/uploads/{name}", "/small/{name}"}) {
      const std::size_t limit = std::string_view(pattern) == "/small/{name}" ? 1000 : 256 * kMiB;
      router.AddStreaming(Method::kPatch, pattern, Access::Anyone().MaxBody(limit),
                          [this](Request& req, Responder) -> std::shared_ptr<BodySink> {
                            ++uploads.handler_calls;
                            const std::string name(req.Param("name"));
                            return std::make_shared<FileSink>(uploads, name,
                                                              dir.str() + "/" + name + ".part");
                          });
    }
    router.AddStreaming(Method::kPatch, "/conflict", Access::Anyone().MaxBody(256 * kMiB),
                        [this](Request&, Responder res) -> std::shared_ptr<BodySink> {
                          ++uploads.handler_calls;
                          res.SendError(core::MakeError(core::ErrorKind::kConflict,
                                                        "offset_mismatch", "Sai vị trí."));
                          return nullptr;
                        });
    // Bodies in memory: the server's limit, and a route's larger one.
    for (const char* pattern : {"/echo", "/echo-big"}) {
      const std::size_t limit = std::string_view(pattern) == "/echo-big" ? kMiB : 0;
      router.Add(Method::kPost, pattern, Access::Anyone().MaxBody(limit),
                 [](Request& req, Responder res) {
                   const bool exact = req.body == Pattern(0, req.body.size());
                   res.Send(Response::Text(
                       200, std::to_string(req.body.size()) + (exact ? " exact" : " corrupt")));
                 });
    }
    router.Add(
        Method::kGet, "/files/{name}", Access::Anyone(), [this](Request& req, Responder res) {
          FileOptions options;
          options.content_type =
              req.Param("name").ends_with(".txt") ? "text/plain; charset=utf-8" : "video/mp4";
          options.download_name = req.QueryParam("download").value_or("");
          auto r = ServeFile(req, dir.str() + "/" + std::string(req.Param("name")), options);
          if (!r) return res.SendError(r.error());
          res.Send(std::move(*r));
        });
    service_ = std::make_unique<Service>(std::move(router), ServiceOptions{{}, false, {}}, nullptr);
    // The middleware: what an auth gate does, before any body byte is read.
    service_->Use([](Request& req, const Route&, Responder& res) {
      if (req.Header("x-deny").empty()) return true;
      res.SendError(core::MakeError(core::ErrorKind::kForbidden, "forbidden", "Không được phép."));
      return false;
    });
    server_ = std::make_unique<Server>(options, *service_, nullptr);
    auto port = server_->Start();
    EXPECT_TRUE(port.ok());
    port_ = port ? *port : 0;
  }
  ~TestServer() { server_->Shutdown(2s); }

  static ServerOptions Defaults() {
    ServerOptions o;
    o.bind = "127.0.0.1";
    o.port = 0;
    o.threads = 2;
    o.max_body_bytes = kGlobalLimit;
    o.stream_buffer_bytes = kStreamBuffer;
    o.read_timeout = 10s;
    o.handler_timeout = 20s;
    return o;
  }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  Server& server() { return *server_; }

  testing::TempDir dir;
  Uploads uploads;

 private:
  std::unique_ptr<Service> service_;
  std::unique_ptr<Server> server_;
  int port_ = 0;
};

// --- streamed bodies -----------------------------------------------------------------------------

TEST(StreamingBody, ArrivesByteExactWhileTheServerHoldsNoMoreThanItsBound) {
  TestServer ts;
  const std::uint64_t total = 64 * kMiB;
  ts.uploads.CloseGate();  // the sink cannot keep up at first

  RawClient client(ts.port());
  ASSERT_TRUE(client.connected());
  std::thread sender([&] {
    client.Send(StreamHead("PATCH", "/uploads/big", total));
    for (std::uint64_t at = 0; at < total; at += kMiB) {
      if (!client.Send(Pattern(at, kMiB))) return;
    }
  });

  // The server fills its bound for this body and stops reading: TCP holds the client back.
  ASSERT_TRUE(WaitFor(
      [&] { return ts.server().stream_stats().buffered_bytes >= TestServer::kStreamBuffer; }));
  std::this_thread::sleep_for(300ms);
  EXPECT_LE(ts.server().stream_stats().buffered_bytes, TestServer::kStreamBuffer);
  EXPECT_LT(client.sent(), total);
  EXPECT_EQ(ts.uploads.Get("big").received, 0u);

  ts.uploads.OpenGate();
  sender.join();
  const auto reply = client.Read();
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "received=" + std::to_string(total));

  const auto upload = ts.uploads.Get("big");
  EXPECT_TRUE(upload.ended);
  EXPECT_FALSE(upload.aborted);
  EXPECT_FALSE(upload.on_network_thread);
  const auto stored = ReadFile(upload.path);
  ASSERT_EQ(stored.size(), total);
  EXPECT_TRUE(stored == Pattern(0, total));
  EXPECT_LE(ts.server().stream_stats().peak_buffered_bytes, TestServer::kStreamBuffer);
  EXPECT_TRUE(WaitFor([&] {
    const auto s = ts.server().stream_stats();
    return s.streams == 0 && s.buffered_bytes == 0;
  }));
}

TEST(StreamingBody, SeveralBodiesFollowOneAnotherOnAKeptAliveConnection) {
  TestServer ts;
  RawClient client(ts.port());
  for (int i = 0; i < 3; ++i) {
    const std::string name = "part" + std::to_string(i);
    const std::size_t size = 3 * kMiB + static_cast<std::size_t>(i) * 777;
    ASSERT_TRUE(client.Send(StreamHead("PATCH", "/uploads/" + name, size) + Pattern(0, size)));
    const auto reply = client.Read();
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.Header("connection"), "keep-alive");
    EXPECT_TRUE(ReadFile(ts.uploads.Get(name).path) == Pattern(0, size));
  }
  // An empty body: the sink is ended without data.
  ASSERT_TRUE(client.Send(StreamHead("PATCH", "/uploads/empty", 0)));
  EXPECT_EQ(client.Read().body, "received=0");
  EXPECT_TRUE(ts.uploads.Get("empty").ended);
  // Pipelined: the first body's Content-Length ends it exactly where the next request begins.
  ASSERT_TRUE(client.Send(StreamHead("PATCH", "/uploads/p1", 300000) + Pattern(0, 300000) +
                          StreamHead("PATCH", "/uploads/p2", 5000) + Pattern(7, 5000) +
                          "GET /files/none HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(client.Read().body, "received=300000");
  EXPECT_EQ(client.Read().body, "received=5000");
  EXPECT_EQ(client.Read().status, 404);
  EXPECT_TRUE(ReadFile(ts.uploads.Get("p1").path) == Pattern(0, 300000));
  EXPECT_TRUE(ReadFile(ts.uploads.Get("p2").path) == Pattern(7, 5000));
}

TEST(StreamingBody, AChunkedBodyStreamsAndAPipelinedRequestFollows) {
  TestServer ts;
  std::string wire =
      "PATCH /uploads/chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::uint64_t total = 0;
  for (std::size_t size : {1u, 100u, 4096u, 70000u, 300000u, 5u, 1048576u, 123457u}) {
    char line[32];
    std::snprintf(line, sizeof line, "%zx\r\n", size);
    wire += line + Pattern(total, size) + "\r\n";
    total += size;
  }
  wire += "0\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n" + Pattern(0, 10);
  RawClient client(ts.port());
  ASSERT_TRUE(client.Send(wire));
  const auto first = client.Read();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "received=" + std::to_string(total));
  EXPECT_TRUE(ReadFile(ts.uploads.Get("chunked").path) == Pattern(0, total));
  const auto second = client.Read();
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "10 exact");
}

TEST(StreamingBody, WithExpectContinueTheServerAsksForTheBodyOnceTheSinkIsReady) {
  TestServer ts;
  RawClient client(ts.port());
  ASSERT_TRUE(client.Send(StreamHead("PATCH", "/uploads/asked", 5000, "Expect: 100-continue\r\n")));
  EXPECT_EQ(client.Read().status, 100);
  ASSERT_TRUE(client.Send(Pattern(0, 5000)));
  EXPECT_EQ(client.Read().body, "received=5000");
}

TEST(StreamingBody, ABodyCutMidwayAbortsTheSinkWhichKeepsEveryByteItGot) {
  TestServer ts;
  const std::uint64_t sent = 3 * kMiB + 12345;
  // A slow sink: when the end comes, the last bytes read still wait for it.
  ts.uploads.data_delay_ms = 20;
  {
    RawClient client(ts.port());
    ASSERT_TRUE(client.Send(StreamHead("PATCH", "/uploads/cut", 10 * kMiB) + Pattern(0, sent)));
  }  // closed mid-body
  ASSERT_TRUE(WaitFor([&] { return ts.uploads.Get("cut").aborted; }));
  const auto upload = ts.uploads.Get("cut");
  EXPECT_FALSE(upload.ended);
  EXPECT_EQ(upload.abort_code, "connection_closed");
  EXPECT_EQ(upload.received, sent);
  EXPECT_TRUE(ReadFile(upload.path) == Pattern(0, sent));
  EXPECT_FALSE(upload.on_network_thread);
  EXPECT_TRUE(WaitFor([&] { return ts.server().stream_stats().streams == 0; }));
}

TEST(StreamingBody, AClientThatStopsSendingIsCutAfterTheReadTimeoutAndTheSinkAborted) {
  auto options = TestServer::Defaults();
  options.read_timeout = 300ms;
  TestServer ts(options);
  RawClient client(ts.port());
  ASSERT_TRUE(client.Send(StreamHead("PATCH", "/uploads/stalled", kMiB) + Pattern(0, 4000)));
  const auto reply = client.Read();
  EXPECT_EQ(reply.status, 408);
  ASSERT_TRUE(WaitFor([&] { return ts.uploads.Get("stalled").aborted; }));
  EXPECT_EQ(ts.uploads.Get("stalled").abort_code, "request_timeout");
  EXPECT_EQ(ts.uploads.Get("stalled").received, 4000u);
}

TEST(StreamingBody, ASinkThatHoldsUpTheReadingBeyondTheHandlerTimeoutGets503) {
  auto options = TestServer::Defaults();
  options.handler_timeout = 300ms;
  TestServer ts(options);
  ts.uploads.CloseGate();  // a disk that hangs
  RawClient client(ts.port());
  std::thread sender([&] {
    client.Send(StreamHead("PATCH", "/uploads/stuck", 16 * kMiB));
    for (std::uint64_t at = 0; at < 16 * kMiB; at += kMiB) {
      if (!client.Send(Pattern(at, kMiB))) return;
    }
  });
  const auto reply = client.Read();
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.Header("retry-after"), "5");
  ts.uploads.OpenGate();  // the sink's call returns at last; then it hears of the end
  ASSERT_TRUE(WaitFor([&] { return ts.uploads.Get("stuck").aborted; }));
  EXPECT_EQ(ts.uploads.Get("stuck").abort_code, "timeout");
  EXPECT_FALSE(ts.uploads.Get("stuck").ended);
  sender.join();
}

TEST(StreamingBody, AtShutdownAStreamThatDoesNotEndInTimeIsAbortedBeforeShutdownReturns) {
  TestServer ts;
  RawClient client(ts.port());
  ASSERT_TRUE(client.Send(StreamHead("PATCH", "/uploads/late", 10 * kMiB) + Pattern(0, 200000)));
  ASSERT_TRUE(WaitFor([&] { return ts.uploads.Get("late").received == 200000; }));
  ts.server().Shutdown(200ms);
  const auto upload = ts.uploads.Get("late");
  EXPECT_TRUE(upload.aborted);
  EXPECT_FALSE(upload.ended);
  EXPECT_TRUE(ReadFile(upload.path) == Pattern(0, 200000));
  EXPECT_TRUE(client.ClosedByServer());
}

TEST(StreamingBody, OverTheRoutesLimitIs413BeforeAnyByteIsRead) {
  TestServer ts;
  RawClient client(ts.port());
  // Headers only: the answer must not wait for a body.
  ASSERT_TRUE(client.Send(StreamHead("PATCH", "/small/x", 5000)));
  const auto reply = client.Read(5s);
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.Header("connection"), "close");
  EXPECT_EQ(ts.uploads.handler_calls.load(), 0);
  EXPECT_FALSE(ts.uploads.Has("x"));
  // Within the limit the same route takes it.
  RawClient other(ts.port());
  ASSERT_TRUE(other.Send(StreamHead("PATCH", "/small/y", 1000) + Pattern(0, 1000)));
  EXPECT_EQ(other.Read().body, "received=1000");
}

TEST(StreamingBody, AChunkedBodyOverTheRoutesLimitIs413AndTheSinkAborted) {
  TestServer ts;
  std::string wire =
      "PATCH /small/chunky HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i)
    wire += "190\r\n" + Pattern(0, 400) + "\r\n";  // 1200 bytes > 1000
  wire += "0\r\n\r\n";
  RawClient client(ts.port());
  ASSERT_TRUE(client.Send(wire));
  EXPECT_EQ(client.Read().status, 413);
  ASSERT_TRUE(WaitFor([&] { return ts.uploads.Get("chunky").aborted; }));
  EXPECT_EQ(ts.uploads.Get("chunky").abort_code, "payload_too_large");
  EXPECT_LE(ts.uploads.Get("chunky").received, 1000u);
}

TEST(StreamingBody, AMiddlewareRefusalGoesOutBeforeAnyByteReachesASink) {
  TestServer ts;
  {
    // The client waits for 100 Continue; it gets the refusal instead.
    RawClient client(ts.port());
    ASSERT_TRUE(client.Send(StreamHead("PATCH", "/uploads/denied", 50 * kMiB,
                                       "X-Deny: 1\r\nExpect: 100-continue\r\n")));
    const auto reply = client.Read(5s);
    EXPECT_EQ(reply.status, 403);
    EXPECT_EQ(reply.Header("connection"), "close");
  }
  {
    // A client that sends its body at once: refused all the same, nothing stored.
    RawClient client(ts.port());
    ASSERT_TRUE(client.Send(StreamHead("PATCH", "/uploads/denied2", 50 * kMiB, "X-Deny: 1\r\n") +
                            Pattern(0, 256 * 1024)));
    EXPECT_EQ(client.Read(5s).status, 403);
    EXPECT_TRUE(client.ClosedByServer());
  }
  EXPECT_EQ(ts.uploads.handler_calls.load(), 0);
  EXPECT_FALSE(ts.uploads.Has("denied"));
  EXPECT_FALSE(ts.uploads.Has("denied2"));
  EXPECT_EQ(ts.server().stream_stats().peak_buffered_bytes, 0u);
}

TEST(StreamingBody, AHandlerRefusalIsTheAnswerAndTheBodyIsNotRead) {
  TestServer ts;
  RawClient client(ts.port());
  ASSERT_TRUE(client.Send(StreamHead("PATCH", "/conflict", 8 * kMiB)));
  const auto reply = client.Read(5s);
  EXPECT_EQ(reply.status, 409);
  EXPECT_NE(reply.body.find("offset_mismatch"), std::string::npos);
  EXPECT_EQ(ts.uploads.handler_calls.load(), 1);
  EXPECT_EQ(ts.server().stream_stats().peak_buffered_bytes, 0u);
}

TEST(StreamingBody, ASinkThatRefusesDataAnswersWithItsErrorAndIsAborted) {
  TestServer ts;
  ts.uploads.fail_after = 2 * kMiB;
  RawClient client(ts.port());
  std::thread sender([&] {
    client.Send(StreamHead("PATCH", "/uploads/full", 16 * kMiB));
    for (std::uint64_t at = 0; at < 16 * kMiB; at += kMiB) {
      if (!client.Send(Pattern(at, kMiB))) return;  // the server stops reading and closes
    }
  });
  const auto reply = client.Read();
  EXPECT_EQ(reply.status, 507);
  EXPECT_NE(reply.body.find("disk_full"), std::string::npos);
  ASSERT_TRUE(WaitFor([&] { return ts.uploads.Get("full").aborted; }));
  EXPECT_EQ(ts.uploads.Get("full").abort_code, "disk_full");
  EXPECT_FALSE(ts.uploads.Get("full").ended);
  sender.join();  // ends when the server, having answered, closes
}

TEST(StreamingBody, OverTheStreamLimitA503GoesOutBeforeTheBody) {
  auto options = TestServer::Defaults();
  options.max_streams = 1;
  TestServer ts(options);
  ts.uploads.CloseGate();
  RawClient first(ts.port());
  ASSERT_TRUE(first.Send(StreamHead("PATCH", "/uploads/one", 1000) + Pattern(0, 10)));
  ASSERT_TRUE(WaitFor([&] { return ts.server().stream_stats().streams == 1; }));
  RawClient second(ts.port());
  ASSERT_TRUE(second.Send(StreamHead("PATCH", "/uploads/two", 1000)));
  const auto reply = second.Read(5s);
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.Header("retry-after"), "5");
  ts.uploads.OpenGate();
  ASSERT_TRUE(first.Send(Pattern(10, 990)));
  EXPECT_EQ(first.Read().body, "received=1000");
}

/// The memory this process holds: the resident set, or under AddressSanitizer the live heap
/// (its quarantine keeps freed blocks resident for a while, which would count every buffer ever
/// freed).
#if defined(__SANITIZE_ADDRESS__)
extern "C" std::size_t
__sanitizer_get_current_allocated_bytes();  // <sanitizer/allocator_interface.h>
#endif

std::size_t HeldBytes() {
#if defined(__SANITIZE_ADDRESS__)
  return __sanitizer_get_current_allocated_bytes();
#else
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
#endif
}

TEST(StreamingBody, MemoryStaysBoundedOverAGibibyteInEightMiBPatches) {
  // A tus-like upload: 1 GiB as 128 PATCHes of 8 MiB on one connection, each stored and fsynced
  // by the sink. The memory the process holds (server and this client) must not follow the
  // bytes: the client sends from one buffer, the server holds at most its stream buffer.
  TestServer ts;
  const std::size_t patch = 8 * kMiB;
  const int patches = 128;
  const std::string body = Pattern(0, patch);
  RawClient client(ts.port());
  ASSERT_TRUE(client.Send(StreamHead("PATCH", "/uploads/warm", 1000) + Pattern(0, 1000)));
  ASSERT_EQ(client.Read().status, 200);  // the body pool exists before the baseline

  const std::size_t before = HeldBytes();
  std::atomic<bool> done{false};
  std::atomic<std::size_t> peak{before};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak.load(), HeldBytes());
      std::this_thread::sleep_for(5ms);
    }
  });
  bool all_ok = true;
  for (int i = 0; i < patches && all_ok; ++i) {
    all_ok = client.Send(StreamHead("PATCH", "/uploads/gib", patch)) && client.Send(body) &&
             client.Read().body == "received=" + std::to_string(patch);
  }
  done = true;
  sampler.join();
  EXPECT_TRUE(all_ok);
  const auto growth = peak.load() - before;
  std::printf(
      "1 GiB in 8 MiB PATCHes: memory held grew by %.1f MiB (peak stream buffer "
      "%.1f MiB)\n",
      static_cast<double>(growth) / kMiB,
      static_cast<double>(ts.server().stream_stats().peak_buffered_bytes) / kMiB);
  EXPECT_LT(growth, 64 * kMiB);
  EXPECT_LE(ts.server().stream_stats().peak_buffered_bytes, TestServer::kStreamBuffer);
  EXPECT_TRUE(ReadFile(ts.uploads.Get("gib").path) == body);
}

// --- limits and framing of bodies in memory ------------------------------------------------------

TEST(BodyLimits, ARouteMayTakeMoreThanTheServersLimit) {
  TestServer ts;
  HttpClient client(ts.url());
  const auto big = client.Post("/echo-big", Pattern(0, 512 * 1024), "application/octet-stream");
  EXPECT_EQ(big.status, 200);
  EXPECT_EQ(big.body, "524288 exact");
  EXPECT_EQ(client.Post("/echo-big", Pattern(0, kMiB + 1), "application/octet-stream").status, 413);
  // The other routes keep the server's limit.
  HttpClient other(ts.url());
  EXPECT_EQ(other.Post("/echo", Pattern(0, 100 * 1024), "application/octet-stream").status, 413);
  EXPECT_EQ(other.Post("/echo", Pattern(0, 1000), "application/octet-stream").body, "1000 exact");
}

TEST(BodyLimits, BothContentLengthAndTransferEncodingIs400) {
  TestServer ts;
  RawClient client(ts.port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\n\r\n"));
  EXPECT_EQ(client.Read(5s).status, 400);
  RawClient stream(ts.port());
  ASSERT_TRUE(
      stream.Send("PATCH /uploads/both HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
  EXPECT_EQ(stream.Read(5s).status, 400);
  EXPECT_EQ(ts.uploads.handler_calls.load(), 0);
}

// --- file responses ------------------------------------------------------------------------------

class FileResponses : public ::testing::Test {
 protected:
  void SetUp() override {
    video_ = Pattern(0, kVideoSize);
    std::ofstream(ts_.dir.str() + "/clip.mp4", std::ios::binary) << video_;
    text_ = std::string(20000, 'a');
    std::ofstream(ts_.dir.str() + "/notes.txt", std::ios::binary) << text_;
  }
  static constexpr std::size_t kVideoSize = 24 * kMiB + 321;
  TestServer ts_;
  HttpClient client_{ts_.url()};
  std::string video_, text_;
};

TEST_F(FileResponses, AGetSendsTheWholeFileWithItsValidators) {
  const auto r = client_.Get("/files/clip.mp4");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "video/mp4");
  EXPECT_EQ(r.Header("content-length"), std::to_string(kVideoSize));
  EXPECT_EQ(r.Header("accept-ranges"), "bytes");
  EXPECT_EQ(r.Header("cache-control"), "private, no-cache");
  EXPECT_FALSE(r.Header("etag").empty());
  EXPECT_TRUE(ParseHttpDate(r.Header("last-modified")).has_value());
  EXPECT_TRUE(r.body == video_);
  EXPECT_EQ(client_.Get("/files/missing.mp4").status, 404);
}

TEST_F(FileResponses, AClientGoneMidDownloadLeavesTheServerServing) {
  // The test process does not ignore SIGPIPE: sendfile to a closed socket must not raise it.
  for (int i = 0; i < 3; ++i) {
    RawClient client(ts_.port());
    ASSERT_TRUE(client.Send("GET /files/clip.mp4 HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_TRUE(client.ReadSome().starts_with("HTTP/1.1 200 OK\r\n"));
    client.Close();  // with most of the body unread: a reset
  }
  EXPECT_TRUE(WaitFor([&] { return ts_.server().active_connections() == 0; }));
  EXPECT_TRUE(client_.Get("/files/clip.mp4").body == video_);
}

TEST_F(FileResponses, HeadAnswersTheHeadersOnly) {
  const auto r = client_.Request("HEAD", "/files/clip.mp4", "", {});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-length"), std::to_string(kVideoSize));
  EXPECT_TRUE(r.body.empty());
  // The connection goes on: nothing of the body was sent.
  EXPECT_EQ(client_.Get("/files/notes.txt").body, text_);
}

TEST_F(FileResponses, RangesAnswer206WithTheirBytes) {
  struct Case {
    std::string range;
    std::uint64_t first, last;
  };
  const std::uint64_t size = kVideoSize;
  for (const auto& c :
       std::vector<Case>{{"bytes=0-99", 0, 99},
                         {"bytes=1000000-2999999", 1000000, 2999999},
                         {"bytes=-500", size - 500, size - 1},
                         {"bytes=" + std::to_string(size - 10) + "-", size - 10, size - 1},
                         {"bytes=5-" + std::to_string(size * 2), 5, size - 1}}) {
    const auto r = client_.Get("/files/clip.mp4", {"Range: " + c.range});
    ASSERT_EQ(r.status, 206) << c.range;
    EXPECT_EQ(r.Header("content-range"), "bytes " + std::to_string(c.first) + "-" +
                                             std::to_string(c.last) + "/" + std::to_string(size))
        << c.range;
    EXPECT_EQ(r.Header("content-length"), std::to_string(c.last - c.first + 1));
    EXPECT_TRUE(r.body == video_.substr(c.first, c.last - c.first + 1)) << c.range;
  }
}

TEST_F(FileResponses, ARangePastTheEndIs416) {
  const auto r =
      client_.Get("/files/clip.mp4", {"Range: bytes=" + std::to_string(kVideoSize) + "-"});
  EXPECT_EQ(r.status, 416);
  EXPECT_EQ(r.Header("content-range"), "bytes */" + std::to_string(kVideoSize));
  EXPECT_EQ(client_.Get("/files/clip.mp4", {"Range: bytes=-0"}).status, 416);
}

TEST_F(FileResponses, SeveralRangesOrAMalformedOneGetTheWholeFile) {
  for (const char* range : {"bytes=0-1,5-9", "bytes=9-5", "bytes=abc", "lines=1-2"}) {
    const auto r = client_.Get("/files/notes.txt", {std::string("Range: ") + range});
    EXPECT_EQ(r.status, 200) << range;
    EXPECT_EQ(r.body, text_) << range;
  }
}

TEST_F(FileResponses, ACurrentCopyGets304ByEtagOrDate) {
  const auto first = client_.Get("/files/clip.mp4", {"Range: bytes=0-0"});
  const auto etag = first.Header("etag");
  const auto modified = first.Header("last-modified");
  const auto by_etag = client_.Get("/files/clip.mp4", {"If-None-Match: " + etag});
  EXPECT_EQ(by_etag.status, 304);
  EXPECT_TRUE(by_etag.body.empty());
  EXPECT_EQ(by_etag.Header("etag"), etag);
  EXPECT_EQ(client_.Get("/files/clip.mp4", {"If-None-Match: \"other\", W/" + etag}).status, 304);
  EXPECT_EQ(client_.Get("/files/clip.mp4", {"If-Modified-Since: " + modified}).status, 304);
  const auto changed = client_.Get("/files/notes.txt", {"If-None-Match: \"other\""});
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(client_.Get("/files/clip.mp4", {"If-Match: \"other\""}).status, 412);
}

TEST_F(FileResponses, IfRangeGivesTheRangeOnlyForTheSameVersion) {
  const auto etag = client_.Get("/files/notes.txt", {"Range: bytes=0-0"}).Header("etag");
  const auto same = client_.Get("/files/notes.txt", {"Range: bytes=10-19", "If-Range: " + etag});
  EXPECT_EQ(same.status, 206);
  EXPECT_EQ(same.body, text_.substr(10, 10));
  const auto other =
      client_.Get("/files/notes.txt", {"Range: bytes=10-19", "If-Range: \"an-old-version\""});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, text_);
}

TEST_F(FileResponses, AFileBodyIsNeverCompressed) {
  const auto r = client_.Get("/files/notes.txt", {"Accept-Encoding: gzip, br"});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.Header("content-encoding").empty());
  EXPECT_EQ(r.body, text_);
}

TEST_F(FileResponses, ADownloadNamesTheFileSafely) {
  const auto r =
      client_.Get("/files/clip.mp4?download=" + std::string("..%2FPh%C3%B3ng%20s%E1%BB%B1%22.mp4"),
                  {"Range: bytes=0-0"});
  EXPECT_EQ(r.Header("content-disposition"),
            "attachment; filename=\"Phong su_.mp4\"; "
            "filename*=UTF-8''Ph%C3%B3ng%20s%E1%BB%B1%22.mp4");
}

}  // namespace
}  // namespace hoithi::http
