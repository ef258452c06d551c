// Runs the real `hoithi` binary for tests: a one-shot CLI command, or `hoithi serve` on an
// ephemeral port with a temporary data dir, learning its port from the log line
// "listening on http://127.0.0.1:PORT". Later issues reuse this for every end-to-end test.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

namespace hoithi::testing {

using Env = std::map<std::string, std::string>;

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `hoithi args...` with the process environment plus `env` and `stdin_text` as its standard
/// input; waits for it to end.
CliResult RunHoithi(const std::vector<std::string>& args, const Env& env = {},
                    std::chrono::seconds timeout = std::chrono::seconds(120),
                    const std::string& stdin_text = {});

class ServerProcess {
 public:
  /// A server on its own temporary data dir (or `data_dir` when given), with `env` on top of
  /// the defaults (loopback, port 0, two threads). Not started yet.
  explicit ServerProcess(Env env = {}, std::string data_dir = {});

  /// Names its log files `name`.err and `name`.out (default "serve"), so that several instances
  /// can share one data dir. Before Start.
  ServerProcess& LogAs(const std::string& name);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// `hoithi seed-demo --open-now` on this server's database (before or after Start).
  void SeedDemo();
  /// Starts `hoithi serve` and waits until it listens; throws with the log when it does not.
  void Start();
  /// Sends `signal` and waits for the exit; returns the exit code (128+n when killed by n).
  int Stop(int signal = SIGTERM, std::chrono::seconds timeout = std::chrono::seconds(60));
  /// SIGKILL and wait, as a crash.
  void Kill() { Stop(SIGKILL); }
  bool running() const { return pid_ > 0; }

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& data_dir() const { return data_dir_; }
  /// The environment the server runs with (to run CLI commands against the same database).
  Env env() const;
  /// What the server wrote to stderr (the application log).
  std::string log() const;
  /// What the server wrote to stdout (the access log).
  std::string access_log() const;

 private:
  std::unique_ptr<TempDir> own_dir_;
  std::string data_dir_;
  Env env_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string err_path_, out_path_;
};

/// The extra environment every test server and CLI run gets: a cheaper password hash than
/// production (tests hash hundreds of passwords).
Env TestDefaults();

/// `env` with, when the suite runs on PostgreSQL and `env` names a data dir but no database,
/// the PostgreSQL database of that data dir (see test_database.hpp).
Env WithTestDatabase(Env env);

}  // namespace hoithi::testing
