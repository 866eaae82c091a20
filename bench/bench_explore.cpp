// Explore speed and what partial-order reduction saves: explore_exhaustive with a runner on a
// fresh MemoryFileSystem per schedule, in process, exactly what `shapelog explore` does per
// strategy (without parsing, minimizing and printing).
//  1. the seed trace (testdata/traces/seed-race.json): one search per strategy, repeated for
//     about a second; schedules/s and time per search. Target >= 100,000 schedules/s.
//  2. testdata/explore/three-readers.json (writer: append, flush, append, flush; three
//     readers) under generation, with and without reduction, at preemption bounds 1..MAX
//     (schedules counted over all iterations of the iterative deepening, as the CLI reports
//     them); ratio = schedules without / with. Target >= 10x. Then the complete searches,
//     each with a time budget.
//  3. testdata/explore/two-readers.json: the complete searches with and without reduction.
//
//   bench_explore [--seconds S] [--max-bound K] [--budget S] [--seed-only]
//     --seconds S    how long to repeat each seed-trace search (default 1)
//     --max-bound K  the highest fixed bound for the three-reader comparison (default 4)
//     --budget S     max seconds of each complete three-reader search (default 60)
//     --seed-only    only part 1, generation strategy (for profiling under callgrind)
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bench_common.h"
#include "explore/dfs_search.h"
#include "storage/memory_file_system.h"
#include "trace/trace_reader.h"

using namespace shapelog;

namespace {

#ifndef SHAPELOG_SOURCE_DIR
#define SHAPELOG_SOURCE_DIR "."
#endif

Trace load(const std::string& relative) {
  std::string path = std::string(SHAPELOG_SOURCE_DIR) + "/testdata/" + relative;
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << file.rdbuf();
  return parse_trace(text.str(), path);
}

TraceRunner memory_runner(const Trace& trace, ReadStrategy strategy) {
  return [&trace, strategy](SchedulePolicy& policy) {
    MemoryFileSystem fs;
    return run_trace(trace, RunOptions{strategy, &fs, "/log"}, policy);
  };
}

std::string outcome_of(const ExploreResult& r) {
  if (r.counterexample) return fmt::format("race ({} preemption)", r.counterexample->preemptions);
  return r.stats.complete ? "ruled out, complete" : "incomplete: " + std::string(stop_reason_name(r.stats.stopped_by));
}

std::string seconds_text(double s) {
  if (s >= 1) return fmt::format("{:.2f} s", s);
  if (s >= 1e-3) return fmt::format("{:.2f} ms", s * 1e3);
  return fmt::format("{:.0f} us", s * 1e6);
}

struct SeedFigure {
  ReadStrategy strategy = ReadStrategy::Generation;
  bool reduction = true;
  uint64_t searches = 0;
  uint64_t schedules = 0;  // over all searches
  double seconds = 0;
  ExploreResult last;
};

SeedFigure seed_searches(const Trace& trace, ReadStrategy strategy, bool reduction,
                         double min_seconds) {
  SeedFigure f;
  f.strategy = strategy;
  f.reduction = reduction;
  ExploreLimits limits;
  limits.reduction = reduction;
  TraceRunner run = memory_runner(trace, strategy);
  explore_exhaustive(run, limits);  // warm up
  auto start = bench::Clock::now();
  while (f.searches < 10 || bench::seconds_since(start) < min_seconds) {
    f.last = explore_exhaustive(run, limits);
    f.schedules += f.last.stats.schedules;
    ++f.searches;
  }
  f.seconds = bench::seconds_since(start);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 1.0, budget = 60.0;
  uint32_t max_bound = 4;
  bool seed_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--seconds") seconds = std::stod(value());
    else if (flag == "--max-bound") max_bound = static_cast<uint32_t>(std::stoul(value()));
    else if (flag == "--budget") budget = std::stod(value());
    else if (flag == "--seed-only") seed_only = true;
    else throw std::runtime_error("unknown flag " + flag);
  }

