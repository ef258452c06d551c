// The load generator of `make bench` (bench/run): plays the contest's peak through the real HTTP
// API on one thread (Asio with C++20 coroutines), so that it can be pinned to one core and still
// hold thousands of keep-alive connections. Scenarios: login (warm-up), setup, quiz, sync-start,
// read and storm. Prints a Markdown summary and table; --summary FILE gets key=value lines.
#include <algorithm>
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

using asio::awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;
constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);

struct Options {
  std::string scenario;
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int conns = 64;
  double seconds = 10;
  int users = 1000;  // participants 096xxxxxxx numbered first .. first + users - 1
  int first = 0;
  int skip = 0;       // tokens to pass over before taking this scenario's own
  double window = 5;  // sync-start: everyone presses Start within this many seconds
  long attempts = 0;  // quiz: stop after this many started attempts (0: run for --seconds)
  std::string tokens;
  std::string summary;
  std::string label;
  std::vector<std::string> paths = {"/"};
  std::string password = "hoithi-demo-2021";
};

std::string Phone(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "096%07d", i);
  return buf;
}

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct Response {
  int status = 0;  // 0: no answer (connection refused, reset or closed)
  int retry_after = 0;
  std::string cookie;  // the name=value of a Set-Cookie, if any (one is enough for the bench)
  std::string body;
};

bool HeaderIs(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

std::string_view HeaderValue(std::string_view line) {
  auto v = line.substr(line.find(':') + 1);
  while (!v.empty() && v.front() == ' ')
    v.remove_prefix(1);
  return v;
}

/// One keep-alive HTTP/1.1 connection. Only Content-Length bodies: what our server and nginx send.
class Conn {
 public:
  Conn(asio::io_context& io, tcp::endpoint endpoint) : socket_(io), endpoint_(endpoint) {}

  awaitable<Response> Send(const std::string& request) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool reused = socket_.is_open();
      if (!reused) {
        auto [ec] = co_await socket_.async_connect(endpoint_, kNoThrow);
        if (ec) {
          Reset();
          co_return Response{};
        }
        socket_.set_option(tcp::no_delay(true));
      }
      auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(request), kNoThrow);
      if (!ec) {
        bool nothing_read = false;
        auto r = co_await Read(nothing_read);
        // A reused connection the server closed while idle: send again on a new one.
        if (r.status != 0 || !reused || !nothing_read) co_return r;
      }
      Reset();
    }
    co_return Response{};
  }

 private:
  awaitable<Response> Read(bool& nothing_read) {
    Response r;
    auto [ec, head] =
        co_await asio::async_read_until(socket_, asio::dynamic_buffer(in_), "\r\n\r\n", kNoThrow);
    if (ec) {
      nothing_read = in_.empty();
      Reset();
      co_return r;
    }
    std::string_view text(in_.data(), head);
    if (text.size() < 12) {
      Reset();
      co_return r;
    }
    const int status = std::atoi(std::string(text.substr(9, 3)).c_str());
    std::size_t length = 0;
    bool close = false;
    for (std::size_t at = text.find("\r\n") + 2; at < text.size();) {
      const auto end = text.find("\r\n", at);
      const auto line = text.substr(at, end - at);
      if (HeaderIs(line, "content-length"))
        length = std::strtoul(std::string(HeaderValue(line)).c_str(), nullptr, 10);
      else if (HeaderIs(line, "set-cookie")) {
        const auto v = HeaderValue(line);
        r.cookie = std::string(v.substr(0, v.find(';')));
      } else if (HeaderIs(line, "retry-after"))
        r.retry_after = std::atoi(std::string(HeaderValue(line)).c_str());
      else if (HeaderIs(line, "connection"))
        close = HeaderValue(line).find("close") != std::string_view::npos;
      at = end + 2;
    }
    if (in_.size() < head + length) {
      auto [ec2, got] =
          co_await asio::async_read(socket_, asio::dynamic_buffer(in_),
                                    asio::transfer_exactly(head + length - in_.size()), kNoThrow);
      if (ec2) {
        Reset();
        co_return r;
      }
    }
    r.status = status;
    r.body.assign(in_.data() + head, length);
    in_.erase(0, head + length);
    if (close) Reset();
    co_return r;
  }

  void Reset() {
    asio::error_code ignored;
    socket_.close(ignored);
    in_.clear();
  }

  tcp::socket socket_;
  tcp::endpoint endpoint_;
  std::string in_;
};

