// The quiz workload through the real HTTP API, for `make bench` (bench/run): N participants
// register and sign in (warm-up, timed apart), then C concurrent clients each take whole attempts
// one participant after another: start, autosave twice, submit, read the leaderboard. Prints one
// JSON object: attempts/s, requests/s, latency percentiles per endpoint, answers by status.
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string url = "http://127.0.0.1:8080";
  int users = 1000;
  int concurrency = 32;
  std::string unit = "so-noi-vu";
  std::string markdown;  // a label: print Markdown (a summary line and a table) instead of JSON
};

struct Answer {
  long status = 0;
  std::string body;
};

/// One keep-alive connection (a libcurl easy handle) per client thread.
class Client {
 public:
  explicit Client(std::string base) : base_(std::move(base)), curl_(curl_easy_init()) {
    curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Client::Write);
  }
  ~Client() { curl_easy_cleanup(curl_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Answer Send(const char* method, const std::string& path, const std::string& body,
              const std::string& token) {
    Answer a;
    curl_easy_setopt(curl_, CURLOPT_URL, (base_ + path).c_str());
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &a.body);
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    if (!token.empty())
      headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    if (std::string(method) == "GET") {
      curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, nullptr);
    } else {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    if (curl_easy_perform(curl_) == CURLE_OK) {
      curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &a.status);
    }
    curl_slist_free_all(headers);
    return a;
  }

 private:
  static size_t Write(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  }
  std::string base_;
  CURL* curl_;
};

/// Latencies and statuses per endpoint, merged from every client thread.
class Recorder {
 public:
  void Add(const std::string& endpoint, long status, double ms) {
    std::lock_guard lock(mu_);
    auto& e = endpoints_[endpoint];
    e.latencies.push_back(ms);
    ++e.statuses[status];
  }
  json Report(double seconds) {
    std::lock_guard lock(mu_);
    json out = json::object();
    for (auto& [name, e] : endpoints_) {
      std::sort(e.latencies.begin(), e.latencies.end());
      auto at = [&](double q) {
        const auto i = static_cast<std::size_t>(q * static_cast<double>(e.latencies.size() - 1));
        return e.latencies[i];
      };
      json statuses = json::object();
      for (const auto& [s, n] : e.statuses)
        statuses[std::to_string(s)] = n;
      out[name] = {{"requests", e.latencies.size()},
                   {"per_s", static_cast<double>(e.latencies.size()) / seconds},
                   {"p50_ms", at(0.50)},
                   {"p95_ms", at(0.95)},
                   {"p99_ms", at(0.99)},
                   {"max_ms", e.latencies.back()},
                   {"statuses", statuses}};
    }
    return out;
  }

 private:
  struct Endpoint {
    std::vector<double> latencies;
    std::map<long, long> statuses;
  };
  std::mutex mu_;
  std::map<std::string, Endpoint> endpoints_;
};

/// Runs `work(client, index)` for index 0..count-1 on `threads` threads; returns the seconds.
template <class F>
double Parallel(const Options& o, int count, F work) {
  std::atomic<int> next{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < o.concurrency; ++t) {
    threads.emplace_back([&, t] {
      Client client(o.url);
      std::mt19937 random(static_cast<unsigned>(t + 1));
      for (int i = next++; i < count; i = next++)
        work(client, random, i);
    });
  }
  for (auto& t : threads)
    t.join();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Phone(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "096%07d", i);
  return buf;
}

