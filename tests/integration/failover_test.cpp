// Failover: PostgreSQL, two `hoithi serve` instances and nginx running deploy/nginx/hoithi.conf,
// all on loopback. Clients take the quiz through nginx; one instance is killed with SIGKILL
// midway and started again. Every submit answered 2xx is stored exactly once, the leaderboard
// equals a recomputation from the stored attempts, and the only failed requests are the ones in
// flight at the kill, which the clients retried. And an outage of PostgreSQL itself: 503s with a
// Vietnamese message while it is down, the server stays up and recovers when it returns.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <tuple>

#include "support/quiz_client.hpp"
#include "support/server_harness.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace hoithi::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// A loopback port nobody listens on right now.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Replace(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "deploy/nginx/hoithi.conf no longer has " << from;
  text.replace(at, from.size(), to);
}

/// nginx with the deployment's configuration, its upstreams and listen port moved to the test's.
class Nginx {
 public:
  Nginx(const std::string& dir, int port, int upstream_a, int upstream_b) : dir_(dir) {
    std::string site = ReadText(std::string(HOITHI_SOURCE_DIR) + "/deploy/nginx/hoithi.conf");
    Replace(site, "127.0.0.1:8081", "127.0.0.1:" + std::to_string(upstream_a));
    Replace(site, "127.0.0.1:8082", "127.0.0.1:" + std::to_string(upstream_b));
    Replace(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(port) + ";");
    std::ofstream conf(dir_ + "/nginx.conf");
    conf << (geteuid() == 0 ? "user root;\n" : "") << "worker_processes 1;\n"
         << "pid " << dir_ << "/nginx.pid;\n"
         << "error_log " << dir_ << "/error.log warn;\n"
         << "events { worker_connections 1024; }\n"
         << "http {\n"
         << "  access_log " << dir_ << "/access.log;\n"
         << "  client_body_temp_path " << dir_ << "/body;\n"
         << "  proxy_temp_path " << dir_ << "/proxy;\n"
         << "  fastcgi_temp_path " << dir_ << "/fastcgi;\n"
         << "  uwsgi_temp_path " << dir_ << "/uwsgi;\n"
         << "  scgi_temp_path " << dir_ << "/scgi;\n"
         << site << "\n}\n";
  }
  ~Nginx() { Command("-s stop"); }

  bool Start() { return Command("") == 0; }
  std::string error_log() const { return ReadText(dir_ + "/error.log"); }

 private:
  int Command(const std::string& extra) const {
    const std::string cmd = "/usr/sbin/nginx -p " + dir_ + " -c " + dir_ + "/nginx.conf " + extra +
                            " 2>>" + dir_ + "/start.log";
    return std::system(cmd.c_str());
  }
  std::string dir_;
};

struct Failure {
  Clock::time_point at;
  std::string what;
};

/// What the clients saw.
struct Journal {
  std::mutex mu;
  std::vector<Failure> failures;
  std::map<std::string, json> submitted;  // phone -> the 2xx result of its submit

  void Fail(const std::string& what) {
    std::lock_guard lock(mu);
    failures.push_back({Clock::now(), what});
  }
};

/// Sends `request` until it gets an answer that is not a gateway or connection failure, as a
/// client behind a load balancer does; every failed try is journaled.
HttpResponse WithRetry(Journal& journal, const std::string& what,
                       const std::function<HttpResponse()>& request) {
  for (int attempt = 0;; ++attempt) {
    auto r = request();
    const bool failed = r.status == 0 || r.status == 502 || r.status == 503 || r.status == 504;
    if (!failed || attempt == 50) return r;
    journal.Fail(what + " -> " + std::to_string(r.status));
    std::this_thread::sleep_for(100ms);
  }
}