std::string Request(std::string_view method, std::string_view path, std::string_view token,
                    std::string_view body, std::string_view extra_headers = "") {
  std::string r;
  r.reserve(200 + body.size());
  r.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  r.append(extra_headers);
  if (!token.empty()) r.append("Authorization: Bearer ").append(token).append("\r\n");
  if (method != "GET") {
    r.append("Content-Type: application/json\r\nContent-Length: ")
        .append(std::to_string(body.size()))
        .append("\r\n");
  }
  r.append("\r\n").append(body);
  return r;
}

/// Latencies and statuses per endpoint (one thread: no locking).
class Recorder {
 public:
  void Add(const std::string& endpoint, int status, double ms) {
    auto& e = endpoints_[endpoint];
    e.ms.push_back(static_cast<float>(ms));
    ++e.statuses[status];
  }

  long Requests() const {
    long n = 0;
    for (const auto& [name, e] : endpoints_)
      n += static_cast<long>(e.ms.size());
    return n;
  }

  /// Answers whose status is not in `ok` (0 counts: no answer at all).
  long Errors(std::initializer_list<int> ok) const {
    long n = 0;
    for (const auto& [name, e] : endpoints_) {
      for (const auto& [status, count] : e.statuses) {
        if (std::find(ok.begin(), ok.end(), status) == ok.end()) n += count;
      }
    }
    return n;
  }

  /// The q-quantile over every endpoint, or over one.
  double Quantile(double q, const std::string& only = "") {
    std::vector<float> all;
    for (const auto& [name, e] : endpoints_) {
      if (only.empty() || name == only) all.insert(all.end(), e.ms.begin(), e.ms.end());
    }
    if (all.empty()) return 0;
    const auto i = static_cast<std::size_t>(q * static_cast<double>(all.size() - 1));
    std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(i), all.end());
    return all[i];
  }

  void PrintTable(std::FILE* out, double seconds) {
    std::fprintf(out,
                 "| endpoint | requests | per s | p50 ms | p95 ms | p99 ms | max ms | statuses |\n"
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (auto& [name, e] : endpoints_) {
      std::sort(e.ms.begin(), e.ms.end());
      auto at = [&](double q) {
        return e.ms[static_cast<std::size_t>(q * static_cast<double>(e.ms.size() - 1))];
      };
      std::string statuses;
      for (const auto& [status, n] : e.statuses) {
        statuses += (statuses.empty() ? "" : ", ") +
                    (status == 0 ? std::string("no answer") : std::to_string(status)) + ": " +
                    std::to_string(n);
      }
      std::fprintf(out, "| `%s` | %zu | %.0f | %.1f | %.1f | %.1f | %.1f | %s |\n", name.c_str(),
                   e.ms.size(), static_cast<double>(e.ms.size()) / seconds, at(0.5), at(0.95),
                   at(0.99), e.ms.back(), statuses.c_str());
    }
    std::fprintf(out, "\n");
  }

 private:
  struct Endpoint {
    std::vector<float> ms;
    std::map<int, long> statuses;
  };
  std::map<std::string, Endpoint> endpoints_;
};

/// key=value lines for bench/run, which reads them as shell variables.
class Summary {
 public:
  explicit Summary(std::string path) : path_(std::move(path)) {}
  ~Summary() {
    if (path_.empty()) return;
    std::ofstream out(path_);
    out << text_;
  }
  void Set(const std::string& key, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", value);
    text_ += key + "=" + buf + "\n";
  }

