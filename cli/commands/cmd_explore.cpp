// shapelog explore TRACE: search the interleavings of a trace's ops for a lost read, or rule
// it out; --merge combines the JSON results of shards.
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/commands.h"
#include "exit_codes.h"
#include "explore/explore.h"
#include "explore/minimize.h"
#include "explore/random_search.h"
#include "input/number_flags.h"
#include "input/strategy_flag.h"
#include "output/explore_report.h"
#include "output/html_timeline.h"
#include "output/output.h"
#include "output/run_report.h"
#include "shapelog/error.h"
#include "shapelog/trace_file.h"
#include "trace/json_text.h"
#include "trace/trace_writer.h"
#include "trace_runs.h"

namespace shapelog::cli {

namespace {

struct ExploreOptions {
  std::string trace_path;
  std::string strategy;  // set by add_strategy_option
  std::optional<uint32_t> preemption_bound;
  std::optional<uint64_t> random;
  std::optional<uint32_t> pct;
  std::optional<uint64_t> seed;
  uint64_t max_schedules = UINT64_MAX;
  double max_seconds = 1e18;
  std::string shard = "0/1";
  std::vector<std::string> merge;
  std::string out;
  std::string html;  // --html FILE, "-" for stdout
  bool json = false;
  bool no_reduction = false;
  bool on_disk = false;
  bool whole_trace = false;
};

Shard shard_flag(const std::string& text) {
  std::optional<Shard> shard = parse_shard(text);
  if (!shard)
    throw_bad_input(
        fmt::format("--shard '{}' is not K/N with 0 <= K < N <= 4294967295 (e.g. 0/4)", text));
  return *shard;
}

// Progress on stderr, only when a person is watching.
class ProgressLine {
 public:
  explicit ProgressLine(ReadStrategy strategy) : strategy_(strategy), live_(::isatty(2)) {}
  ~ProgressLine() {
    if (shown_) fmt::print(stderr, "\r\033[K");
  }
  void operator()(const ExploreStats& stats) {
    if (!live_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    double seconds = std::chrono::duration<double>(now - start_).count();
    fmt::print(stderr, "\r\033[K{}: {} schedules ({:.0f}/s), preemption bound {}", strategy_,
               stats.schedules, stats.schedules / std::max(seconds, 1e-9), stats.preemption_bound);
    last_ = now;
    shown_ = true;
  }

 private:
  ReadStrategy strategy_;
  bool live_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

// The flags that shape what is searched: shards merge only when these agree.
std::string settings_text(const ExploreOptions& options, uint64_t seed) {
  std::string mode = options.pct      ? fmt::format("pct {} seed {}", *options.pct, seed)
                     : options.random ? fmt::format("random {} seed {}", *options.random, seed)
                                      : "exhaustive";
  return fmt::format(
      "{}, preemption bound {}, reduction {}, {}", mode,
      options.preemption_bound ? fmt::format("{}", *options.preemption_bound) : "none",
      options.no_reduction ? "off" : "on",
      options.whole_trace ? "whole trace" : "per read where it holds");
}

StrategyResult explore_strategy(const Trace& trace, ReadStrategy strategy,
                                const ExploreOptions& options, Shard shard, uint64_t seed,
                                std::optional<RunResult>& replayed) {
  bool on_disk = wants_disk(trace, options.on_disk);
  TraceExecutor execute = [&](const Trace& searched, SchedulePolicy& policy) {
    return run_on_fresh_log(searched, strategy, on_disk, policy);
  };
  TraceRunner run = [&](SchedulePolicy& policy) { return execute(trace, policy); };
  ExploreLimits limits;
  limits.preemption_bound = options.preemption_bound;
  limits.max_schedules = options.max_schedules;
  limits.max_seconds = options.max_seconds;
  limits.reduction = !options.no_reduction;
  limits.whole_trace = options.whole_trace;
  limits.shard = shard;

  ProgressLine progress(strategy);
  ExploreResult found;
  if (options.random || options.pct) {
    SamplingOptions sampling{options.random.value_or(1000), seed, options.pct.value_or(0)};
    found = explore_sampled(run, sampling, limits, std::ref(progress));
    found.whole_trace_reason = "sampling runs whole schedules";
  } else {
    found = explore_trace(trace, strategy, execute, limits, std::ref(progress));
  }

  StrategyResult result{
      strategy, found.stats, found.split, found.whole_trace_reason, std::nullopt, 0, 0};
  if (found.counterexample) {
    MinimizedCounterexample minimized =
        minimize_counterexample(trace, strategy, *found.counterexample, run);
    result.counterexample = minimized.trace;
    result.counterexample_preemptions = minimized.run.preemptions();
    result.counterexample_steps = minimized.run.timeline.size();
    replayed = std::move(minimized.run);
  }
  return result;
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw_bad_input(fmt::format("cannot read explore result '{}'; check the path", path));
  try {
    return nlohmann::json::parse(file);
  } catch (const nlohmann::json::parse_error& error) {
    throw_bad_input(
        fmt::format("{}: not JSON ({}); pass files written by 'shapelog explore "
                    "--json'",
                    path, error.what()));
  }
}

int exit_code(const std::vector<StrategyResult>& results) {
  bool incomplete = false;
  for (const StrategyResult& result : results) {
    if (outcome_of(result) == ExploreOutcome::Race) return kExitFound;
    incomplete = incomplete || outcome_of(result) == ExploreOutcome::Incomplete;
  }
  return incomplete ? kExitIncomplete : kExitOk;
}

int run_explore(const ExploreOptions& options, AppContext&) {
  ShardResult report;
  std::optional<Trace> trace;
  std::vector<std::pair<Trace, RunResult>> timelines;  // counterexamples replayed
  if (!options.merge.empty()) {
    if (!options.trace_path.empty())
      throw_bad_input("give either a TRACE to explore or --merge with shard results, not both");
    std::vector<ShardResult> shards;
    for (const std::string& path : options.merge)
      shards.push_back(shard_from_json(read_json_file(path), path));
    report = merge_shards(shards);
  } else {
    if (options.trace_path.empty())
      throw_bad_input("explore needs a TRACE file (or --merge with shard results)");
    trace = load_trace_file(options.trace_path);
    std::vector<ReadStrategy> strategies = strategies_from_flag(options.strategy, true);
    report.shard = shard_flag(options.shard);
    uint64_t seed = 0;
    if (options.random || options.pct) {
      seed = options.seed.value_or(std::random_device{}());
      fmt::print(stderr, "shapelog: explore: seed {} (repeat this run with --seed {})\n", seed,
                 seed);
    }
    report.trace_name = trace->name;
    report.trace_id = explore_trace_id(*trace);
    report.settings = settings_text(options, seed);
    for (ReadStrategy strategy : strategies) {
      std::optional<RunResult> replayed;
      report.results.push_back(
          explore_strategy(*trace, strategy, options, report.shard, seed, replayed));
      if (replayed)
        timelines.emplace_back(*report.results.back().counterexample, std::move(*replayed));
    }
  }

  const StrategyResult* first_race = nullptr;
  for (const StrategyResult& result : report.results)
    if (result.counterexample && !first_race) first_race = &result;
  if (first_race && !options.out.empty())
    write_file_checked(options.out, write_trace(*first_race->counterexample));
  if (!timelines.empty() && !options.html.empty()) {
    std::string command =
        options.out.empty()
            ? fmt::format("shapelog explore {} --strategy {}", shell_quote(options.trace_path),
                          shell_quote(options.strategy))
            : fmt::format("shapelog replay {} --strategy {}", shell_quote(options.out),
                          first_race->strategy);
    std::string page = html_timeline(*trace, timelines, command);
    if (options.html == "-") {
      Output out;
      out.write(page);
      return exit_code(report.results);
    }
    write_file_checked(options.html, page);
  }

  Output out;
  const Trace* searched = trace ? &*trace : nullptr;
  if (options.json) {
    out.line(compact_json(shard_to_json(report, searched)));
  } else {
    for (const auto& [counterexample, run] : timelines)
      out.write(render_run(counterexample, run) + "\n");
    for (const StrategyResult& result : report.results) out.line(certificate(result, searched));
    if (first_race && !options.out.empty())
      out.line(fmt::format("counterexample written to {} (shapelog replay {} reproduces it)",
                           options.out, options.out));
  }
  return exit_code(report.results);
}

}  // namespace

CommandRun setup_explore(CLI::App& app, AppContext& context) {
  auto options = std::make_shared<ExploreOptions>();
  CLI::App* command = app.add_subcommand(
      "explore",
      "Search every interleaving of a trace's ops (its schedule is ignored) for a read that "
      "goes wrong. Exit 0: ruled out; 1: race found; 2: bad input; 3: stopped early, nothing "
      "ruled out");
  command->add_option("TRACE", options->trace_path, "Trace file (shapelog-trace/1 JSON)");
  add_strategy_option(*command, options->strategy, true);
  add_number_option(*command, "--preemption-bound", options->preemption_bound,
                    "Deepen the preemption bound 0, 1, ... only up to K");
  add_number_option(*command, "--random", options->random, "Sample N random schedules instead");
  add_number_option(*command, "--pct", options->pct,
                    "Sample with PCT, bug depth D (with --random N)")
      ->check(CLI::Range(1, 64));
  add_number_option(*command, "--seed", options->seed,
                    "Seed for --random / --pct (printed every run)");
  add_number_option(*command, "--max-schedules", options->max_schedules, "Stop after N schedules");
  command->add_option("--max-seconds", options->max_seconds, "Stop after S seconds")
      ->check(seconds_number());
  command
      ->add_option("--shard", options->shard,
                   "Explore only shard K of N (K/N) of a search split across machines")
      ->capture_default_str();
  command
      ->add_option("--merge", options->merge, "Merge the --json results of shards into one verdict")
      ->expected(1, -1);
  command->add_option("--out", options->out, "Write the minimized counterexample trace here");
  command->add_option("--html", options->html,
                      "Write each strategy's minimized counterexample as one self-contained "
                      "HTML page to FILE (- for stdout, instead of the text); only on a race");
  command->add_flag("--json", options->json, "Print one JSON document for scripts");
  command->add_flag("--no-reduction", options->no_reduction,
                    "Turn partial-order reduction off (to measure what it saves)");
  command->add_flag("--whole-trace", options->whole_trace,
                    "Search the whole trace even where one search per read covers it");
  command->add_flag("--on-disk", options->on_disk,
                    "Use real temporary directories instead of in-memory storage");
  return [options, &context] { return run_explore(*options, context); };
}

}  // namespace shapelog::cli