  // ---------------------------------------------------------------- 1. the seed trace
  const Trace seed = load("traces/seed-race.json");
  std::vector<SeedFigure> seeds;
  if (seed_only) {
    seeds.push_back(seed_searches(seed, ReadStrategy::Generation, true, seconds));
  } else {
    for (ReadStrategy strategy : kAllStrategies)
      seeds.push_back(seed_searches(seed, strategy, true, seconds));
    for (ReadStrategy strategy : kAllStrategies)
      seeds.push_back(seed_searches(seed, strategy, false, seconds));
  }
  fmt::print("seed-race.json: whole searches (iterative deepening, default limits) repeated for "
             ">= {} s each\n",
             seconds);
  bench::Table table({"strategy", "reduction", "searches", "schedules/search", "time/search",
                      "us/schedule", "schedules/s", "verdict"});
  for (const SeedFigure& f : seeds) {
    double per_search = f.seconds / static_cast<double>(f.searches);
    double rate = static_cast<double>(f.schedules) / f.seconds;
    table.row({std::string(strategy_name(f.strategy)), f.reduction ? "on" : "off",
               fmt::format("{}", f.searches), fmt::format("{}", f.last.stats.schedules),
               seconds_text(per_search), fmt::format("{:.1f}", 1e6 / rate), bench::per_s(rate),
               outcome_of(f.last)});
    std::string key = fmt::format("explore.seed_{}{}", strategy_name(f.strategy),
                                  f.reduction ? "" : "_noreduction");
    bench::result(key + "_schedules_per_s", rate);
    bench::result(key + "_search_us", per_search * 1e6);
    bench::result(key + "_schedules", static_cast<double>(f.last.stats.schedules));
  }
  table.print();
  fmt::print("\ntarget: >= 100,000 schedules/s\n\n");
  if (seed_only) return 0;

  // ---------------------------------------------------------------- 2. three readers
  const Trace three = load("explore/three-readers.json");
  TraceRunner three_run = memory_runner(three, ReadStrategy::Generation);
  bench::Table bounds({"three-readers.json (generation)", "with reduction", "classes", "time",
                       "without", "time", "ratio", "schedules/s (with / without)"});
  for (uint32_t k = 1; k <= max_bound; ++k) {
    ExploreLimits with, without;
    with.preemption_bound = without.preemption_bound = k;
    without.reduction = false;
    ExploreResult a = explore_exhaustive(three_run, with);
    ExploreResult b = explore_exhaustive(three_run, without);
    if (a.counterexample || b.counterexample)
      throw std::runtime_error("three-readers.json races under generation");
    double ratio = static_cast<double>(b.stats.schedules) / static_cast<double>(a.stats.schedules);
    bounds.row({fmt::format("preemption bound {}", k), fmt::format("{}", a.stats.schedules),
                fmt::format("{}", a.stats.classes), seconds_text(a.stats.seconds),
                fmt::format("{}", b.stats.schedules), seconds_text(b.stats.seconds),
                fmt::format("{:.1f}x", ratio),
                fmt::format("{} / {}", bench::per_s(a.stats.schedules / a.stats.seconds),
                            bench::per_s(b.stats.schedules / b.stats.seconds))});
    bench::result(fmt::format("explore.three_k{}_with", k), static_cast<double>(a.stats.schedules));
    bench::result(fmt::format("explore.three_k{}_without", k),
                  static_cast<double>(b.stats.schedules));
    bench::result(fmt::format("explore.three_k{}_ratio", k), ratio);
    bench::result(fmt::format("explore.three_k{}_with_s", k), a.stats.seconds);
    bench::result(fmt::format("explore.three_k{}_without_s", k), b.stats.seconds);
  }
  bounds.print();
  fmt::print("\nschedules are counted over every iteration 0..K of the deepening, as the CLI "
             "reports them; ratio = without / with (target >= 10x)\n\n");

  // ---------------------------------------------------------------- complete searches
  bench::Table complete({"complete search (generation)", "reduction", "schedules", "classes",
                         "sleep-blocked", "deepened to", "time", "schedules/s", "verdict"});
  auto complete_row = [&](const std::string& what, const std::string& key, const Trace& trace,
                          bool reduction, double max_seconds) {
    ExploreLimits limits;
    limits.reduction = reduction;
    limits.max_seconds = max_seconds;
    ExploreResult r = explore_exhaustive(memory_runner(trace, ReadStrategy::Generation), limits);
    complete.row({what, reduction ? "on" : "off", fmt::format("{}", r.stats.schedules),
                  fmt::format("{}", r.stats.classes), fmt::format("{}", r.stats.sleep_blocked),
                  fmt::format("bound {}", r.stats.preemption_bound), seconds_text(r.stats.seconds),
                  bench::per_s(r.stats.schedules / r.stats.seconds), outcome_of(r)});
    std::string k = fmt::format("explore.{}_{}", key, reduction ? "with" : "without");
    bench::result(k + "_schedules", static_cast<double>(r.stats.schedules));
    bench::result(k + "_seconds", r.stats.seconds);
    bench::result(k + "_complete", r.stats.complete ? 1 : 0);
    bench::result(k + "_bound", r.stats.preemption_bound);
    return r;
  };
  const Trace two = load("explore/two-readers.json");
  complete_row("two-readers.json", "two", two, true, 1e18);
  complete_row("two-readers.json", "two", two, false, 1e18);
  complete_row(fmt::format("three-readers.json, budget {:.0f} s", budget), "three", three, true,
               budget);
  complete_row(fmt::format("three-readers.json, budget {:.0f} s", budget), "three", three, false,
               budget);
  complete.print();
  fmt::print("\n");
  return 0;
}
