// Explore at the sizes users ask about, in process, exactly what `shapelog explore` does per
// strategy (without parsing and printing): explore_trace with an executor on a fresh
// MemoryFileSystem per run, minimize_counterexample for races.
//  1. the seed trace: one search per strategy repeated for about a second; schedules/s, per
//     read (the default) and as the whole trace. Target >= 100,000 schedules/s.
//  2. every trace in testdata/traces and testdata/explore, fallback and generation:
//     schedules / classes of the complete search per read (target <= 2) and of the whole-
//     trace search with sleep sets (its last iteration; the schedules of lower bounds that
//     iterative deepening runs again are counted apart), each whole-trace search with a budget.
//  3. the traces (testdata/explore/four-readers.json, two-clients.json): every
//     strategy complete, per read, against the whole-trace search under the same budget.
//     Target <= 0.1 s each.
//  4. a generated trace (core/trace/trace_generator.h, seed 1): a writer of 24 ops against 8
//     readers with 4 reads each. Targets: fallback and generation ruled out <= 10 s each,
//     naive and recheck race found and minimized <= 1 s.
//  5. sleep sets on the whole-trace search: three-readers.json at preemption bounds 1..K with
//     and without reduction. Target >= 10x fewer schedules.
//
//   bench_explore [--seconds S] [--budget S] [--max-bound K] [--seed-only]
//     --seconds S    how long to repeat each seed-trace search (default 1)
//     --budget S     max seconds of each whole-trace search in parts 2 and 3 (default 10)
//     --max-bound K  the highest bound of part 5 (default 4)
//     --seed-only    only part 1, generation, per read (for profiling under callgrind)
#include <filesystem>
#include <stdexcept>

#include "bench_common.h"
#include "explore/class_count.h"
#include "explore/dfs_search.h"
#include "explore/explore.h"
#include "explore/minimize.h"
#include "shapelog/memory_file_system.h"
#include "shapelog/trace_file.h"
#include "shapelog/trace_run.h"
#include "trace/trace_generator.h"

using namespace shapelog;