/// The masked phone, correct count and duration of each finalised attempt, from the database,
/// in the ranking order of the default rules (more correct, then shorter, then earlier, then the
/// older account).
std::vector<std::tuple<std::string, int, std::int64_t>> RecomputedBoard(const std::string& url) {
  std::vector<std::tuple<int, std::int64_t, std::int64_t, std::int64_t, std::string>> rows;
  PGconn* conn = PQconnectdb(url.c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* res =
      PQexec(conn,
             "SELECT u.phone, a.correct, a.duration_ms, a.finished_at, u.id FROM attempts a"
             " JOIN users u ON u.id = a.user_id WHERE a.status <> 'active'");
  EXPECT_EQ(PQresultStatus(res), PGRES_TUPLES_OK) << PQerrorMessage(conn);
  for (int i = 0; i < PQntuples(res); ++i) {
    rows.emplace_back(std::atoi(PQgetvalue(res, i, 1)), std::atoll(PQgetvalue(res, i, 2)),
                      std::atoll(PQgetvalue(res, i, 3)), std::atoll(PQgetvalue(res, i, 4)),
                      PQgetvalue(res, i, 0));
  }
  PQclear(res);
  PQfinish(conn);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
    return std::make_tuple(std::get<1>(a), std::get<2>(a), std::get<3>(a)) <
           std::make_tuple(std::get<1>(b), std::get<2>(b), std::get<3>(b));
  });
  std::vector<std::tuple<std::string, int, std::int64_t>> out;
  for (const auto& [correct, duration, finished, user, phone] : rows)
    out.emplace_back(phone, correct, duration);
  return out;
}