 private:
  std::string path_;
  std::string text_;
};

struct Run {
  asio::io_context io{1};
  tcp::endpoint endpoint;
  Recorder rec;
  Options o;

  awaitable<Response> Timed(Conn& c, const std::string& name, std::string_view method,
                            std::string_view path, std::string_view token, std::string_view body) {
    const auto t0 = Clock::now();
    auto r = co_await c.Send(Request(method, path, token, body));
    rec.Add(name, r.status, Ms(Clock::now() - t0));
    co_return r;
  }

  awaitable<void> Sleep(Clock::duration d) {
    asio::steady_timer t(io, d);
    co_await t.async_wait(kNoThrow);
  }

  /// Starts `workers` coroutines running `body(i)` and runs them all to the end.
  double RunWorkers(int workers, std::function<awaitable<void>(int)> body) {
    const auto t0 = Clock::now();
    for (int i = 0; i < workers; ++i)
      asio::co_spawn(io, body(i), asio::detached);
    io.run();
    io.restart();
    return std::chrono::duration<double>(Clock::now() - t0).count();
  }
};

std::string TokenOf(const std::string& body) {
  const auto at = body.find("\"token\":\"");
  if (at == std::string::npos) return {};
  const auto from = at + 9;
  return body.substr(from, body.find('"', from) - from);
}

std::vector<std::string> ReadTokens(const Options& o) {
  std::vector<std::string> out;
  std::ifstream in(o.tokens);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  if (static_cast<int>(out.size()) < o.skip) return {};
  out.erase(out.begin(), out.begin() + o.skip);
  return out;
}

// Warm-up: signs participants in (retrying when the bounded hashing queue answers 429) and
// writes their tokens, one per line, in phone order.
int Login(Run& run) {
  const auto& o = run.o;
  std::vector<std::string> tokens(static_cast<std::size_t>(o.users));
  std::map<int, int> failed;  // the last status of each login that never succeeded
  int next = 0;
  const double s = run.RunWorkers(o.conns, [&](int) -> awaitable<void> {
    Conn c(run.io, run.endpoint);
    for (int i = next++; i < o.users; i = next++) {
      const auto body = json{{"login", Phone(o.first + i)}, {"password", o.password}}.dump();
      int last = 0;
      for (int tries = 0; tries < 300; ++tries) {
        auto r = co_await run.Timed(c, "POST /api/v1/auth/login", "POST", "/api/v1/auth/login", "",
                                    body);
        last = r.status;
        if (r.status == 200) tokens[static_cast<std::size_t>(i)] = TokenOf(r.body);
        if (r.status != 429 && r.status != 503 && r.status != 0) break;
        co_await run.Sleep(std::chrono::milliseconds(r.retry_after > 0 ? 200 : 50));
      }
      if (last != 200) ++failed[last];
    }
  });
  std::ofstream out(o.tokens);
  int missing = 0;
  for (const auto& t : tokens) {
    out << t << "\n";
    if (t.empty()) ++missing;
  }
  std::fprintf(stderr, "login: %d participants signed in in %.1f s (%d missing", o.users - missing,
               s, missing);
  for (const auto& [status, n] : failed)
    std::fprintf(stderr, "; %d last answered %d", n, status);
  std::fprintf(stderr, ")\n");
  return missing == 0 ? 0 : 1;
}

// Setup: the bench's quiz scenario lets each participant take attempt after attempt, set through
// the admin API as an organiser would (attempts_allowed = 0, unlimited).
int Setup(Run& run) {
  int rc = 1;
  run.RunWorkers(1, [&](int) -> awaitable<void> {
    Conn c(run.io, run.endpoint);
    const auto credentials = json{{"login", "admin"}, {"password", run.o.password}}.dump();
    const auto sign_in = Request("POST", "/api/v1/auth/login", "", credentials);
    auto login = co_await c.Send(sign_in);
    // PUT merges: keys not given keep their value. (Requests are built before co_await: g++ 12
    // rejects a string literal inside a co_await expression.)
    const std::string unlimited = "{\"attempts_allowed\":0}";
    const auto change =
        Request("PUT", "/api/v1/contest/quiz-rules", TokenOf(login.body), unlimited);
    auto put = co_await c.Send(change);
    if (put.status / 100 == 2)
      rc = 0;
    else
      std::fprintf(stderr, "setup: login %d, PUT quiz-rules %d: %s\n", login.status, put.status,
                   put.body.c_str());
  });
  return rc;
}