Answer Timed(Recorder& rec, const std::string& endpoint, Client& c, const char* method,
             const std::string& path, const std::string& body, const std::string& token) {
  const auto t0 = Clock::now();
  auto a = c.Send(method, path, body, token);
  rec.Add(endpoint, a.status, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--url")
      o.url = v;
    else if (k == "--users")
      o.users = std::atoi(v.c_str());
    else if (k == "--concurrency")
      o.concurrency = std::atoi(v.c_str());
    else if (k == "--unit")
      o.unit = v;
    else if (k == "--markdown")
      o.markdown = v;
    else {
      std::fprintf(stderr,
                   "usage: quiz_load [--url U] [--users N] [--concurrency C] [--unit CODE]"
                   " [--markdown LABEL]\n");
      return 2;
    }
  }
  curl_global_init(CURL_GLOBAL_ALL);
  const std::string password = "Cai-cach-hanh-chinh-2021";

  // Warm-up: password hashing is bounded on purpose (a full queue answers 429): wait and retry.
  Recorder warmup;
  auto until_not_busy = [](auto send) {
    for (;;) {
      auto a = send();
      if (a.status != 429) return a;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };
  const double register_s = Parallel(o, o.users, [&](Client& c, std::mt19937&, int i) {
    const auto body = json{
        {"full_name", "Người Thi Thử"},
        {"phone", Phone(i)},
        {"unit_code", o.unit},
        {"password",
         password}}.dump();
    until_not_busy([&] {
      return Timed(warmup, "POST /api/v1/participants", c, "POST", "/api/v1/participants", body,
                   "");
    });
  });
  std::vector<std::string> tokens(static_cast<std::size_t>(o.users));
  const double login_s = Parallel(o, o.users, [&](Client& c, std::mt19937&, int i) {
    const auto body = json{{"login", Phone(i)}, {"password", password}}.dump();
    auto a = until_not_busy([&] {
      return Timed(warmup, "POST /api/v1/auth/login", c, "POST", "/api/v1/auth/login", body, "");
    });
    if (a.status == 200)
      tokens[static_cast<std::size_t>(i)] = json::parse(a.body).value("token", "");
  });

  Recorder quiz;
  std::atomic<int> completed{0};
  const double quiz_s = Parallel(o, o.users, [&](Client& c, std::mt19937& random, int i) {
    const auto& token = tokens[static_cast<std::size_t>(i)];
    if (token.empty()) return;
    auto started = Timed(quiz, "POST /api/v1/attempts", c, "POST", "/api/v1/attempts", "", token);
    if (started.status != 201 && started.status != 200) return;
    const auto attempt = json::parse(started.body, nullptr, false);
    if (attempt.is_discarded()) return;
    const auto id = std::to_string(attempt.value("attempt_id", 0LL));
    json all = json::array();
    for (const auto& q : attempt["questions"])
      all.push_back({{"question_id", q["id"]}, {"option_id", static_cast<int>(random() % 4)}});
    for (const std::size_t upto : {all.size() / 2, all.size()}) {
      json part(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(upto));
      Timed(quiz, "PUT /api/v1/attempts/{id}/answers", c, "PUT",
            "/api/v1/attempts/" + id + "/answers", json{{"answers", part}}.dump(), token);
    }
    auto submitted = Timed(quiz, "POST /api/v1/attempts/{id}/submit", c, "POST",
                           "/api/v1/attempts/" + id + "/submit", "", token);
    if (submitted.status == 200) ++completed;
    Timed(quiz, "GET /api/v1/leaderboard", c, "GET", "/api/v1/leaderboard?limit=50", "", token);
  });

  long requests = 0;
  const auto endpoints = quiz.Report(quiz_s);
  for (const auto& [name, e] : endpoints.items())
    requests += e["requests"].get<long>();
  const json out = {{"users", o.users},
                    {"concurrency", o.concurrency},
                    {"register_s", register_s},
                    {"login_s", login_s},
                    {"quiz_s", quiz_s},
                    {"completed_attempts", completed.load()},
                    {"attempts_per_s", completed.load() / quiz_s},
                    {"requests_per_s", static_cast<double>(requests) / quiz_s},
                    {"endpoints", endpoints},
                    {"warmup", warmup.Report(register_s + login_s)}};
  if (o.markdown.empty()) {
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf(
        "**%s**: %d attempts completed of %d in %.1f s: **%.0f attempts/s**, %.0f requests/s"
        " (%d clients; warm-up: %d registrations in %.1f s, %d logins in %.1f s)\n\n",
        o.markdown.c_str(), completed.load(), o.users, quiz_s, completed.load() / quiz_s,
        static_cast<double>(requests) / quiz_s, o.concurrency, o.users, register_s, o.users,
        login_s);
    std::printf(
        "| endpoint | requests | p50 ms | p95 ms | p99 ms | max ms | statuses |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (const auto& [name, e] : endpoints.items()) {
      std::string statuses;
      for (const auto& [code, n] : e["statuses"].items())
        statuses += (statuses.empty() ? "" : ", ") + code + ": " + std::to_string(n.get<long>());
      std::printf("| `%s` | %ld | %.1f | %.1f | %.1f | %.1f | %s |\n", name.c_str(),
                  e["requests"].get<long>(), e["p50_ms"].get<double>(), e["p95_ms"].get<double>(),
                  e["p99_ms"].get<double>(), e["max_ms"].get<double>(), statuses.c_str());
    }
    std::printf("\n");
  }
  curl_global_cleanup();
  return completed.load() == o.users ? 0 : 1;
}
