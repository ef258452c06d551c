// RunSubprocess: posix_spawn into a new process group, then one loop on the calling thread that
// reads the pipes, notices the exit (a pidfd, else the poll interval), and enforces the timeout
// and the stop token by signalling the group: SIGTERM first, SIGKILL after the grace period.
#include "core/subprocess.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <system_error>
#include <thread>
#include <utility>

extern char** environ;

namespace hoithi::core {

namespace {

using Clock = std::chrono::steady_clock;

/// A descriptor closed when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Close();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  ~Fd() { Close(); }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

/// Both ends close-on-exec, so that a program another thread starts meanwhile never holds our
/// write end (its EOF would never come); the read end non-blocking for the poll loop.
bool MakePipe(Pipe& p) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  p.read = Fd(fds[0]);
  p.write = Fd(fds[1]);
  const int flags = ::fcntl(p.read.get(), F_GETFL);
  return ::fcntl(p.read.get(), F_SETFL, flags | O_NONBLOCK) == 0;
}

/// Kills and reaps the child if the wait loop is left early (an exception from the line
/// callback): no orphaned ffmpeg, no zombie.
struct ChildGuard {
  pid_t pid = -1;
  bool reaped = false;
  ~ChildGuard() {
    if (pid > 0 && !reaped) {
      ::killpg(pid, SIGKILL);
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
};

Error SpawnError(int err, const std::string& program) {
  Error e;
  switch (err) {
    case ENOENT:
      e = MakeError(ErrorKind::kInternal, "program_not_found",
                    fmt::format("Không tìm thấy chương trình {} trên máy chủ.", program));
      break;
    case EACCES:
    case ENOEXEC:
    case EPERM:
      e = MakeError(ErrorKind::kInternal, "program_not_executable",
                    fmt::format("Máy chủ không chạy được chương trình {} (không có quyền hoặc "
                                "không phải tệp chương trình).",
                                program));
      break;
    default:
      // Out of processes, memory or descriptors: likely to pass.
      e = MakeError(ErrorKind::kUnavailable, "subprocess_failed",
                    fmt::format("Máy chủ tạm thời không chạy được chương trình {}; vui lòng thử "
                                "lại sau.",
                                program));
  }
  e.detail = fmt::format("posix_spawn {}: {}", program, std::strerror(err));
  return e;
}

/// posix_spawn with what a child of a threaded server needs: its own process group (so a kill
/// reaches whatever it starts), default signal dispositions and an empty signal mask (the
/// server ignores SIGPIPE; a child must not inherit that), stdin from /dev/null, and every
/// descriptor above 2 closed. Returns 0 or an errno value.
int Spawn(const std::vector<std::string>& args, const SubprocessOptions& options, int out_fd,
          int err_fd, pid_t* pid) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigdefault(&attr, &all);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (out_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  if (!options.working_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.working_dir.c_str());
  }
  // Descriptors opened without O_CLOEXEC elsewhere in the process (a log file, a library's
  // socket) must not leak into the child.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);

  const int rc = posix_spawnp(pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  return rc;
}

/// Linux keeps a nice value per thread, and a new process starts with the nice value of the
/// thread that created it. A short-lived thread raises its own value and spawns, so the child
/// is low-priority from its first instruction (threads it starts included) and no thread of
/// the server changes priority.
int SpawnNiced(const std::vector<std::string>& args, const SubprocessOptions& options, int out_fd,
               int err_fd, pid_t* pid) {
  const int nice = std::clamp(options.nice, 0, 19);
  errno = 0;
  const int current = ::getpriority(PRIO_PROCESS, 0);
  if (nice == 0 || (errno == 0 && current >= nice)) {
    return Spawn(args, options, out_fd, err_fd, pid);
  }
  int rc = 0;
  try {
    std::thread([&] {
      (void)::setpriority(PRIO_PROCESS, 0, nice);  // raising needs no privilege
      rc = Spawn(args, options, out_fd, err_fd, pid);
    }).join();
  } catch (const std::system_error&) {
    rc = EAGAIN;  // no thread could be created
  }
  return rc;
}

/// What the loop does with the bytes of stdout and stderr.
class Sinks {
 public:
  explicit Sinks(const SubprocessOptions& options, SubprocessResult& result)
      : options_(options), result_(result) {}

  void Stdout(const char* data, std::size_t n) {
    if (options_.on_stdout_line) {
      line_.append(data, n);
      std::size_t start = 0;
      for (auto nl = line_.find('\n'); nl != std::string::npos; nl = line_.find('\n', start)) {
        Emit(std::string_view(line_).substr(start, nl - start));
        start = nl + 1;
      }
      line_.erase(0, start);
      // A line with no end in sight is handed over in pieces, so that memory stays bounded;
      // the last piece waits for its newline (or the end).
      while (line_.size() > Piece()) {
        options_.on_stdout_line(std::string_view(line_).substr(0, Piece()));
        line_.erase(0, Piece());
      }
    } else if (options_.capture_stdout) {
      const std::size_t room =
          options_.stdout_limit - std::min(options_.stdout_limit, result_.stdout_text.size());
      result_.stdout_text.append(data, std::min(room, n));
      if (n > room) result_.stdout_truncated = true;
    }
  }

  void StdoutEnd() {
    if (options_.on_stdout_line && !line_.empty()) {
      Emit(line_);
      line_.clear();
    }
  }

  void Stderr(const char* data, std::size_t n) {
    auto& tail = result_.stderr_tail;
    tail.append(data, n);
    // Trimmed in bulk, so that a chatty program costs linear time.
    if (tail.size() > 2 * options_.stderr_limit) Trim();
  }

  void Trim() {
    auto& tail = result_.stderr_tail;
    if (tail.size() > options_.stderr_limit) {
      tail.erase(0, tail.size() - options_.stderr_limit);
      result_.stderr_truncated = true;
    }
  }

 private:
  std::size_t Piece() const { return std::max<std::size_t>(options_.stdout_limit, 1); }

  /// A whole line, in pieces of at most Piece() bytes (an empty line is one empty piece).
  void Emit(std::string_view line) {
    do {
      const auto part = line.substr(0, Piece());
      options_.on_stdout_line(part);
      line.remove_prefix(part.size());
    } while (!line.empty());
  }

  const SubprocessOptions& options_;
  SubprocessResult& result_;
  std::string line_;
};

/// Reads what is available on `fd` now, at most `max_reads` buffers (a program that writes
/// faster than we read must not keep the loop from its clock checks); closes it at EOF (or on a
/// read error).
template <class Consume>
void Drain(Fd& fd, Consume&& consume, const std::function<void()>& at_end, int max_reads) {
  std::array<char, 64 * 1024> buf;
  for (int i = 0; fd && i < max_reads; ++i) {
    const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n > 0) {
      consume(buf.data(), static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      fd.Close();
      if (at_end) at_end();
    }
  }
}

/// Milliseconds from `now` to `t`, at most `cap`; rounded up, so that the poll does not wake
/// just before the moment and spin.
int MillisUntil(Clock::time_point now, Clock::time_point t, int cap) {
  if (t <= now) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(t - now).count();
  return static_cast<int>(std::min<std::int64_t>(ms, cap));
}

}  // namespace

std::string SubprocessResult::Describe() const {
  switch (end) {
    case End::kExited:
      return fmt::format("exit status {}", exit_code);
    case End::kSignaled:
      return fmt::format("killed by signal {} ({})", term_signal, ::strsignal(term_signal));
    case End::kTimedOut:
      return fmt::format("timed out after {} ms", elapsed.count());
    case End::kCancelled:
      return "cancelled";
  }
  return "?";
}

Result<SubprocessResult> RunSubprocess(const std::vector<std::string>& argv,
                                       const SubprocessOptions& options) {
  if (argv.empty() || argv[0].empty()) {
    return MakeError(ErrorKind::kInternal, "program_not_found",
                     "Không có chương trình nào để chạy.");
  }
  const std::string& program = argv[0];
  if (!options.working_dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(options.working_dir, ec)) {
      auto e = MakeError(ErrorKind::kInternal, "subprocess_failed",
                         fmt::format("Không chạy được chương trình {}: thư mục làm việc không "
                                     "tồn tại.",
                                     program));
      e.detail = options.working_dir.string();
      return e;
    }
  }