namespace {

#ifndef SHAPELOG_SOURCE_DIR
#define SHAPELOG_SOURCE_DIR "."
#endif

std::string testdata(const std::string& relative) {
  return std::string(SHAPELOG_SOURCE_DIR) + "/testdata/" + relative;
}

TraceExecutor memory_executor(ReadStrategy strategy) {
  return [strategy](const Trace& trace, SchedulePolicy& policy) {
    MemoryFileSystem fs;
    return run_trace(trace, RunOptions{strategy, &fs, "/log"}, policy);
  };
}

std::string outcome_of(const ExploreResult& r) {
  if (r.counterexample)
    return fmt::format("race ({} preemption{})", r.counterexample->preemptions,
                       r.counterexample->preemptions == 1 ? "" : "s");
  return r.stats.complete ? "ruled out"
                          : "incomplete: " + std::string(stop_reason_name(r.stats.stopped_by));
}

std::string seconds_text(double s) {
  if (s >= 1) return fmt::format("{:.2f} s", s);
  if (s >= 1e-3) return fmt::format("{:.2f} ms", s * 1e3);
  return fmt::format("{:.0f} us", s * 1e6);
}

// One search as the CLI runs it, with the minimization of a race included in the time.
struct Timed {
  ExploreResult result;
  double seconds = 0;
};

Timed explore_timed(const Trace& trace, ReadStrategy strategy, ExploreLimits limits) {
  auto start = bench::Clock::now();
  TraceExecutor execute = memory_executor(strategy);
  Timed timed{explore_trace(trace, strategy, execute, limits), 0};
  if (timed.result.counterexample)
    minimize_counterexample(trace, strategy, *timed.result.counterexample,
                            [&](SchedulePolicy& policy) { return execute(trace, policy); });
  timed.seconds = bench::seconds_since(start);
  return timed;
}

ExploreLimits whole_trace(double budget) {
  ExploreLimits limits;
  limits.whole_trace = true;
  limits.max_seconds = budget;
  return limits;
}

std::string key_of(const std::string& name) {
  std::string key;
  for (char c : name) key += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return key;
}

// ---------------------------------------------------------------- 1. the seed trace
void seed_rates(double min_seconds, bool seed_only) {
  const Trace seed = load_trace_file(testdata("traces/seed-race.json"));
  bench::Table table({"seed-race.json", "search", "searches", "schedules/search", "time/search",
                      "schedules/s", "verdict"});
  for (ReadStrategy strategy : kAllStrategies) {
    if (seed_only && strategy != ReadStrategy::Generation) continue;
    for (bool whole : {false, true}) {
      if (seed_only && whole) continue;
      ExploreLimits limits;
      limits.whole_trace = whole;
      TraceExecutor execute = memory_executor(strategy);
      ExploreResult last = explore_trace(seed, strategy, execute, limits);  // warm up
      uint64_t searches = 0, schedules = 0;
      auto start = bench::Clock::now();
      while (searches < 10 || bench::seconds_since(start) < min_seconds) {
        last = explore_trace(seed, strategy, execute, limits);
        schedules += last.stats.schedules;
        ++searches;
      }
      const double seconds = bench::seconds_since(start);
      const double rate = static_cast<double>(schedules) / seconds;
      table.row({std::string(strategy_name(strategy)), whole ? "whole trace" : "per read",
                 fmt::format("{}", searches), fmt::format("{}", last.stats.schedules),
                 seconds_text(seconds / static_cast<double>(searches)), bench::per_s(rate),
                 outcome_of(last)});
      const std::string key =
          fmt::format("explore.seed_{}{}", strategy_name(strategy), whole ? "_whole" : "");
      bench::result(key + "_schedules_per_s", rate);
      bench::result(key + "_search_us", seconds / static_cast<double>(searches) * 1e6);
      bench::result(key + "_schedules", static_cast<double>(last.stats.schedules));
    }
  }
  fmt::print("1. seed trace: complete searches repeated for >= {} s each\n", min_seconds);
  table.print();
  fmt::print("\ntarget: >= 100,000 schedules/s\n\n");
}

// ---------------------------------------------------------------- 2. schedules per class
void schedules_per_class(double budget) {
  std::vector<std::string> paths;
  for (const char* folder : {"traces", "explore"})
    for (const auto& item : std::filesystem::directory_iterator(testdata(folder)))
      if (item.path().extension() == ".json") paths.push_back(item.path().string());
  std::sort(paths.begin(), paths.end());
  bench::Table table({"trace", "strategy", "per read: schedules", "classes", "ratio",
                      "whole trace: schedules", "last bound", "classes", "ratio", "time"});
  double worst = 0;
  for (const std::string& path : paths) {
    const Trace trace = load_trace_file(path);
    const std::string name = std::filesystem::path(path).filename().string();
    for (ReadStrategy strategy : {ReadStrategy::Fallback, ReadStrategy::Generation}) {
      const Timed split = explore_timed(trace, strategy, {});
      const Timed whole = explore_timed(trace, strategy, whole_trace(budget));
      const ExploreStats& s = split.result.stats;
      const ExploreStats& w = whole.result.stats;
      const double ratio = static_cast<double>(s.schedules) / static_cast<double>(s.classes);
      const uint64_t last_bound = w.schedules - w.earlier_bounds;
      worst = std::max(worst, ratio);
      table.row({name, std::string(strategy_name(strategy)), fmt::format("{}", s.schedules),
                 fmt::format("{}", s.classes), fmt::format("{:.2f}", ratio),
                 fmt::format("{}", w.schedules), fmt::format("{}", last_bound),
                 fmt::format("{}{}", w.classes, w.complete ? "" : " (stopped)"),
                 fmt::format("{:.1f}", static_cast<double>(last_bound) /
                                           static_cast<double>(std::max<uint64_t>(1, w.classes))),
                 seconds_text(whole.seconds)});
      const std::string key =
          fmt::format("explore.ratio_{}_{}", key_of(name), strategy_name(strategy));
      bench::result(key, ratio);
      bench::result(key + "_whole", static_cast<double>(last_bound) /
                                        static_cast<double>(std::max<uint64_t>(1, w.classes)));
    }
  }
  bench::result("explore.ratio_worst", worst);
  fmt::print(
      "2. schedules / classes of the complete search, every testdata trace (whole trace: "
      "its last iteration; budget {:.0f} s each)\n",
      budget);
  table.print();
  fmt::print("\nworst per-read ratio {:.2f} (target <= 2)\n\n", worst);
}

// ---------------------------------------------------------------- 3. and 4. named traces
void every_strategy(const std::string& title, const std::string& key, const Trace& trace,
                    double budget, bool compare_whole) {
  bench::Table table({"strategy", "subproblems", "schedules", "classes", "stand for", "time",
                      "verdict", "whole trace, same budget"});
  for (ReadStrategy strategy : kAllStrategies) {
    const Timed split = explore_timed(trace, strategy, {});
    const ExploreResult& r = split.result;
    std::string whole_text = "-";
    if (compare_whole) {
      const Timed whole = explore_timed(trace, strategy, whole_trace(budget));
      whole_text = fmt::format("{} after {} schedules, {}", outcome_of(whole.result),
                               whole.result.stats.schedules, seconds_text(whole.seconds));
    }
    table.row({std::string(strategy_name(strategy)),
               fmt::format("{} for {} reads", r.split->subproblems.size(), r.split->reads),
               fmt::format("{}", r.stats.schedules), fmt::format("{}", r.stats.classes),
               whole_trace_classes(trace, *r.split).to_string(), seconds_text(split.seconds),
               outcome_of(r), whole_text});
    const std::string k = fmt::format("explore.{}_{}", key, strategy_name(strategy));
    bench::result(k + "_seconds", split.seconds);
    bench::result(k + "_race", r.counterexample ? 1 : 0);
    bench::result(k + "_complete", r.stats.complete ? 1 : 0);
  }
  fmt::print("{}\n", title);
  table.print();
  fmt::print("\n");
}

// ---------------------------------------------------------------- 5. sleep sets
void sleep_sets(uint32_t max_bound) {
  const Trace three = load_trace_file(testdata("explore/three-readers.json"));
  TraceExecutor execute = memory_executor(ReadStrategy::Generation);
  TraceRunner run = [&](SchedulePolicy& policy) { return execute(three, policy); };
  bench::Table bounds(
      {"three-readers.json (generation, whole trace)", "with reduction", "without", "ratio"});
  for (uint32_t k = 1; k <= max_bound; ++k) {
    ExploreLimits with, without;
    with.preemption_bound = without.preemption_bound = k;
    without.reduction = false;
    ExploreResult a = explore_exhaustive(run, with);
    ExploreResult b = explore_exhaustive(run, without);
    double ratio = static_cast<double>(b.stats.schedules) / static_cast<double>(a.stats.schedules);
    bounds.row({fmt::format("preemption bound {}", k), fmt::format("{}", a.stats.schedules),
                fmt::format("{}", b.stats.schedules), fmt::format("{:.1f}x", ratio)});
    bench::result(fmt::format("explore.three_k{}_with", k), static_cast<double>(a.stats.schedules));
    bench::result(fmt::format("explore.three_k{}_without", k),
                  static_cast<double>(b.stats.schedules));
    bench::result(fmt::format("explore.three_k{}_ratio", k), ratio);
  }
  fmt::print("5. sleep sets on the whole-trace search (schedules over every iteration 0..K)\n");
  bounds.print();
  fmt::print("\ntarget: >= 10x\n\n");
}

}  // namespace

