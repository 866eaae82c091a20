// shapelog explore TRACE: search the interleavings of a trace's ops for a lost read, or rule
// it out; --merge combines the JSON results of shards.
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common/error.h"
#include "exit_codes.h"
#include "explore/minimize.h"
#include "explore/random_search.h"
#include "explore_report.h"
#include "number_flags.h"
#include "output.h"
#include "run_report.h"
#include "strategy_flag.h"
#include "trace/trace_writer.h"
#include "trace_runs.h"

namespace shapelog::cli {

namespace {

struct ExploreOptions {
  std::string trace_path;
  std::string strategy = "generation";
  std::optional<uint32_t> preemption_bound;
  std::optional<uint64_t> random;
  std::optional<uint32_t> pct;
  std::optional<uint64_t> seed;
  uint64_t max_schedules = UINT64_MAX;
  double max_seconds = 1e18;
  std::string shard = "0/1";
  std::vector<std::string> merge;
  std::string out;
  bool json = false;
  bool no_reduction = false;
  bool on_disk = false;
};

Shard parse_shard(const std::string& text) {
  const std::string bad = fmt::format("--shard '{}' is not K/N with 0 <= K < N (e.g. 0/4)", text);
  const size_t slash = text.find('/');
  if (slash == std::string::npos) throw_bad_input(bad);
  const std::string_view view = text;
  const auto index = parse_whole_number(view.substr(0, slash), UINT32_MAX);
  const auto count = parse_whole_number(view.substr(slash + 1), UINT32_MAX);
  if (!index || !count || *count == 0 || *index >= *count) throw_bad_input(bad);
  return Shard{static_cast<uint32_t>(*index), static_cast<uint32_t>(*count)};
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
               stats.schedules, stats.schedules / std::max(seconds, 1e-9),
               stats.preemption_bound);
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

StrategyReport explore_strategy(const Trace& trace, ReadStrategy strategy,
                                const ExploreOptions& options, uint64_t seed,
                                std::optional<RunResult>& replayed) {
  bool on_disk = wants_disk(trace, options.on_disk);
  TraceRunner run = [&](SchedulePolicy& policy) {
    return run_on_fresh_log(trace, strategy, on_disk, policy);
  };
  ExploreLimits limits;
  limits.preemption_bound = options.preemption_bound;
  limits.max_schedules = options.max_schedules;
  limits.max_seconds = options.max_seconds;
  limits.reduction = !options.no_reduction;
  limits.shard = parse_shard(options.shard);

  ProgressLine progress(strategy);
  ExploreResult found;
  if (options.random || options.pct) {
    SamplingOptions sampling{options.random.value_or(1000), seed, options.pct.value_or(0)};
    found = explore_sampled(run, sampling, limits, std::ref(progress));
  } else {
    found = explore_exhaustive(run, limits, std::ref(progress));
  }

  StrategyReport report{strategy, found.stats, std::nullopt, 0, 0};
  if (found.counterexample) {
    MinimizedCounterexample minimized =
        minimize_counterexample(trace, strategy, *found.counterexample, run);
    report.counterexample = minimized.trace;
    report.counterexample_preemptions = minimized.run.preemptions();
    report.counterexample_steps = minimized.run.timeline.size();
    replayed = std::move(minimized.run);
  }
  return report;
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw_bad_input(fmt::format("cannot read explore result '{}'; check the path", path));
  try {
    return nlohmann::json::parse(file);
  } catch (const nlohmann::json::parse_error& error) {
    throw_bad_input(fmt::format("{}: not JSON ({}); pass files written by 'shapelog explore "
                                "--json'",
                                path, error.what()));
  }
}

// Combines shards' results: totals add up; a race anywhere is a race (the one with the fewest
// preemptions, then steps); complete only if every shard of one split is there, once, and
// complete.
std::vector<StrategyReport> merge_results(const std::vector<std::string>& paths,
                                          std::string& trace_name) {
  std::map<ReadStrategy, StrategyReport> merged;
  std::map<ReadStrategy, std::vector<bool>> shards_seen;
  std::optional<uint32_t> shard_count;
  for (const std::string& path : paths) {
    nlohmann::json document = read_json_file(path);
    if (!document.is_object() || !document.contains("results") || !document.contains("shard"))
      throw_bad_input(fmt::format("{}: not an explore result (no \"results\" or \"shard\")", path));
    trace_name = document.value("trace", "");
    Shard shard = parse_shard(document["shard"].get<std::string>());
    if (shard_count && *shard_count != shard.count)
      throw_bad_input(fmt::format("{}: shard {}/{} belongs to a split into {}, not {}", path,
                                  shard.index, shard.count, shard.count, *shard_count));
    shard_count = shard.count;
    for (const nlohmann::json& item : document["results"]) {
      StrategyReport report = report_from_json(item, path);
      auto& seen = shards_seen[report.strategy];
      seen.resize(shard.count);
      if (seen[shard.index])
        throw_bad_input(fmt::format("{}: shard {}/{} of strategy {} is given twice", path,
                                    shard.index, shard.count, report.strategy));
      seen[shard.index] = true;
      auto [it, fresh] = merged.try_emplace(report.strategy, report);
      if (fresh) continue;
      StrategyReport& total = it->second;
      ExploreStats& t = total.stats;
      const ExploreStats& s = report.stats;
      t.schedules += s.schedules;
      t.classes += s.classes;
      t.sleep_blocked += s.sleep_blocked;
      t.probes += s.probes;
      t.preemption_bound = std::max(t.preemption_bound, s.preemption_bound);
      t.complete = t.complete && s.complete;
      if (t.stopped_by.empty()) t.stopped_by = s.stopped_by;
      t.seconds = std::max(t.seconds, s.seconds);
      if (report.counterexample &&
          (!total.counterexample ||
           std::pair(report.counterexample_preemptions, report.counterexample_steps) <
               std::pair(total.counterexample_preemptions, total.counterexample_steps))) {
        total.counterexample = report.counterexample;
        total.counterexample_preemptions = report.counterexample_preemptions;
        total.counterexample_steps = report.counterexample_steps;
      }
    }
  }
  std::vector<StrategyReport> reports;
  for (auto& [strategy, report] : merged) {
    const auto& seen = shards_seen[strategy];
    size_t present = std::count(seen.begin(), seen.end(), true);
    if (present != seen.size()) {
      report.stats.complete = false;
      report.stats.stopped_by = fmt::format("missing shards ({} of {})", present, seen.size());
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

int exit_code(const std::vector<StrategyReport>& reports) {
  bool incomplete = false;
  for (const StrategyReport& report : reports) {
    if (outcome_of(report) == ExploreOutcome::Race) return kExitFound;
    incomplete = incomplete || outcome_of(report) == ExploreOutcome::Incomplete;
  }
  return incomplete ? kExitIncomplete : kExitOk;
}

void write_counterexample(const std::string& path, const Trace& trace) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << write_trace(trace);
  if (!file.good())
    throw Error(ErrorKind::Io, fmt::format("cannot write the counterexample to '{}'", path));
}

int run_explore(const ExploreOptions& options, AppContext&) {
  std::vector<StrategyReport> reports;
  std::string trace_name;
  std::vector<std::pair<Trace, RunResult>> timelines;  // counterexamples replayed
  uint64_t seed = 0;
  if (!options.merge.empty()) {
    reports = merge_results(options.merge, trace_name);
  } else {
    if (options.trace_path.empty())
      throw_bad_input("explore needs a TRACE file (or --merge with shard results)");
    Trace trace = load_trace_file(options.trace_path);
    trace_name = trace.name;
    std::vector<ReadStrategy> strategies = strategies_from_flag(options.strategy, true);
    parse_shard(options.shard);
    if (options.random || options.pct) {
      seed = options.seed.value_or(std::random_device{}());
      fmt::print(stderr, "shapelog: explore: seed {} (repeat this run with --seed {})\n", seed,
                 seed);
    }
    for (ReadStrategy strategy : strategies) {
      std::optional<RunResult> replayed;
      reports.push_back(explore_strategy(trace, strategy, options, seed, replayed));
      if (replayed) timelines.emplace_back(*reports.back().counterexample, std::move(*replayed));
    }
  }

  const StrategyReport* first_race = nullptr;
  for (const StrategyReport& report : reports)
    if (report.counterexample && !first_race) first_race = &report;
  if (first_race && !options.out.empty()) write_counterexample(options.out, *first_race->counterexample);

  Output out;
  if (options.json) {
    nlohmann::json document = {{"trace", trace_name},
                               {"mode", options.pct ? "pct" : options.random ? "random" : "exhaustive"},
                               {"shard", options.merge.empty() ? options.shard : "0/1"},
                               {"results", nlohmann::json::array()}};
    if (options.random || options.pct) document["seed"] = seed;
    for (const StrategyReport& report : reports) document["results"].push_back(report_to_json(report));
    out.line(document.dump());
  } else {
    for (const auto& [trace, run] : timelines) out.write(render_run(trace, run) + "\n");
    for (const StrategyReport& report : reports) out.line(certificate_line(report));
    if (first_race && !options.out.empty())
      out.line(fmt::format("counterexample written to {} (shapelog replay {} reproduces it)",
                           options.out, options.out));
  }
  return exit_code(reports);
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
  command->add_option("--strategy", options->strategy,
                      "naive, recheck, fallback, generation, or all")
      ->capture_default_str();
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
  command->add_option("--shard", options->shard,
                      "Explore only shard K of N (K/N) of a search split across machines")
      ->capture_default_str();
  command->add_option("--merge", options->merge,
                      "Merge the --json results of shards into one verdict")
      ->expected(1, -1);
  command->add_option("--out", options->out, "Write the minimized counterexample trace here");
  command->add_flag("--json", options->json, "Print one JSON document for scripts");
  command->add_flag("--no-reduction", options->no_reduction,
                    "Turn partial-order reduction off (to measure what it saves)");
  command->add_flag("--on-disk", options->on_disk,
                    "Use real temporary directories instead of in-memory storage");
  return [options, &context] { return run_explore(*options, context); };
}

}  // namespace shapelog::cli