  const bool want_stdout = options.capture_stdout || static_cast<bool>(options.on_stdout_line);
  Pipe out, err;
  if ((want_stdout && !MakePipe(out)) || !MakePipe(err)) return SpawnError(errno, program);

  const auto start = Clock::now();
  ChildGuard child;
  const int rc =
      SpawnNiced(argv, options, want_stdout ? out.write.get() : -1, err.write.get(), &child.pid);
  if (rc != 0) {
    child.pid = -1;
    return SpawnError(rc, program);
  }
  // Our copies of the write ends go, so that EOF arrives when the child's do.
  out.write.Close();
  err.write.Close();
  // Readable when the child ends: the exit is noticed at once rather than at the next poll
  // interval. Without pidfds (old kernel, seccomp), the interval it is.
  // (The raw system call: glibc 2.36's <sys/pidfd.h> declares pidfd_open without extern "C".)
  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, child.pid, 0)));

  SubprocessResult result;
  Sinks sinks(options, result);
  const auto on_out = [&](const char* d, std::size_t n) { sinks.Stdout(d, n); };
  const auto on_err = [&](const char* d, std::size_t n) { sinks.Stderr(d, n); };
  const std::function<void()> out_end = [&] { sinks.StdoutEnd(); };
  const auto deadline =
      options.timeout.count() > 0 ? start + options.timeout : Clock::time_point::max();
  std::optional<SubprocessResult::End> ending;  // set when we decided to end it
  Clock::time_point kill_at{};
  bool killed = false;

  while (true) {
    // Has it ended? WNOWAIT leaves it a zombie, which keeps its process group id reserved
    // while we may still signal the group.
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(child.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == child.pid) {
      break;
    }
    const auto now = Clock::now();
    if (!ending) {
      if (options.cancel.stop_requested()) {
        ending = SubprocessResult::End::kCancelled;
      } else if (now >= deadline) {
        ending = SubprocessResult::End::kTimedOut;
      }
      if (ending) {
        ::killpg(child.pid, SIGTERM);
        kill_at = now + options.kill_grace;
      }
    } else if (!killed && now >= kill_at) {
      ::killpg(child.pid, SIGKILL);
      killed = true;
    }

    int wait_ms =
        static_cast<int>(std::clamp<std::int64_t>(options.poll_interval.count(), 1, 60'000));
    if (!ending) wait_ms = MillisUntil(now, deadline, wait_ms);
    if (ending && !killed) wait_ms = MillisUntil(now, kill_at, wait_ms);
    std::array<pollfd, 3> fds{};
    nfds_t n = 0;
    if (out.read) fds[n++] = {out.read.get(), POLLIN, 0};
    if (err.read) fds[n++] = {err.read.get(), POLLIN, 0};
    if (pidfd) fds[n++] = {pidfd.get(), POLLIN, 0};
    ::poll(fds.data(), n, wait_ms);  // EINTR: the loop looks again
    Drain(out.read, on_out, out_end, 16);
    Drain(err.read, on_err, nullptr, 16);
  }

  // It has ended: what it wrote is in the pipes. Read it, but do not wait for EOF, which a
  // process it left behind could hold off for ever.
  if (ending) ::killpg(child.pid, SIGKILL);  // what it started dies with it
  // A pipe holds at most 1 MiB: a few reads empty it.
  Drain(out.read, on_out, out_end, 32);
  Drain(err.read, on_err, nullptr, 32);
  sinks.StdoutEnd();
  sinks.Trim();

  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  child.reaped = true;
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  if (ending) {
    result.end = *ending;
  } else {
    result.end =
        WIFSIGNALED(status) ? SubprocessResult::End::kSignaled : SubprocessResult::End::kExited;
  }
  return result;
}

}  // namespace hoithi::core
