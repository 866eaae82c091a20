// shapelog stress: real threads on a real log, every read judged; the first bad read becomes
// a trace that replay reproduces.
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <new>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "build_info.h"
#include "commands/commands.h"
#include "exit_codes.h"
#include "input/number_flags.h"
#include "input/strategy_flag.h"
#include "output/color.h"
#include "output/html_timeline.h"
#include "output/output.h"
#include "output/run_report.h"
#include "shapelog/error.h"
#include "shapelog/memory_file_system.h"
#include "shapelog/posix_file_system.h"
#include "shapelog/schedule_policies.h"
#include "storage/temporary_directory.h"
#include "stress/trace_from_stress.h"
#include "trace/json_text.h"
#include "trace/trace_writer.h"
#include "trace_runs.h"

namespace shapelog::cli {

namespace {

struct StressFlags {
  std::string strategy;  // set by add_strategy_option
  size_t readers = 4;
  double duration = 10;
  std::optional<uint64_t> reads;
  bool chaos = false;
  std::optional<uint64_t> seed;
  std::string out;
  std::string html;  // --html FILE, "-" for stdout
  bool keep_going = false;
  bool json = false;
  bool no_record = false;
  bool processes = false;
};

// --processes: the writer runs here, each reader in a child process; they share counters
// through an anonymous shared mapping made before the fork.
StressSummary run_with_processes(const StressOptions& options) {
  void* memory = ::mmap(nullptr, sizeof(StressCounters), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) throw Error(ErrorKind::Io, "cannot map memory for stress counters");
  auto* counters = new (memory) StressCounters();
  std::vector<pid_t> children;
  for (size_t r = 1; r <= options.readers; ++r) {
    pid_t pid = ::fork();
    if (pid < 0) {
      counters->stop = 1;
      break;
    }
    if (pid == 0) {
      int status = 0;
      try {
        PosixFileSystem fs;
        StressOptions own = options;
        own.fs = &fs;
        run_stress_reader(own, *counters, r);
      } catch (const std::exception& error) {
        fmt::print(stderr, "shapelog: stress: reader process r{} failed: {}\n", r, error.what());
        counters->stop = 1;
        status = kExitFailure;
      }
      ::_exit(status);
    }
    children.push_back(pid);
  }
  StressSummary summary;
  std::exception_ptr failure;
  try {
    summary = run_stress_writer(options, *counters);
  } catch (...) {
    failure = std::current_exception();
    counters->stop = 1;
  }
  bool children_ok = children.size() == options.readers;
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    children_ok = children_ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  ::munmap(memory, sizeof(StressCounters));
  if (failure) std::rethrow_exception(failure);
  if (!children_ok) throw Error(ErrorKind::Io, "a stress reader process failed or could not start");
  return summary;
}

// The trace of the first bad read, checked by replaying it; empty text says why not.
struct Reproduction {
  std::optional<Trace> trace;
  std::optional<RunResult> run;  // the trace replayed
  std::string problem;
};

Reproduction reproduce(const StressSummary& summary, ReadStrategy strategy, uint64_t seed) {
  Reproduction reproduction;
  reproduction.trace = trace_for_bad_read(summary, strategy, seed, reproduction.problem);
  if (!reproduction.trace) return reproduction;
  MemoryFileSystem fs;
  ReplayPolicy policy(*reproduction.trace);
  reproduction.run = run_trace(*reproduction.trace, RunOptions{strategy, &fs, "/log"}, policy);
  if (reproduction.run->outcome != Outcome::Race)
    reproduction.problem =
        "replaying the recorded interleaving did not lose data (the steps "
        "overlapped in a way a schedule of points cannot express)";
  return reproduction;
}

int run_stress_command(const StressFlags& flags, AppContext&) {
  const ReadStrategy strategy = strategies_from_flag(flags.strategy, false).front();
  if (!(flags.duration > 0)) throw_bad_input("--duration must be a positive number of seconds");
  uint64_t seed = flags.seed.value_or(std::random_device{}());
  fmt::print(stderr, "shapelog: stress: seed {} (repeat with --seed {})\n", seed, seed);

  TemporaryDirectory temporary("stress");
  PosixFileSystem fs;
  StressOptions options;
  options.strategy = strategy;
  options.readers = flags.readers;
  options.duration_seconds = flags.duration;
  options.reads = flags.reads.value_or(0);
  options.chaos = flags.chaos;
  options.record = !flags.no_record;
  options.keep_going = flags.keep_going;
  options.seed = seed;
  options.fs = &fs;
  options.dir = temporary.path() + "/log";
  StressSummary summary = flags.processes ? run_with_processes(options) : run_stress(options);

  Reproduction reproduction;
  if (summary.first_bad && options.record) reproduction = reproduce(summary, strategy, seed);
  if (summary.bad_reads > 0 && flags.processes)
    reproduction.problem = "traces come from one process: rerun without --processes to get one";
  bool reproduced = reproduction.trace && reproduction.problem.empty();
  if (reproduced && !flags.out.empty())
    write_file_checked(flags.out, write_trace(*reproduction.trace));
  if (reproduced && !flags.html.empty()) {
    std::string command =
        flags.out.empty()
            ? fmt::format("shapelog stress --strategy {} --seed {}{}", strategy, seed,
                          flags.chaos ? " --chaos" : "")
            : fmt::format("shapelog replay {} --strategy {}", shell_quote(flags.out), strategy);
    std::string page = html_timeline(*reproduction.trace, {*reproduction.run}, command);
    if (flags.html == "-") {
      Output out;
      out.write(page);
      return kExitFound;
    }
    write_file_checked(flags.html, page);
  }

  double reads_per_second = summary.reads / std::max(summary.seconds, 1e-9);
  Output out;
  if (flags.json) {
    nlohmann::json json = {{"strategy", strategy_name(strategy)},
                           {"readers", flags.readers},
                           {"seed", seed},
                           {"chaos", flags.chaos},
                           {"recording", options.record},
                           {"reads", summary.reads},
                           {"appends", summary.appends},
                           {"flushes", summary.flushes},
                           {"bad_reads", summary.bad_reads},
                           {"seconds", summary.seconds},
                           {"reads_per_second", reads_per_second}};
    if (summary.first_bad_seconds) json["first_bad_read_seconds"] = *summary.first_bad_seconds;
    json["processes"] = flags.processes;
    json["shapelog"] = version_stamp();
    if (!summary.first_bad_text.empty()) json["first_bad_read"] = summary.first_bad_text;
    if (summary.bad_reads > 0) json["reproduced"] = reproduced;
    if (!reproduction.problem.empty()) json["not_reproduced_because"] = reproduction.problem;
    if (reproduced && !flags.out.empty()) json["trace"] = flags.out;
    out.line(compact_json(json));
  } else {
    out.line(fmt::format("stress: strategy {}, {} reader {}, seed {}, chaos {}, recording {}",
                         strategy, flags.readers, flags.processes ? "processes" : "threads", seed,
                         flags.chaos ? "on" : "off", options.record ? "on" : "off"));
    std::string bad_reads = fmt::format("bad reads {}", summary.bad_reads);
    out.line(fmt::format("reads {} ({:.0f}/s), appends {}, flushes {}, {}, {:.2f} s", summary.reads,
                         reads_per_second, summary.appends, summary.flushes,
                         summary.bad_reads > 0 ? as_bad(bad_reads) : bad_reads, summary.seconds));
    if (summary.bad_reads > 0) {
      out.line(fmt::format("first bad read after {:.3f} s: {}", *summary.first_bad_seconds,
                           summary.first_bad_text));
      if (reproduced) out.write(render_run(*reproduction.trace, *reproduction.run));
      if (reproduced && !flags.out.empty())
        out.line(fmt::format("trace written to {} (shapelog replay {} reproduces the race)",
                             flags.out, flags.out));
      if (!reproduction.problem.empty())
        out.line(fmt::format("no trace: {}", reproduction.problem));
    }
  }
  return summary.bad_reads > 0 ? kExitFound : kExitOk;
}

}  // namespace

CommandRun setup_stress(CLI::App& app, AppContext& context) {
  auto flags = std::make_shared<StressFlags>();
  CLI::App* command = app.add_subcommand(
      "stress",
      "Run a writer thread and reader threads on a real log in a temporary directory, judge "
      "every read, and write the first bad read as a trace replay reproduces. Exit 1 when a "
      "read went wrong");
  add_strategy_option(*command, flags->strategy, false);
  add_number_option(*command, "--readers", flags->readers, "Reader threads (1 to 64)", 64, 1)
      ->capture_default_str();
  auto* duration = command->add_option("--duration", flags->duration, "Seconds to run")
                       ->check(seconds_number())
                       ->capture_default_str();
  add_number_option(*command, "--reads", flags->reads, "Stop after this many reads in all")
      ->excludes(duration);
  command->add_flag("--chaos", flags->chaos,
                    "Yield or sleep at random points (seeded) to widen race windows");
  add_number_option(*command, "--seed", flags->seed, "Seed of the run (printed every run)");
  command->add_option("--out", flags->out, "Write the first bad read's trace here");
  command->add_option("--html", flags->html,
                      "Write the first bad read's replayed trace as one self-contained HTML "
                      "page to FILE (- for stdout, instead of the text)");
  command->add_flag("--keep-going", flags->keep_going, "Count bad reads instead of stopping");
  command->add_flag("--json", flags->json, "Print one JSON object for scripts");
  command->add_flag("--no-record", flags->no_record,
                    "Do not record points (to measure what recording costs)");
  command->add_flag("--processes", flags->processes,
                    "Run each reader as a separate process on the same log directory");
  return [flags, &context] { return run_stress_command(*flags, context); };
}

}  // namespace shapelog::cli
