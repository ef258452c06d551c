// Process spawning and log scraping for the harness.
#include "support/server_harness.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace hoithi::testing {
namespace {

pid_t Spawn(const std::vector<std::string>& args, const Env& extra, const std::string& out_path,
            const std::string& err_path, const std::string& in_path = "/dev/null") {
  std::vector<std::string> argv_storage;
  argv_storage.push_back(HOITHI_BINARY);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  Env merged;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : extra)
    merged[k] = v;
  std::vector<std::string> env_storage;
  for (const auto& [k, v] : merged)
    env_storage.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_storage)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, HOITHI_BINARY, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed");
  return pid;
}

/// Waits for `pid`; returns its exit code, 128+signal when killed, -1 on timeout.
int WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

Env TestDefaults() {
  Env env;
  env["HOITHI_AUTH_PASSWORD_OPS"] = "1";
  env["HOITHI_AUTH_PASSWORD_MEMORY_KIB"] = "8192";
  env["HOITHI_TESTING_WEAK_PASSWORD_HASHING"] = "true";  // the cheap hash above, on purpose
  // Tests drive many clients from one address; tests/integration/limits_test.cpp turns it on.
  env["HOITHI_LIMITS_PER_IP_ENABLED"] = "false";
  // Some tests start hundreds of attempts for one participant within seconds.
  env["HOITHI_LIMITS_ATTEMPT_START_PER_ACCOUNT"] = "0";
  // Tests read the leaderboard right after a submit; tests/integration/public_cache_test.cpp
  // turns the shared answers on.
  env["HOITHI_SERVER_PUBLIC_CACHE_MS"] = "0";
  return env;
}

Env WithTestDatabase(Env env) {
  const auto dir = env.find("HOITHI_STORAGE_DATA_DIR");
  if (OnPostgres() && dir != env.end() && !env.count("HOITHI_DATABASE_URL")) {
    env["HOITHI_DATABASE_URL"] = DatabaseUrlFor(dir->second);
  }
  return env;
}

CliResult RunHoithi(const std::vector<std::string>& args, const Env& env,
                    std::chrono::seconds timeout, const std::string& stdin_text) {
  TempDir dir;
  const auto out = (dir.path() / "out").string();
  const auto err = (dir.path() / "err").string();
  const auto in = (dir.path() / "in").string();
  {
    std::ofstream input(in, std::ios::binary);
    input << stdin_text;
  }
  Env merged = TestDefaults();
  for (const auto& [k, v] : env)
    merged[k] = v;
  const pid_t pid = Spawn(args, WithTestDatabase(std::move(merged)), out, err, in);
  CliResult r;
  r.exit_code = WaitFor(pid, timeout);
  if (r.exit_code == -1) {
    kill(pid, SIGKILL);
    WaitFor(pid, std::chrono::seconds(10));
  }
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

ServerProcess::ServerProcess(Env env, std::string data_dir) : env_(std::move(env)) {
  if (data_dir.empty()) {
    own_dir_ = std::make_unique<TempDir>();
    data_dir_ = own_dir_->str();
  } else {
    data_dir_ = std::move(data_dir);
  }
  LogAs("serve");
}

ServerProcess& ServerProcess::LogAs(const std::string& name) {
  err_path_ = data_dir_ + "/" + name + ".err";
  out_path_ = data_dir_ + "/" + name + ".out";
  return *this;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop(SIGKILL);
  if (own_dir_) {
    try {
      DropDatabaseFor(data_dir_);
    } catch (const std::exception&) {
      // The cluster goes away at the end of the run anyway.
    }
  }
}

Env ServerProcess::env() const {
  Env env = TestDefaults();
  env["HOITHI_STORAGE_DATA_DIR"] = data_dir_;
  env["HOITHI_SERVER_BIND"] = "127.0.0.1";
  env["HOITHI_SERVER_PORT"] = "0";
  env["HOITHI_SERVER_THREADS"] = "2";
  for (const auto& [k, v] : env_)
    env[k] = v;
  return WithTestDatabase(std::move(env));
}

void ServerProcess::SeedDemo() {
  const auto r = RunHoithi({"seed-demo", "--open-now"}, env());
  if (r.exit_code != 0) throw std::runtime_error("seed-demo failed: " + r.err + r.out);
}

void ServerProcess::Start() {
  if (pid_ > 0) throw std::runtime_error("server already running");
  const auto log_before = ReadFile(err_path_).size();
  pid_ = Spawn({"serve"}, env(), out_path_, err_path_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto log = ReadFile(err_path_).substr(log_before);
    // "listening on http://127.0.0.1:PORT with N threads"
    if (const auto at = log.find("listening on http://"); at != std::string::npos) {
      const auto colon = log.find(':', at + 20);
      const auto space = log.find(' ', colon);
      if (colon != std::string::npos && space != std::string::npos) {
        port_ = std::stoi(log.substr(colon + 1, space - colon - 1));
        return;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("hoithi serve exited at start:\n" + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Stop(SIGKILL);
  throw std::runtime_error("hoithi serve did not start listening within 60 s:\n" + log());
}

int ServerProcess::Stop(int signal, std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int code = WaitFor(pid_, timeout);
  if (code == -1) {
    kill(pid_, SIGKILL);
    code = WaitFor(pid_, std::chrono::seconds(10));
  }
  pid_ = -1;
  return code;
}

std::string ServerProcess::log() const {
  return ReadFile(err_path_);
}
std::string ServerProcess::access_log() const {
  return ReadFile(out_path_);
}

}  // namespace hoithi::testing