struct Started {
  std::string id;
  std::vector<std::string> halves;  // the two autosave bodies: half the answers, then all
};

std::optional<Started> ParseStarted(const std::string& body, std::mt19937& random) {
  const auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.contains("attempt_id") || !j.contains("questions")) return {};
  Started s;
  s.id = std::to_string(j["attempt_id"].get<long long>());
  json all = json::array();
  for (const auto& q : j["questions"])
    all.push_back({{"question_id", q["id"]}, {"option_id", static_cast<int>(random() % 4)}});
  for (const std::size_t upto : {all.size() / 2, all.size()}) {
    json part(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(upto));
    s.halves.push_back(json{{"answers", part}}.dump());
  }
  return s;
}

// The quiz: each connection is one participant taking whole attempts, one after another, for
// --seconds: start, autosave twice, submit, read the leaderboard.
int Quiz(Run& run) {
  auto& o = run.o;
  const auto tokens = ReadTokens(o);
  if (static_cast<int>(tokens.size()) < o.conns) {
    std::fprintf(stderr, "quiz: %zu tokens for %d connections\n", tokens.size(), o.conns);
    return 2;
  }
  long completed = 0;
  long begun = 0;
  const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(o.seconds));
  const double s = run.RunWorkers(o.conns, [&](int w) -> awaitable<void> {
    Conn c(run.io, run.endpoint);
    std::mt19937 random(static_cast<unsigned>(w + 1));
    const auto& token = tokens[static_cast<std::size_t>(w)];
    while (o.attempts > 0 ? begun++ < o.attempts : Clock::now() < until) {
      auto r =
          co_await run.Timed(c, "POST /api/v1/attempts", "POST", "/api/v1/attempts", token, "");
      auto started = r.status == 201 || r.status == 200 ? ParseStarted(r.body, random)
                                                        : std::optional<Started>();
      if (!started) {
        co_await run.Sleep(std::chrono::milliseconds(100));
        continue;
      }
      const auto path = "/api/v1/attempts/" + started->id;
      for (const auto& body : started->halves) {
        co_await run.Timed(c, "PUT /api/v1/attempts/{id}/answers", "PUT", path + "/answers", token,
                           body);
      }
      auto done = co_await run.Timed(c, "POST /api/v1/attempts/{id}/submit", "POST",
                                     path + "/submit", token, "");
      if (done.status == 200) ++completed;
      co_await run.Timed(c, "GET /api/v1/leaderboard", "GET", "/api/v1/leaderboard?limit=50", token,
                         "");
    }
  });
  const long errors = run.rec.Errors({200, 201, 204});
  std::printf(
      "**%s**: %ld attempts completed in %.1f s: **%.0f attempts/s**, %.0f requests/s, p99 %.1f "
      "ms, %ld errors (%d connections, one participant each)\n\n",
      o.label.c_str(), completed, s, completed / s, run.rec.Requests() / s, run.rec.Quantile(0.99),
      errors, o.conns);
  run.rec.PrintTable(stdout, s);
  Summary sum(o.summary);
  sum.Set("attempts_per_s", completed / s);
  sum.Set("requests_per_s", run.rec.Requests() / s);
  sum.Set("p99_ms", run.rec.Quantile(0.99));
  sum.Set("errors", static_cast<double>(errors));
  return 0;
}

/// Connections shared by many participants: a participant waits for a free one.
class Pool {
 public:
  Pool(Run& run, int size) : run_(run) {
    for (int i = 0; i < size; ++i)
      idle_.push_back(std::make_unique<Conn>(run.io, run.endpoint));
  }

