// explore's per-read split: the same verdicts, fewest preemptions and classes as the search
// of the whole trace; one execution per class; shards that add up; the whole-trace search
// where the split's condition fails; and what the split proves beyond the trace searched.
#include <algorithm>

#include <doctest/doctest.h>

#include "common/big_count.h"
#include "common/split_mix.h"
#include "explore/class_count.h"
#include "explore/explore.h"
#include "explore/minimize.h"
#include "explore/placement_cost.h"
#include "explore/search_plan.h"
#include "explore/shard_merge.h"
#include "explore/step_footprint.h"
#include "shapelog/error.h"
#include "shapelog/schedule_policies.h"
#include "trace/trace_generator.h"
#include "trace/trace_reader.h"
#include "trace/trace_writer.h"
#include "trace_test_support.h"

using namespace shapelog;

namespace {

TraceExecutor executor(ReadStrategy strategy) {
  return [strategy](const Trace& trace, SchedulePolicy& policy) {
    return testing::run_in_memory(trace, strategy, policy);
  };
}

ExploreResult search(const Trace& trace, ReadStrategy strategy, ExploreLimits limits = {}) {
  return explore_trace(trace, strategy, executor(strategy), limits);
}

ExploreResult search_whole(const Trace& trace, ReadStrategy strategy) {
  ExploreLimits limits;
  limits.whole_trace = true;
  return search(trace, strategy, limits);
}

// Small enough for the whole-trace search to finish in milliseconds.
Trace small_random_trace(uint64_t seed) {
  SplitMix64 random(seed);
  TraceShape shape;
  shape.seed = seed;
  shape.writer_ops = 1 + static_cast<uint32_t>(random.below(3));
  shape.max_append = 2;
  shape.flush_every = 1 + static_cast<uint32_t>(random.below(2));
  // At most three reads, in one actor or two: the whole-trace search grows with their product.
  constexpr std::pair<uint32_t, uint32_t> kReaders[] = {{1, 1}, {1, 2}, {2, 1}, {1, 3}};
  std::tie(shape.readers, shape.reads_per_reader) = kReaders[random.below(4)];
  shape.near_end = 4;
  shape.initial_persisted = static_cast<uint32_t>(random.below(2));
  shape.initial_buffered = static_cast<uint32_t>(random.below(2));
  // Parsed back, so every generated trace is a valid one.
  return parse_trace(write_trace(generate_trace(shape)), "generated");
}

std::vector<Trace> testdata_traces() {
  std::vector<Trace> traces;
  for (const char* name :
       {"traces/seed-race.json", "traces/sequential.json", "traces/several-readers.json",
        "traces/long-transaction.json", "explore/two-readers.json", "explore/three-readers.json",
        "explore/four-readers.json", "explore/two-clients.json"})
    traces.push_back(testing::load_trace(name));
  return traces;
}

bool reads_write_state(Point point) { return point == Point::ReadSnapshot; }

// The whole-trace search these tests compare with runs about 100 times slower in the
// AddressSanitizer build (Debug, instrumented fibers): it checks memory on a fifth of the
// traces, the suite's own build (./dev.sh test) on all of them.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kScale = 5;
#else
constexpr uint64_t kScale = 1;
#endif
constexpr uint64_t kRandomTraces = 500 / kScale;

}  // namespace