int run(int argc, char** argv) {
  double seconds = 1.0, budget = 10.0;
  uint32_t max_bound = 4;
  bool seed_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--seconds") seconds = std::stod(value());
    else if (flag == "--budget") budget = std::stod(value());
    else if (flag == "--max-bound") max_bound = static_cast<uint32_t>(std::stoul(value()));
    else if (flag == "--seed-only") seed_only = true;
    else throw std::runtime_error("unknown flag " + flag);
  }
  seed_rates(seconds, seed_only);
  if (seed_only) return 0;
  schedules_per_class(budget);
  every_strategy(
      "3. four-readers.json: writer append, flush, append, flush; 4 readers, one read each", "four",
      load_trace_file(testdata("explore/four-readers.json")), budget, true);
  every_strategy("3. two-clients.json: writer of 6 ops; 2 clients with 2 reads each", "clients",
                 load_trace_file(testdata("explore/two-clients.json")), budget, true);
  every_strategy(
      "4. generated trace (seed 1): writer of 24 ops, 8 readers x 4 reads, ranges in "
      "the last 12 entries (bench/generate_trace --seed 1 prints it)",
      "generated", generate_trace(TraceShape{}), budget, false);
  sleep_sets(max_bound);
  return 0;
}

int main(int argc, char** argv) {
  return bench::guarded_main(
      argc, argv, run, "bench_explore [--seconds S] [--budget S] [--max-bound N] [--seed-only]");
}