  awaitable<std::unique_ptr<Conn>> Acquire() {
    while (idle_.empty()) {
      auto timer = std::make_shared<asio::steady_timer>(run_.io, Clock::time_point::max());
      waiters_.push_back(timer);
      co_await timer->async_wait(kNoThrow);
    }
    auto c = std::move(idle_.front());
    idle_.pop_front();
    co_return c;
  }

  void Release(std::unique_ptr<Conn> c) {
    idle_.push_back(std::move(c));
    if (!waiters_.empty()) {
      waiters_.front()->cancel();
      waiters_.pop_front();
    }
  }

 private:
  Run& run_;
  std::deque<std::unique_ptr<Conn>> idle_;
  std::deque<std::shared_ptr<asio::steady_timer>> waiters_;
};

// Synchronised start: every participant presses Start at a moment drawn uniformly within
// --window seconds, over a pool of --conns connections. A participant turned away (503 or 429)
// comes back after Retry-After, as the waiting room asks. "Served" is measured from the moment
// they pressed Start to their attempt, waits in the generator and the waiting room included.
int SyncStart(Run& run) {
  auto& o = run.o;
  const auto tokens = ReadTokens(o);
  const int n = std::min<int>(o.users, static_cast<int>(tokens.size()));
  std::mt19937 random(7);
  std::uniform_real_distribution<double> when(0, o.window);
  std::vector<double> at(static_cast<std::size_t>(n));
  for (auto& t : at)
    t = when(random);
  Pool pool(run, o.conns);
  Recorder served;
  long turned_away = 0;
  int unserved = 0;
  const auto t0 = Clock::now() + std::chrono::milliseconds(100);
  const double s = run.RunWorkers(n, [&](int i) -> awaitable<void> {
    const auto pressed = t0 + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(at[static_cast<std::size_t>(i)]));
    asio::steady_timer timer(run.io, pressed);
    co_await timer.async_wait(kNoThrow);
    for (int tries = 0; tries < 20; ++tries) {
      auto c = co_await pool.Acquire();
      const auto request =
          Request("POST", "/api/v1/attempts", tokens[static_cast<std::size_t>(i)], "");
      const auto sent = Clock::now();
      auto r = co_await c->Send(request);
      // The waiting room's answers apart: how quickly admission control answers is a target.
      run.rec.Add(r.status == 429 || r.status == 503 ? "POST /api/v1/attempts: waiting room"
                                                     : "POST /api/v1/attempts",
                  r.status, Ms(Clock::now() - sent));
      pool.Release(std::move(c));
      if (r.status == 201 || r.status == 200) {
        served.Add("served (from pressing Start)", 201, Ms(Clock::now() - pressed));
        co_return;
      }
      if ((r.status == 503 || r.status == 429) && r.retry_after > 0) {
        ++turned_away;
        co_await run.Sleep(std::chrono::seconds(r.retry_after));
        continue;
      }
      break;  // an error: counted in the table
    }
    ++unserved;
  });
  const long errors = run.rec.Errors({200, 201, 429});  // a 503 is a 5xx: an error here
  std::printf(
      "**%s**: %d participants press Start within %.1f s over %d connections: %d served in %.1f "
      "s, p99 from pressing Start **%.0f ms**, %ld answers were the waiting room (Retry-After), "
      "%d never served, %ld errors\n\n",
      o.label.c_str(), n, o.window, o.conns, n - unserved, s, served.Quantile(0.99), turned_away,
      unserved, errors);
  served.PrintTable(stdout, s);
  run.rec.PrintTable(stdout, s);
  Summary sum(o.summary);
  sum.Set("served", n - unserved);
  sum.Set("p99_ms", served.Quantile(0.99));
  sum.Set("answer_p99_ms", run.rec.Quantile(0.99));
  sum.Set("waiting_room_p99_ms", run.rec.Quantile(0.99, "POST /api/v1/attempts: waiting room"));
  sum.Set("turned_away", static_cast<double>(turned_away));
  sum.Set("errors", static_cast<double>(errors + unserved));
  return 0;
}

