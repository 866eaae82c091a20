// `shapelog read --follow`: how soon after a publish it prints the new entry, and how much CPU
// it uses while nothing is published.
//
//   bench_follow SHAPELOG_BINARY [SAMPLES]   (default 200; scratch in $BENCH_TMPDIR)
//
// The follower is the real CLI (`read --follow --format raw`) in a child process, its stdout a
// pipe read here. This process is the writer (LogWriter, 1-entry transactions, buffered): each
// value is the CLOCK_MONOTONIC time just before its append, so the wake-up latency is the time
// at which its line arrives minus that (the pipe and the read of it included). Appends come
// at random gaps of 2-20 ms. Idle CPU: the follower's time on a CPU (/proc/PID/schedstat) over
// 2 s without appends.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

#include "bench_common.h"
#include "shapelog/log_writer.h"
#include "shapelog/posix_file_system.h"

extern char** environ;

using namespace shapelog;

namespace {

int64_t monotonic_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// Seconds of CPU that process pid's main thread has used (/proc/PID/schedstat: nanoseconds
// on a CPU, exact where utime and stime count 10 ms ticks).
double cpu_seconds(pid_t pid) {
  std::ifstream stat(fmt::format("/proc/{}/schedstat", pid));
  double ns = 0;
  stat >> ns;
  return ns / 1e9;
}

// Reads lines from fd; returns false at end of file.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  bool next(std::string& line) {
    for (;;) {
      if (size_t nl = buffer_.find('\n'); nl != std::string::npos) {
        line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return true;
      }
      char chunk[4096];
      ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

 private:
  int fd_;
  std::string buffer_;
};

}  // namespace

int run(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: bench_follow SHAPELOG_BINARY [SAMPLES]\n");
    return 2;
  }
  const std::string binary = argv[1];
  const size_t samples = argc > 2 ? bench::count_arg(argv[2], "SAMPLES") : 200;
  bench::ScratchDir dir("follow");
  const std::string log = dir.sub("log");
  PosixFileSystem fs;
  WriterOptions options;
  options.flush_threshold = 0;
  LogWriter writer(fs, log, options);
  writer.append({Entry{Offset(1, 0), ValueKind::String, "start"}});

  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<std::string> args = {binary, "--dir", log, "read", "--follow", "--format", "raw"};
  std::vector<char*> argp;
  for (std::string& a : args) argp.push_back(a.data());
  argp.push_back(nullptr);
  pid_t child = 0;
  const int spawned = posix_spawn(&child, binary.c_str(), &actions, nullptr, argp.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + binary);
  ::close(pipe_fds[1]);
  LineReader lines(pipe_fds[0]);
  std::string line;
  if (!lines.next(line) || line != "start") throw std::runtime_error("the follower did not start");

  std::mt19937 random(1);
  std::vector<double> latency_us;
  for (size_t i = 0; i < samples; ++i) {
    std::this_thread::sleep_for(std::chrono::microseconds(2000 + random() % 18000));
    const int64_t sent = monotonic_ns();
    writer.append({Entry{Offset(2 + i, 0), ValueKind::String, std::to_string(sent)}});
    if (!lines.next(line)) throw std::runtime_error("the follower stopped");
    latency_us.push_back(static_cast<double>(monotonic_ns() - std::stoll(line)) / 1e3);
  }
  const double cpu_before = cpu_seconds(child);
  const auto idle_start = bench::Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const double idle_cpu = (cpu_seconds(child) - cpu_before) / bench::seconds_since(idle_start);
  ::kill(child, SIGTERM);
  ::waitpid(child, nullptr, 0);

  std::sort(latency_us.begin(), latency_us.end());
  const double median = bench::median(latency_us);
  const double p99 = latency_us[latency_us.size() * 99 / 100];
  fmt::print("bench_follow: {} appends at 2-20 ms gaps, follower `{} read --follow --format raw`\n",
             samples, binary);
  fmt::print(
      "wake-up latency, publish to line received: median {:.0f} us, p99 {:.0f} us, max {:.0f} us\n",
      median, p99, latency_us.back());
  fmt::print("follower CPU while idle for 2 s: {:.2f} % of a core\n", idle_cpu * 100);
  bench::result("follow.latency_median_us", median);
  bench::result("follow.latency_p99_us", p99);
  bench::result("follow.idle_cpu_pct", idle_cpu * 100);
  return 0;
}

int main(int argc, char** argv) {
  return bench::guarded_main(argc, argv, run, "bench_follow SHAPELOG_BINARY [SAMPLES]");
}