TEST(Failover, AnInstanceKilledUnderLoadLosesNoAcknowledgedSubmit) {
  ASSERT_TRUE(OnPostgres()) << "the failover test runs on PostgreSQL (pg.Failover.*)";
  constexpr int kPeople = 120;
  constexpr int kClients = 6;
  constexpr auto kThinkTime = 25ms;

  TempDir dir;
  const int port_a = FreePort(), port_b = FreePort(), port_lb = FreePort();
  const Env tuning = {{"HOITHI_SERVER_TRUSTED_PROXIES", "127.0.0.1"}};
  auto with_port = [&](int port) {
    Env env = tuning;
    env["HOITHI_SERVER_PORT"] = std::to_string(port);
    return env;
  };
  ServerProcess a(with_port(port_a), dir.str());
  ServerProcess b(with_port(port_b), dir.str());
  a.LogAs("a");
  b.LogAs("b");
  a.SeedDemo();
  a.Start();
  b.Start();
  ASSERT_EQ(a.port(), port_a);
  Nginx nginx(dir.str(), port_lb, port_a, port_b);
  ASSERT_TRUE(nginx.Start()) << ReadText(dir.str() + "/start.log");
  const std::string front = "http://127.0.0.1:" + std::to_string(port_lb);

  // Everyone registers and signs in before the load (through nginx).
  std::vector<Signed> people;
  for (int i = 0; i < kPeople; ++i) {
    const auto phone = NewPhone();
    HttpClient anonymous(front);
    const auto r = anonymous.Post("/api/v1/participants", json{{"full_name", "Nguyễn Văn An"},
                                                               {"phone", phone},
                                                               {"unit_code", "so-noi-vu"},
                                                               {"password", kStrongPassword}}
                                                              .dump());
    ASSERT_TRUE(IsAnswer(r, 201));
    const auto login = anonymous.Post("/api/v1/auth/login",
                                      json{{"login", phone}, {"password", kStrongPassword}}.dump());
    ASSERT_TRUE(IsAnswer(login, 200));
    Signed s{std::make_unique<HttpClient>(front), login.Json().value("token", ""), 0, phone, ""};
    s.http->set_bearer(s.token);
    people.push_back(std::move(s));
  }

  Journal journal;
  std::atomic<int> next{0}, done{0};
  auto client = [&](int seed) {
    std::mt19937 random(static_cast<unsigned>(seed));
    for (int i = next++; i < kPeople; i = next++) {
      auto& p = people[static_cast<std::size_t>(i)];
      auto& http = *p.http;
      const auto started =
          WithRetry(journal, "start", [&] { return http.Post("/api/v1/attempts", ""); });
      if (started.status != 201 && started.status != 200) {
        ADD_FAILURE() << "start: " << started.status << " " << started.body;
        continue;
      }
      const auto attempt = started.Json();
      const auto ids = QuestionIds(attempt);
      auto answers = [&](std::size_t upto) {
        json list = json::array();
        for (std::size_t k = 0; k < upto && k < ids.size(); ++k)
          list.push_back({{"question_id", ids[k]}, {"option_id", static_cast<int>(random() % 4)}});
        return list;
      };
      for (const std::size_t upto : {std::size_t{4}, std::size_t{8}}) {
        std::this_thread::sleep_for(kThinkTime);
        const auto list = answers(upto);
        const auto saved =
            WithRetry(journal, "save", [&] { return SaveAnswers(http, attempt, list); });
        EXPECT_TRUE(IsAnswer(saved, 204));
      }
      std::this_thread::sleep_for(kThinkTime);
      const auto list = answers(ids.size());
      const auto submitted =
          WithRetry(journal, "submit", [&] { return Submit(http, attempt, list); });
      if (IsAnswer(submitted, 200)) {
        std::lock_guard lock(journal.mu);
        journal.submitted[p.phone] = submitted.Json();
      } else {
        ADD_FAILURE() << "submit: " << submitted.status << " " << submitted.body;
      }
      ++done;
    }
  };
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back(client, c + 1);

  // Midway: instance A dies without warning, and comes back a second later.
  while (done < kPeople / 3)
    std::this_thread::sleep_for(5ms);
  const auto killed_at = Clock::now();
  a.Kill();
  std::this_thread::sleep_for(1s);
  const auto access_before_restart = a.access_log().size();
  a.Start();
  const auto restarted_at = Clock::now();
  for (auto& t : clients)
    t.join();
  ASSERT_EQ(done.load(), kPeople);

  // Every acknowledged submit is stored exactly once, with the result it was answered.
  ASSERT_EQ(journal.submitted.size(), static_cast<std::size_t>(kPeople));
  for (auto& p : people) {
    const auto history = p.http->Get("/api/v1/attempts");
    ASSERT_TRUE(IsAnswer(history, 200));
    const auto items = history.Json()["items"];
    ASSERT_EQ(items.size(), 1u) << p.phone << ": " << history.body;
    EXPECT_EQ(items[0]["status"], "submitted");
    EXPECT_EQ(items[0]["correct"], journal.submitted[p.phone]["correct"]) << p.phone;
  }
  // The leaderboard equals a recomputation from the stored attempts.
  auto organiser = SignIn(b, "btc");  // the staff's board: with phone numbers, to compare
  const auto board = Leaderboard(*organiser.http, 500);
  const auto expected = RecomputedBoard(DatabaseUrlFor(dir.str()));
  ASSERT_EQ(expected.size(), static_cast<std::size_t>(kPeople));
  ASSERT_EQ(board["entries"].size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& e = board["entries"][i];
    EXPECT_EQ(std::make_tuple(e.value("phone", ""), e.value("correct", -1),
                              e.value("duration_ms", std::int64_t{-1})),
              expected[i])
        << "entry " << i;
  }
  // The only failures are requests in flight when A died: at most one per client, all at the
  // kill (before the restart), each retried to success above.
  EXPECT_LE(journal.failures.size(), static_cast<std::size_t>(kClients));
  for (const auto& f : journal.failures) {
    EXPECT_GE(f.at, killed_at) << f.what;
    EXPECT_LE(f.at, restarted_at) << f.what;
  }
  std::cout << "failover: " << kPeople << " people, " << journal.failures.size()
            << " failed tries at the kill, all retried\n";
  ExpectCleanStop(a);
  ExpectCleanStop(b);
  // Once back, A took its share of the load again.
  EXPECT_GT(a.access_log().size(), access_before_restart) << "no request reached A after restart";
}