// What a browser sends along: it takes the pages compressed.
constexpr std::string_view kBrowserAccepts = "Accept-Encoding: gzip, deflate, br\r\n";

// Read: GETs of --paths in turn on each connection for --seconds (public pages, or nginx), as a
// browser asks for them: compressed, with the cookie the first page set.
int Read(Run& run) {
  auto& o = run.o;
  const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(o.seconds));
  const double s = run.RunWorkers(o.conns, [&](int w) -> awaitable<void> {
    Conn c(run.io, run.endpoint);
    std::vector<std::string> requests;
    auto build = [&](const std::string& cookie) {
      requests.clear();
      const auto headers =
          std::string(kBrowserAccepts) + (cookie.empty() ? "" : "Cookie: " + cookie + "\r\n");
      for (const auto& p : o.paths)
        requests.push_back(Request("GET", p, "", "", headers));
    };
    build("");
    bool has_cookie = false;
    for (std::size_t k = static_cast<std::size_t>(w); Clock::now() < until; ++k) {
      const auto& path = o.paths[k % o.paths.size()];
      const auto t0 = Clock::now();
      auto r = co_await c.Send(requests[k % requests.size()]);
      run.rec.Add("GET " + path, r.status, Ms(Clock::now() - t0));
      // Like a browser, the visitor keeps the cookie a page gave them (the anonymous CSRF one).
      if (!has_cookie && !r.cookie.empty()) {
        has_cookie = true;
        build(r.cookie);
      }
      if (r.status == 0) co_await run.Sleep(std::chrono::milliseconds(10));
    }
  });
  const long errors = run.rec.Errors({200});
  std::printf("**%s**: **%.0f requests/s**, p99 %.1f ms, %ld errors (%d connections)\n\n",
              o.label.c_str(), run.rec.Requests() / s, run.rec.Quantile(0.99), errors, o.conns);
  run.rec.PrintTable(stdout, s);
  Summary sum(o.summary);
  sum.Set("requests_per_s", run.rec.Requests() / s);
  sum.Set("p99_ms", run.rec.Quantile(0.99));
  sum.Set("errors", static_cast<double>(errors));
  return 0;
}

// Storm: logins at the configured password cost, as fast as --conns clients can send them; a 429
// sends the client away for its Retry-After. Measures what gets through and how fast refusals are.
int Storm(Run& run) {
  auto& o = run.o;
  const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(o.seconds));
  long ok = 0;
  const double s = run.RunWorkers(o.conns, [&](int w) -> awaitable<void> {
    Conn c(run.io, run.endpoint);
    for (int k = w; Clock::now() < until; k += o.conns) {
      const auto body =
          json{{"login", Phone(o.first + k % o.users)}, {"password", o.password}}.dump();
      auto r =
          co_await run.Timed(c, "POST /api/v1/auth/login", "POST", "/api/v1/auth/login", "", body);
      if (r.status == 200) ++ok;
      if (r.status == 429 || r.status == 503)
        co_await run.Sleep(std::chrono::seconds(std::max(1, r.retry_after)));
    }
  });
  const long errors = run.rec.Errors({200, 429});
  std::printf(
      "**%s**: **%.0f logins/s** (%ld in %.1f s), answer p99 %.0f ms, max %.0f ms, %ld errors "
      "(%d clients)\n\n",
      o.label.c_str(), ok / s, ok, s, run.rec.Quantile(0.99), run.rec.Quantile(1.0), errors,
      o.conns);
  run.rec.PrintTable(stdout, s);
  Summary sum(o.summary);
  sum.Set("logins_per_s", ok / s);
  sum.Set("p99_ms", run.rec.Quantile(0.99));
  sum.Set("max_ms", run.rec.Quantile(1.0));
  sum.Set("errors", static_cast<double>(errors));
  return 0;
}

