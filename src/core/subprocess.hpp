// Running an outside program (ffprobe, ffmpeg) from a multi-threaded server: an argv vector,
// never a shell; its own process group, killed as a whole on timeout or cancellation; a bounded
// tail of its stderr; stdout captured or handed over line by line. The outcome is a value.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace hoithi::core {

struct SubprocessOptions {
  /// The working directory of the program; empty: the server's.
  std::filesystem::path working_dir;
  /// After this long the process group gets SIGTERM, then SIGKILL `kill_grace` later.
  /// Zero: no limit.
  std::chrono::milliseconds timeout{0};
  std::chrono::milliseconds kill_grace{2000};
  /// Checked while waiting (every `poll_interval` at the latest); a stop request ends the
  /// program as a timeout does. A default token never stops.
  std::stop_token cancel;
  std::chrono::milliseconds poll_interval{50};
  /// The nice value the program starts with (0..19; higher is lower priority). A value below
  /// the caller thread's own is raised to it: an unprivileged process cannot lower it.
  int nice = 0;
  /// How much of stderr is kept: its last `stderr_limit` bytes.
  std::size_t stderr_limit = 16 * 1024;
  /// stdout: with `on_stdout_line`, each line (without its '\n') is handed to it on the calling
  /// thread as it arrives, and nothing is kept; otherwise, when `capture_stdout`, its first
  /// `stdout_limit` bytes are kept; else it goes to /dev/null. A line longer than
  /// `stdout_limit` is handed over in pieces of that size.
  bool capture_stdout = false;
  std::size_t stdout_limit = 1024 * 1024;
  std::function<void(std::string_view line)> on_stdout_line;
};

/// How a program that did start ended.
struct SubprocessResult {
  enum class End {
    kExited,     // it exited by itself: exit_code
    kSignaled,   // a signal we did not send ended it: term_signal
    kTimedOut,   // we ended it after SubprocessOptions::timeout
    kCancelled,  // we ended it because the stop token asked
  };
  End end = End::kExited;
  int exit_code = -1;   // when kExited
  int term_signal = 0;  // the signal that ended it (kSignaled, or ours when it did not exit)
  std::string stdout_text;
  bool stdout_truncated = false;
  std::string stderr_tail;  // the last SubprocessOptions::stderr_limit bytes
  bool stderr_truncated = false;
  std::chrono::milliseconds elapsed{0};

  /// Exited by itself with status 0.
  bool succeeded() const { return end == End::kExited && exit_code == 0; }
  /// For logs: "exit status 1", "killed by signal 9", "timed out after 5000 ms", "cancelled".
  std::string Describe() const;
};

/// Runs `argv[0]` (looked up on PATH when it has no '/') with `argv` and the server's
/// environment, stdin from /dev/null, and waits for it. Returns an Error only when the program
/// could not be started: code "program_not_found" (no such program), "program_not_executable"
/// (permission), "subprocess_failed" (out of processes, fds ...). Everything else, including a
/// failure exit, is a SubprocessResult. Safe to call from any number of threads at once: the
/// child gets no descriptor but its stdin/stdout/stderr, and nothing runs between its fork and
/// exec but the C library's posix_spawn.
Result<SubprocessResult> RunSubprocess(const std::vector<std::string>& argv,
                                       const SubprocessOptions& options = {});

}  // namespace hoithi::core