/// A PostgreSQL cluster of the test's own (tests/support/pg-cluster), which it may stop.
class OwnCluster {
 public:
  OwnCluster() { EXPECT_EQ(Script("start"), 0); }
  ~OwnCluster() { Script("stop"); }
  int Halt() { return Script("halt"); }
  int Resume() { return Script("resume"); }
  std::string url() const {
    return ReadText(dir_ + "/url").substr(0, ReadText(dir_ + "/url").find('\n'));
  }

 private:
  int Script(const std::string& verb) {
    const std::string cmd = std::string(HOITHI_SOURCE_DIR) + "/tests/support/pg-cluster " + verb +
                            " " + dir_ + " >/dev/null";
    return std::system(cmd.c_str());
  }
  std::string dir_ = "/tmp/hoithi-outage-" + std::to_string(getpid());
};

/// The status and error code of an answer, as "503 database_unavailable".
std::string StatusAndCode(const HttpResponse& r) {
  return std::to_string(r.status) + " " + ErrorOf(r).value("code", "");
}

TEST(Outage, WhilePostgresIsDownRequestsGet503AndTheServerRecoversWhenItReturns) {
  OwnCluster cluster;
  ServerProcess server({{"HOITHI_DATABASE_URL", cluster.url() + "/postgres"}});
  server.SeedDemo();
  server.Start();
  auto p = NewParticipant(server);
  const auto attempt = Start(*p.http);
  ASSERT_TRUE(attempt.contains("attempt_id"));
  const auto ids = QuestionIds(attempt);
  const json one = json::array({{{"question_id", ids[0]}, {"option_id", 1}}});
  HttpClient anonymous(server.base_url());
  // A session opened on another instance, which this one has never seen.
  std::string foreign_token;
  {
    ServerProcess other({{"HOITHI_DATABASE_URL", cluster.url() + "/postgres"}});
    other.LogAs("other");
    other.Start();
    foreign_token = SignIn(other, "thuky").token;
    ExpectCleanStop(other);
  }

  ASSERT_EQ(cluster.Halt(), 0);
  // Reads and writes fail with 503, a Vietnamese message and a stable code; nothing hangs.
  const auto health = anonymous.Get("/healthz");
  EXPECT_EQ(health.status, 503);
  const auto saved = SaveAnswers(*p.http, attempt, one);
  EXPECT_EQ(StatusAndCode(saved), "503 database_unavailable") << saved.body;
  EXPECT_NE(ErrorOf(saved).value("message", "").find("Cơ sở dữ liệu"), std::string::npos)
      << saved.body;
  const auto board = anonymous.Get("/api/v1/leaderboard");
  EXPECT_EQ(StatusAndCode(board), "503 database_unavailable") << board.body;
  const auto login = anonymous.Post("/api/v1/auth/login",
                                    json{{"login", p.phone}, {"password", kStrongPassword}}.dump());
  EXPECT_EQ(StatusAndCode(login), "503 database_unavailable") << login.body;
  // A session this instance has not seen yet is not "signed out": the database could not tell.
  HttpClient unknown_session(server.base_url());
  unknown_session.set_bearer(foreign_token);
  const auto session = unknown_session.Get("/api/v1/auth/session");
  EXPECT_EQ(StatusAndCode(session), "503 database_unavailable") << session.body;
  const auto page = anonymous.Get("/");
  EXPECT_TRUE(page.status == 200 || page.status == 503) << page.status;
  EXPECT_TRUE(server.running());

  ASSERT_EQ(cluster.Resume(), 0);
  // Back without a restart: the same session saves, the board reads, health is green.
  bool back = false;
  for (int i = 0; i < 100 && !back; ++i) {
    back = anonymous.Get("/healthz").status == 200;
    if (!back) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(back) << server.log();
  EXPECT_TRUE(IsAnswer(SaveAnswers(*p.http, attempt, one), 204));
  EXPECT_TRUE(IsAnswer(anonymous.Get("/api/v1/leaderboard"), 200));
  EXPECT_TRUE(IsAnswer(Submit(*p.http, attempt), 200));
  ExpectCleanStop(server);
}

}  // namespace
}  // namespace hoithi::testing