// Certificates (issue 18): the organisers publish results with --users individual prizes (the
// prize table set through the API, the quiz alone weighing, judging locked, every boundary tie
// decided in the order the draft lists it), then the file of every certificate is awaited: the
// server renders it in a background job. Prints and summarises pages, seconds and pages/s, from
// the publish's answer to the file's first 200.
int Certificates(Run& run) {
  const auto& o = run.o;
  int rc = 1;
  run.RunWorkers(1, [&](int) -> awaitable<void> {
    Conn c(run.io, run.endpoint);
    auto step = [&](const char* what, const Response& r) {
      if (r.status / 100 == 2) return true;
      std::fprintf(stderr, "certificates: %s: %d %s\n", what, r.status, r.body.c_str());
      return false;
    };
    const auto credentials = json{{"login", "admin"}, {"password", o.password}}.dump();
    const auto sign_in = Request("POST", "/api/v1/auth/login", "", credentials);
    const auto login = co_await c.Send(sign_in);
    if (!step("login", login)) co_return;
    const auto token = TokenOf(login.body);
    const auto list = Request("GET", "/api/v1/contests", token, "");
    const auto contests = co_await c.Send(list);
    if (!step("contests", contests)) co_return;
    const auto items = json::parse(contests.body, nullptr, false).value("items", json::array());
    if (items.empty()) co_return;
    const auto id = items[0].value("id", 0);
    const int places = std::max(o.users, 7);
    const json prizes = {
        {"prizes",
         {{{"category", "collective"},
           {"title", "Giải Nhất"},
           {"quantity", 1},
           {"amount", 10000000}},
          {{"category", "individual"},
           {"title", "Giải Nhất"},
           {"quantity", 1},
           {"amount", 3000000}},
          {{"category", "individual"}, {"title", "Giải Nhì"}, {"quantity", 2}, {"amount", 2000000}},
          {{"category", "individual"}, {"title", "Giải Ba"}, {"quantity", 3}, {"amount", 1000000}},
          {{"category", "individual"},
           {"title", "Giải Khuyến khích"},
           {"quantity", places - 6},
           {"amount", 500000}}}}};
    const auto put_prizes =
        Request("PUT", "/api/v1/contests/" + std::to_string(id), token, prizes.dump());
    if (!step("prizes", co_await c.Send(put_prizes))) co_return;
    const std::string weights = R"({"weight_participation":0,"weight_quiz":100,"weight_video":0})";
    const auto put_rules = Request("PUT", "/api/v1/results/rules", token, weights);
    if (!step("rules", co_await c.Send(put_rules))) co_return;
    const auto lock = Request("POST", "/api/v1/judging/lock", token, "{}");
    const auto locked = co_await c.Send(lock);
    if (locked.status != 409 && !step("lock", locked)) co_return;  // 409: locked already
    // A decided tie lets the allocation go on, where another boundary may be tied: until none.
    const auto get_draft = Request("GET", "/api/v1/results/draft", token, "");
    for (bool undecided = true; undecided;) {
      const auto draft = co_await c.Send(get_draft);
      if (!step("draft", draft)) co_return;
      undecided = false;
      for (const auto& tie : json::parse(draft.body, nullptr, false).value("ties", json::array())) {
        if (tie.value("decided", false)) continue;
        undecided = true;
        const json decision = {{"category", tie.value("category", "")},
                               {"order", tie.value("ids", json::array())},
                               {"reason", "Bốc thăm (benchmark)."}};
        const auto decide = Request("POST", "/api/v1/results/ties", token, decision.dump());
        if (!step("tie", co_await c.Send(decide))) co_return;
      }
    }
    const auto review = Request("POST", "/api/v1/results/review", token, "{}");
    if (!step("review", co_await c.Send(review))) co_return;
    const json why = {{"reason", "Công bố lại (benchmark)."}};
    const auto publish = Request("POST", "/api/v1/results/publish", token, why.dump());
    const auto published = co_await c.Send(publish);
    if (!step("publish", published)) co_return;
    const auto t0 = Clock::now();
    const auto version = json::parse(published.body, nullptr, false).value("version", 0);
    const auto base = "/api/v1/results/export/" + std::to_string(version);
    const auto get_file = Request("GET", base + "/certificates", "", "");
    Response file;
    for (;;) {
      file = co_await c.Send(get_file);
      if (file.status != 409) break;
      co_await run.Sleep(std::chrono::milliseconds(100));
    }
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!step("certificates", file)) co_return;
    const auto get_results = Request("GET", "/api/v1/results", "", "");
    const auto results = co_await c.Send(get_results);
    const auto pages = json::parse(results.body, nullptr, false)
                           .value("published", json::object())
                           .value("results", json::object())
                           .value("prizes", json::array())
                           .size();
    std::printf(
        "**%s**: %zu certificates (one PDF of %.1f MiB) in %.1f s from the publish's answer: "
        "**%.0f certificates/s**\n\n",
        o.label.c_str(), pages, static_cast<double>(file.body.size()) / (1 << 20), s,
        static_cast<double>(pages) / s);
    Summary sum(o.summary);
    sum.Set("certificates", static_cast<double>(pages));
    sum.Set("seconds", s);
    sum.Set("per_s", static_cast<double>(pages) / s);
    rc = pages > 0 ? 0 : 1;
  });
  return rc;
}

