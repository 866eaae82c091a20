// explore: the seed's operations race under naive and recheck and are ruled out under
// fallback and generation; reduction, shards and seeds behave as documented.
#include <doctest/doctest.h>

#include "explore/dfs_search.h"
#include "explore/minimize.h"
#include "explore/random_search.h"
#include "shapelog/schedule_policies.h"
#include "trace_test_support.h"

using namespace shapelog;

namespace {

using testing::load_trace;

TraceRunner runner(const Trace& trace, ReadStrategy strategy) {
  return testing::memory_runner(trace, strategy);
}

ExploreResult explore(const Trace& trace, ReadStrategy strategy, ExploreLimits limits = {}) {
  return explore_exhaustive(runner(trace, strategy), limits);
}

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("explore: the seed's operations race under naive and recheck with one preemption") {
  const Trace trace = load_trace("traces/seed-race.json");
  for (ReadStrategy strategy : {ReadStrategy::Naive, ReadStrategy::Recheck}) {
    CAPTURE(strategy_name(strategy));
    ExploreResult result = explore(trace, strategy);
    REQUIRE(result.counterexample.has_value());
    CHECK(result.counterexample->preemptions == 1);

    // The minimized trace is complete and replays as a race on its own.
    MinimizedCounterexample minimized =
        minimize_counterexample(trace, strategy, *result.counterexample, runner(trace, strategy));
    CHECK(minimized.run.outcome == Outcome::Race);
    CHECK(minimized.run.preemptions() == 1);
    REQUIRE(minimized.trace.schedule.has_value());
    CHECK(minimized.trace.schedule->size() <= 2);
    ReplayPolicy replay(minimized.trace);
    CHECK(runner(minimized.trace, strategy)(replay).outcome == Outcome::Race);
  }
}

TEST_CASE("explore: the seed's operations are ruled out completely under fallback and generation") {
  const Trace trace = load_trace("traces/seed-race.json");
  for (ReadStrategy strategy : {ReadStrategy::Fallback, ReadStrategy::Generation}) {
    CAPTURE(strategy_name(strategy));
    ExploreResult result = explore(trace, strategy);
    CHECK_FALSE(result.counterexample.has_value());
    CHECK(result.stats.complete);
    CHECK(result.stats.stopped_by == StopReason::None);
    CHECK(result.stats.classes > 0);
  }
}

TEST_CASE("explore: sleep sets cut the schedules of a three-actor trace and keep the verdict") {
  const Trace trace = load_trace("explore/two-readers.json");
  // Up to 4 preemptions the unreduced search stays small enough for every build; the
  // complete searches (1,210 vs 213,905 schedules) are in BENCHMARKS.md.
  ExploreLimits reduced_limits, full_limits;
  reduced_limits.preemption_bound = full_limits.preemption_bound = 4;
  full_limits.reduction = false;
  ExploreResult reduced = explore(trace, ReadStrategy::Generation, reduced_limits);
  ExploreResult full = explore(trace, ReadStrategy::Generation, full_limits);
  CHECK_FALSE(reduced.counterexample.has_value());
  CHECK_FALSE(full.counterexample.has_value());
  // Pinned: a change in the points or the footprints shows up here.
  CHECK(reduced.stats.schedules == 430);
  CHECK(full.stats.schedules == 6738);
  CHECK(full.stats.schedules >= 10 * reduced.stats.schedules);
  // With reduction the search also completes, which it cannot do at this bound without.
  ExploreResult complete = explore(trace, ReadStrategy::Generation);
  CHECK(complete.stats.complete);
  CHECK(complete.stats.schedules == 1210);
}

TEST_CASE("explore: shards add up to one unsharded search") {
  const Trace trace = load_trace("explore/two-readers.json");
  for (ReadStrategy strategy : {ReadStrategy::Generation, ReadStrategy::Fallback}) {
    CAPTURE(strategy_name(strategy));
    ExploreResult whole = explore(trace, strategy);
    REQUIRE(whole.stats.complete);
    for (uint32_t count : {2u, 3u, 5u}) {
      CAPTURE(count);
      uint64_t classes = 0;
      bool complete = true;
      for (uint32_t index = 0; index < count; ++index) {
        ExploreLimits limits;
        limits.shard = Shard{index, count};
        ExploreResult part = explore(trace, strategy, limits);
        CHECK_FALSE(part.counterexample.has_value());
        classes += part.stats.classes;
        complete = complete && part.stats.complete;
      }
      CHECK(complete);
      CHECK(classes == whole.stats.classes);
    }
  }
}

TEST_CASE("explore: a race is found in one shard or another and never lost by the split") {
  const Trace trace = load_trace("explore/two-readers.json");
  uint32_t found = 0;
  for (uint32_t index = 0; index < 3; ++index) {
    ExploreLimits limits;
    limits.shard = Shard{index, 3};
    if (explore(trace, ReadStrategy::Naive, limits).counterexample) ++found;
  }
  CHECK(found >= 1);
}

TEST_CASE("explore: a budget stops the search and nothing is ruled out") {
  const Trace trace = load_trace("explore/three-readers.json");
  ExploreLimits limits;
  limits.max_schedules = 50;
  ExploreResult result = explore(trace, ReadStrategy::Generation, limits);
  CHECK_FALSE(result.stats.complete);
  CHECK(result.stats.stopped_by == StopReason::MaxSchedules);
  CHECK(result.stats.schedules == 50);

  limits = {};
  limits.preemption_bound = 0;
  result = explore(trace, ReadStrategy::Generation, limits);
  CHECK_FALSE(result.stats.complete);
  CHECK(result.stats.stopped_by == StopReason::PreemptionBound);
}

TEST_CASE("explore: random and PCT sampling are reproduced by their seed") {
  const Trace trace = load_trace("explore/two-readers.json");
  for (uint32_t depth : {0u, 2u}) {
    CAPTURE(depth);
    SamplingOptions options{500, 42, depth};
    ExploreResult first = explore_sampled(runner(trace, ReadStrategy::Naive), options, {});
    ExploreResult second = explore_sampled(runner(trace, ReadStrategy::Naive), options, {});
    REQUIRE(first.counterexample.has_value());
    REQUIRE(second.counterexample.has_value());
    CHECK(first.counterexample->schedule == second.counterexample->schedule);
    CHECK(first.stats.schedules == second.stats.schedules);
    CHECK_FALSE(first.stats.complete);
  }
  ExploreResult sampled =
      explore_sampled(runner(trace, ReadStrategy::Generation), SamplingOptions{300, 7, 0}, {});
  CHECK_FALSE(sampled.counterexample.has_value());
  CHECK(sampled.stats.schedules == 300);
  CHECK_FALSE(sampled.stats.complete);
}

}  // TEST_SUITE("explore")