TEST_SUITE("explore") {

TEST_CASE("split search: random traces give the whole-trace search's verdicts and classes") {
  uint64_t races = 0, ruled_out = 0;
  for (uint64_t seed = 1; seed <= kRandomTraces; ++seed) {
    const Trace trace = small_random_trace(seed);
    for (ReadStrategy strategy : kAllStrategies) {
      CAPTURE(seed);
      CAPTURE(strategy_name(strategy));
      const ExploreResult split = search(trace, strategy);
      const ExploreResult whole = search_whole(trace, strategy);
      REQUIRE(split.split.has_value());
      REQUIRE(split.counterexample.has_value() == whole.counterexample.has_value());
      if (whole.counterexample) {
        ++races;
        // The fewest preemptions either way, and a whole-trace schedule that replays.
        CHECK(split.counterexample->preemptions == whole.counterexample->preemptions);
        CHECK(split.counterexample->run.outcome == Outcome::Race);
        MinimizedCounterexample minimized = minimize_counterexample(
            trace, strategy, *split.counterexample, testing::memory_runner(trace, strategy));
        CHECK(minimized.trace.actors == trace.actors);
        ReplayPolicy replay(minimized.trace);
        CHECK(testing::run_in_memory(minimized.trace, strategy, replay).outcome == Outcome::Race);
      } else {
        ++ruled_out;
        REQUIRE(split.stats.complete);
        REQUIRE(whole.stats.complete);
        CHECK(whole_trace_classes(trace, *split.split) == BigCount(whole.stats.classes));
        CHECK(split.stats.schedules == split.stats.classes);
      }
    }
  }
  // Both verdicts occur often enough for the comparison to mean something.
  // (500 traces: 206 races and 1,794 rule-outs of the 2,000 pairs.)
  CHECK(races > kRandomTraces / 4);
  CHECK(ruled_out > kRandomTraces);
}

TEST_CASE("split search: one schedule per class on every testdata trace") {
  for (const Trace& trace : testdata_traces())
    for (ReadStrategy strategy : {ReadStrategy::Fallback, ReadStrategy::Generation}) {
      CAPTURE(trace.name);
      CAPTURE(strategy_name(strategy));
      const ExploreResult result = search(trace, strategy);
      REQUIRE(result.split.has_value());
      CHECK(result.stats.complete);
      CHECK_FALSE(result.counterexample.has_value());
      CHECK(result.stats.schedules == result.stats.classes);
      CHECK(result.stats.sleep_blocked == 0);
    }
}

TEST_CASE("split search: the issue's traces stand for the whole trace's classes") {
  // Pinned against the whole-trace search (the four-reader one takes minutes that way).
  const Trace three = testing::load_trace("explore/three-readers.json");
  const ExploreResult split = search(three, ReadStrategy::Generation);
  CHECK(whole_trace_classes(three, *split.split).to_string() == "16224");
  CHECK(split.stats.classes == 76);
  const Trace four = testing::load_trace("explore/four-readers.json");
  const ExploreResult four_split = search(four, ReadStrategy::Generation);
  CHECK(four_split.split->subproblems.size() == 3);  // r1 and r4 read the same range
  CHECK(four_split.split->reads == 4);
  CHECK(whole_trace_classes(four, *four_split.split).to_string() == "421824");
}

TEST_CASE("split search: shards add up to the unsharded search exactly") {
  for (const Trace& trace : testdata_traces())
    for (ReadStrategy strategy : {ReadStrategy::Naive, ReadStrategy::Generation}) {
      CAPTURE(trace.name);
      CAPTURE(strategy_name(strategy));
      const ExploreResult whole = search(trace, strategy);
      for (uint32_t count : {2u, 3u, 7u}) {
        CAPTURE(count);
        std::vector<ShardResult> shards;
        for (uint32_t index = 0; index < count; ++index) {
          ExploreLimits limits;
          limits.shard = Shard{index, count};
          ExploreResult part = search(trace, strategy, limits);
          StrategyResult result{strategy, part.stats, part.split, {}, std::nullopt, 0, 0};
          if (part.counterexample) {
            result.counterexample = trace;
            result.counterexample_preemptions = part.counterexample->preemptions;
          }
          shards.push_back(ShardResult{"shard", "id", trace.name, "s", limits.shard, {result}});
        }
        const StrategyResult merged = merge_shards(shards).results.front();
        CHECK(merged.stats.schedules == whole.stats.schedules);
        CHECK(merged.stats.classes == whole.stats.classes);
        CHECK(merged.split->subproblems == whole.split->subproblems);
        CHECK(merged.counterexample.has_value() == whole.counterexample.has_value());
        if (whole.counterexample)
          CHECK(merged.counterexample_preemptions == whole.counterexample->preemptions);
        else CHECK(merged.stats.complete);
      }
    }
}

TEST_CASE("split search: reads that write shared state are searched as the whole trace") {
  const Trace trace = testing::load_trace("explore/two-readers.json");
  const SearchPlan plan = plan_search(trace, ReadStrategy::Generation, reads_write_state);
  CHECK_FALSE(plan.split);
  CHECK(plan.reason.find("read.snapshot") != std::string::npos);
  // The real footprints split it; asking for the whole trace searches it whole, same verdict.
  CHECK(plan_search(trace, ReadStrategy::Generation, writes_shared_state).split);
  const ExploreResult whole = search_whole(trace, ReadStrategy::Generation);
  CHECK_FALSE(whole.split.has_value());
  CHECK(whole.stats.complete);
  CHECK(whole.stats.classes == 100);
  CHECK(whole.whole_trace_reason.find("--whole-trace") != std::string::npos);
}

TEST_CASE("split search: what is ruled out holds for more readers issuing the same reads") {
  // "Beyond this trace": readers that issue any of the searched reads, in any order, are safe
  // too. Searched: the writer and one reader with two reads; checked with the whole-trace
  // search: three readers issuing those reads in another order and alone.
  uint64_t checked = 0;
  for (uint64_t seed = 1; seed <= 200 && checked < 6 / kScale + 1; ++seed) {
    TraceShape shape;
    shape.seed = seed;
    shape.writer_ops = 2;
    shape.max_append = 2;
    shape.flush_every = 1;
    shape.readers = 1;
    shape.reads_per_reader = 2;
    shape.near_end = 3;
    const Trace trace = parse_trace(write_trace(generate_trace(shape)), "generated");
    for (ReadStrategy strategy : {ReadStrategy::Fallback, ReadStrategy::Generation}) {
      const ExploreResult split = search(trace, strategy);
      if (split.counterexample || split.split->subproblems.size() < 2) continue;
      const ReadRange a = split.split->subproblems[0].range, b = split.split->subproblems[1].range;
      Trace more = trace;
      more.actors.resize(1);  // the writer
      more.actors.push_back(Actor{"x1", {b, a}});
      more.actors.push_back(Actor{"x2", {a}});
      more.actors.push_back(Actor{"x3", {b}});
      CAPTURE(seed);
      CAPTURE(strategy_name(strategy));
      const ExploreResult whole = search_whole(more, strategy);
      CHECK(whole.stats.complete);
      CHECK_FALSE(whole.counterexample.has_value());
      ++checked;
    }
  }
  CHECK(checked >= 6 / kScale + 1);
}

TEST_CASE("split search: a preemption bound cuts classes and is reported") {
  const Trace trace = testing::load_trace("explore/two-clients.json");
  ExploreLimits limits;
  limits.preemption_bound = 1;
  const ExploreResult bounded = search(trace, ReadStrategy::Generation, limits);
  CHECK_FALSE(bounded.stats.complete);
  CHECK(bounded.stats.stopped_by == StopReason::PreemptionBound);
  CHECK(bounded.stats.classes < search(trace, ReadStrategy::Generation).stats.classes);
  limits = {};
  limits.max_schedules = 10;
  const ExploreResult budget = search(trace, ReadStrategy::Generation, limits);
  CHECK(budget.stats.stopped_by == StopReason::MaxSchedules);
  CHECK(budget.stats.schedules == 10);
}

TEST_CASE("placement cost: the fewest preemptions of a class") {
  std::vector<uint32_t> placements;
  // One read step that may run anywhere: before the writer starts, nothing is cut off.
  CHECK(fewest_preemptions({{0, 4}}, 4, placements) == 0);
  // Pinned between writer steps 2 and 3: the writer is cut off, then the read finishes.
  CHECK(fewest_preemptions({{2, 2}}, 4, placements) == 1);
  CHECK(placements == std::vector<uint32_t>{2});
  // Two steps that can share a block cost as one; two that cannot cost three switches.
  CHECK(fewest_preemptions({{1, 3}, {2, 4}}, 4, placements) == 1);
  CHECK(fewest_preemptions({{1, 1}, {3, 3}}, 4, placements) == 3);
  CHECK(placements == std::vector<uint32_t>{1, 3});
  // After the writer has finished, switching to the read costs nothing.
  CHECK(fewest_preemptions({{1, 1}, {4, 4}}, 4, placements) == 2);
}

TEST_CASE("big count: sums and products past 64 bits") {
  BigCount count = BigCount(UINT64_MAX) * BigCount(UINT64_MAX);
  CHECK(count.to_string() == "340282366920938463426481119284349108225");
  count += 1;
  CHECK(count.to_string() == "340282366920938463426481119284349108226");
  CHECK((BigCount(0) * count).to_string() == "0");
}

TEST_CASE("shard merge: shards of another trace, twice, or overflowing are refused") {
  StrategyResult result;
  result.stats.complete = true;
  ShardResult a{"a.json", "id1", "t", "s", Shard{0, 2}, {result}};
  ShardResult b{"b.json", "id1", "t", "s", Shard{1, 2}, {result}};
  CHECK(merge_shards({a, b}).results.front().stats.complete);
  CHECK(merge_shards({a}).results.front().stats.stopped_by == StopReason::MissingShards);
  ShardResult other = b;
  other.trace_id = "id2";
  CHECK_THROWS_AS(merge_shards({a, other}), Error);
  CHECK_THROWS_AS(merge_shards({a, a}), Error);
  ShardResult flags = b;
  flags.settings = "other";
  CHECK_THROWS_AS(merge_shards({a, flags}), Error);
  ShardResult big = b;
  big.results.front().stats.schedules = UINT64_MAX;
  a.results.front().stats.schedules = 1;
  CHECK_THROWS_AS(merge_shards({a, big}), Error);
}

}  // TEST_SUITE("explore")