int Usage() {
  std::fprintf(stderr,
               "usage: load SCENARIO [--url http://HOST:PORT] [--conns N] [--seconds S]\n"
               "            [--users N] [--first I] [--skip K] [--window S] [--tokens FILE]\n"
               "            [--paths P1,P2] [--password P] [--label L] [--summary FILE]\n"
               "            [--attempts N (quiz: a fixed number instead of --seconds)]\n"
               "scenarios: login (warm-up: writes --tokens), setup, quiz, sync-start, read, "
               "storm, certificates (--users: individual prizes)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  Run run;
  auto& o = run.o;
  o.scenario = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--url") {
      const auto hostport = v.substr(v.find("//") + 2);
      o.host = hostport.substr(0, hostport.find(':'));
      o.port =
          static_cast<unsigned short>(std::atoi(hostport.substr(hostport.find(':') + 1).c_str()));
    } else if (k == "--conns")
      o.conns = std::atoi(v.c_str());
    else if (k == "--seconds")
      o.seconds = std::atof(v.c_str());
    else if (k == "--users")
      o.users = std::atoi(v.c_str());
    else if (k == "--first")
      o.first = std::atoi(v.c_str());
    else if (k == "--skip")
      o.skip = std::atoi(v.c_str());
    else if (k == "--window")
      o.window = std::atof(v.c_str());
    else if (k == "--attempts")
      o.attempts = std::atol(v.c_str());
    else if (k == "--tokens")
      o.tokens = v;
    else if (k == "--summary")
      o.summary = v;
    else if (k == "--label")
      o.label = v;
    else if (k == "--password")
      o.password = v;
    else if (k == "--paths") {
      o.paths.clear();
      for (std::size_t from = 0; from <= v.size();) {
        const auto comma = std::min(v.find(',', from), v.size());
        o.paths.push_back(v.substr(from, comma - from));
        from = comma + 1;
      }
    } else
      return Usage();
  }
  if (o.label.empty()) o.label = o.scenario;
  run.endpoint = tcp::endpoint(asio::ip::make_address(o.host), o.port);
  if (o.scenario == "login") return Login(run);
  if (o.scenario == "setup") return Setup(run);
  if (o.scenario == "quiz") return Quiz(run);
  if (o.scenario == "sync-start") return SyncStart(run);
  if (o.scenario == "read") return Read(run);
  if (o.scenario == "storm") return Storm(run);
  if (o.scenario == "certificates") return Certificates(run);
  return Usage();
}
