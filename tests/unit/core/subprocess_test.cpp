// core::RunSubprocess with real programs: exit codes and signals, stderr's bounded tail, stdout
// captured or line by line, the timeout and its escalation to SIGKILL of the whole group,
// cancellation, the nice value, the working directory, no leaked descriptors, missing programs.
#include "core/subprocess.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace hoithi::core {
namespace {

using namespace std::chrono_literals;
using End = SubprocessResult::End;

/// Runs a program that must start.
SubprocessResult Start(const std::vector<std::string>& argv, SubprocessOptions options = {}) {
  auto r = RunSubprocess(argv, options);
  if (!r) ADD_FAILURE() << r.error().code << ": " << r.error().message << " " << r.error().detail;
  return r ? std::move(r).value() : SubprocessResult{};
}

SubprocessOptions Capturing() {
  SubprocessOptions o;
  o.capture_stdout = true;
  return o;
}

/// True once `pid` no longer runs (gone, or a zombie nobody reaped: containers' init may not).
bool Gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

/// Waits for a condition that another process brings about, for at most 10 s.
template <class F>
bool Eventually(F condition) {
  for (int i = 0; i < 1000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

TEST(Subprocess, ReportsTheExitCode) {
  auto ok = Start({"true"});
  EXPECT_EQ(ok.end, End::kExited);
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_TRUE(ok.succeeded());

  auto three = Start({"sh", "-c", "exit 3"});
  EXPECT_EQ(three.end, End::kExited);
  EXPECT_EQ(three.exit_code, 3);
  EXPECT_FALSE(three.succeeded());
  EXPECT_EQ(three.Describe(), "exit status 3");
}

TEST(Subprocess, ReportsASignalItDidNotSend) {
  auto r = Start({"sh", "-c", "kill -KILL $$"});
  EXPECT_EQ(r.end, End::kSignaled);
  EXPECT_EQ(r.term_signal, SIGKILL);
  EXPECT_FALSE(r.succeeded());
}

TEST(Subprocess, PassesArgumentsAsTheyAreWithoutAShell) {
  auto r = Start({"printf", "%s|%s", "$HOME; echo injected", "a b  'c'"}, Capturing());
  EXPECT_TRUE(r.succeeded());
  EXPECT_EQ(r.stdout_text, "$HOME; echo injected|a b  'c'");
}

TEST(Subprocess, CapturesStderr) {
  auto r = Start({"sh", "-c", "echo 'Lỗi: tệp hỏng' >&2; exit 1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.stderr_tail, "Lỗi: tệp hỏng\n");
  EXPECT_FALSE(r.stderr_truncated);
}

TEST(Subprocess, KeepsOnlyTheLastBytesOfALongStderr) {
  SubprocessOptions o;
  o.stderr_limit = 1000;
  // 300 000 bytes of 'a', then the end that matters.
  auto r =
      Start({"sh", "-c", "head -c 300000 /dev/zero | tr '\\0' a >&2; printf 'the end' >&2"}, o);
  EXPECT_TRUE(r.succeeded());
  EXPECT_TRUE(r.stderr_truncated);
  ASSERT_EQ(r.stderr_tail.size(), 1000u);
  EXPECT_TRUE(r.stderr_tail.ends_with("aaathe end")) << r.stderr_tail.substr(980);
}

TEST(Subprocess, StdoutGoesNowhereUnlessAsked) {
  auto r = Start({"echo", "hello"});
  EXPECT_TRUE(r.succeeded());
  EXPECT_EQ(r.stdout_text, "");
}

TEST(Subprocess, CapturesStdoutUpToItsLimit) {
  auto o = Capturing();
  o.stdout_limit = 10;
  auto r = Start({"sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x"}, o);
  EXPECT_TRUE(r.succeeded()) << "the rest is read and dropped, so the program is not blocked";
  EXPECT_EQ(r.stdout_text, "xxxxxxxxxx");
  EXPECT_TRUE(r.stdout_truncated);
}

TEST(Subprocess, HandsStdoutOverLineByLine) {
  std::vector<std::string> lines;
  SubprocessOptions o;
  o.on_stdout_line = [&](std::string_view line) { lines.emplace_back(line); };
  auto r = Start({"printf", "frame=1\nout_time_ms=500000\n\nprogress=end"}, o);
  EXPECT_TRUE(r.succeeded());
  EXPECT_EQ(lines, (std::vector<std::string>{"frame=1", "out_time_ms=500000", "", "progress=end"}));
  EXPECT_EQ(r.stdout_text, "") << "lines handed over are not kept";
}

TEST(Subprocess, HandsAnOverlongLineOverInPieces) {
  std::vector<std::string> lines;
  SubprocessOptions o;
  o.stdout_limit = 4;
  o.on_stdout_line = [&](std::string_view line) { lines.emplace_back(line); };
  auto r = Start({"printf", "abcdefghij\nxy\n"}, o);
  EXPECT_TRUE(r.succeeded());
  EXPECT_EQ(lines, (std::vector<std::string>{"abcd", "efgh", "ij", "xy"}));
}

TEST(Subprocess, TimeoutEndsASleepingProgramAtOnce) {
  SubprocessOptions o;
  o.timeout = 200ms;
  auto r = Start({"sleep", "60"}, o);
  EXPECT_EQ(r.end, End::kTimedOut);
  EXPECT_EQ(r.term_signal, SIGTERM) << "sleep dies of the first, polite signal";
  EXPECT_GE(r.elapsed, 200ms);
  EXPECT_LT(r.elapsed, 30s) << "it did not sleep its 60 seconds";
  EXPECT_FALSE(r.succeeded());
}

TEST(Subprocess, TimeoutKillsTheWholeGroupEvenWhenItIgnoresSigterm) {
  // The shell and its background sleep both ignore SIGTERM (an ignored signal survives exec).
  auto o = Capturing();
  o.timeout = 100ms;
  o.kill_grace = 300ms;
  auto r = Start({"sh", "-c", "trap '' TERM; sleep 60 & echo $!; wait"}, o);
  EXPECT_EQ(r.end, End::kTimedOut);
  EXPECT_EQ(r.term_signal, SIGKILL);
  EXPECT_LT(r.elapsed, 30s);
  const pid_t sleeper = std::stoi(r.stdout_text);
  EXPECT_TRUE(Eventually([&] { return Gone(sleeper); })) << "the background sleep was killed too";
}

TEST(Subprocess, CancellationStopsTheProgram) {
  std::stop_source stop;
  SubprocessOptions o;
  o.cancel = stop.get_token();
  // The program says it is running; the callback then cancels, as a job being withdrawn would.
  o.on_stdout_line = [&](std::string_view line) {
    if (line == "running") stop.request_stop();
  };
  auto r = Start({"sh", "-c", "echo running; exec sleep 60"}, o);
  EXPECT_EQ(r.end, End::kCancelled);
  EXPECT_EQ(r.Describe(), "cancelled");
  EXPECT_LT(r.elapsed, 30s);
}

TEST(Subprocess, CancellationFromAnotherThread) {
  std::stop_source stop;
  SubprocessOptions o;
  o.cancel = stop.get_token();
  std::atomic<bool> started = false;
  o.on_stdout_line = [&](std::string_view) { started = true; };
  std::thread canceller([&] {
    while (!started)
      std::this_thread::sleep_for(1ms);
    stop.request_stop();
  });
  auto r = Start({"sh", "-c", "echo running; exec sleep 60"}, o);
  canceller.join();
  EXPECT_EQ(r.end, End::kCancelled);
}

TEST(Subprocess, AMissingProgramIsAClearError) {
  auto r = RunSubprocess({"hoithi-no-such-program", "--version"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "program_not_found");
  EXPECT_NE(r.error().message.find("hoithi-no-such-program"), std::string::npos);

  auto by_path = RunSubprocess({"/nonexistent/ffmpeg"});
  ASSERT_FALSE(by_path.ok());
  EXPECT_EQ(by_path.error().code, "program_not_found");

  EXPECT_FALSE(RunSubprocess({}).ok());
}

TEST(Subprocess, AFileThatIsNotExecutableIsAClearError) {
  testing::TempDir dir;
  const auto script = dir.path() / "not-executable";
  testing::WriteFile(script, "#!/bin/sh\necho hi\n");
  auto r = RunSubprocess({script.string()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "program_not_executable");
}

TEST(Subprocess, RunsInTheWorkingDirectory) {
  testing::TempDir dir;
  auto o = Capturing();
  o.working_dir = dir.path();
  auto r = Start({"pwd", "-P"}, o);
  EXPECT_EQ(r.stdout_text, std::filesystem::canonical(dir.path()).string() + "\n");

  o.working_dir = dir.path() / "missing";
  auto missing = RunSubprocess({"pwd"}, o);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "subprocess_failed");
}

TEST(Subprocess, StartsTheProgramWithTheNiceValue) {
  errno = 0;
  const int mine = ::getpriority(PRIO_PROCESS, 0);
  ASSERT_EQ(errno, 0);
  ASSERT_LE(mine, 7) << "the test runs at a nice value above 7 already";
  auto o = Capturing();
  o.nice = 7;
  auto r = Start({"nice"}, o);  // coreutils' nice prints its own nice value
  EXPECT_EQ(r.stdout_text, "7\n");
  EXPECT_EQ(::getpriority(PRIO_PROCESS, 0), mine) << "the calling thread keeps its priority";

  o.nice = 0;
  EXPECT_EQ(Start({"nice"}, o).stdout_text, std::to_string(mine) + "\n");
}

TEST(Subprocess, TheProgramGetsNoDescriptorOfTheServer) {
  // A descriptor opened without O_CLOEXEC, as some library might.
  const int fd = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  const int high = ::fcntl(fd, F_DUPFD, 100);
  ::close(fd);
  ASSERT_GE(high, 100);
  auto o = Capturing();
  const auto path = "/proc/self/fd/" + std::to_string(high);
  auto r = Start({"sh", "-c", "if [ -e " + path + " ]; then echo leaked; else echo clean; fi"}, o);
  ::close(high);
  EXPECT_EQ(r.stdout_text, "clean\n");
}

TEST(Subprocess, ManyThreadsRunProgramsAtOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> right = 0;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([t, &right] {
      for (int i = 0; i < 5; ++i) {
        auto o = Capturing();
        const auto word = std::to_string(t) + "-" + std::to_string(i);
        auto r = RunSubprocess({"echo", word}, o);
        if (r && r->succeeded() && r->stdout_text == word + "\n") ++right;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(right, 30);
}

}  // namespace
}  // namespace hoithi::core
