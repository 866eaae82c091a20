// replay: a schedule that was executed, written as a trace and read back replays to the same
// timeline and outcome; divergences are warnings that name the schedule element.
#include <doctest/doctest.h>

#include "explore/random_search.h"
#include "shapelog/schedule_policies.h"
#include "trace/trace_reader.h"
#include "trace/trace_writer.h"
#include "trace_test_support.h"

using namespace shapelog;

namespace {

using testing::load_trace;

RunResult replay(const Trace& trace, ReadStrategy strategy) {
  ReplayPolicy policy(trace);
  return testing::run_in_memory(trace, strategy, policy);
}

// Picks actors from a fixed list of choices (skipping finished ones): arbitrary schedules.
class ScriptedPolicy : public SchedulePolicy {
 public:
  explicit ScriptedPolicy(uint64_t seed) : state_(seed) {}
  std::optional<size_t> next(const Execution& execution) override {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    size_t actor = (state_ >> 33) % execution.actor_count();
    while (execution.finished(actor)) actor = (actor + 1) % execution.actor_count();
    return actor;
  }

 private:
  uint64_t state_;
};

std::vector<std::pair<size_t, Point>> steps_of(const RunResult& run) {
  std::vector<std::pair<size_t, Point>> steps;
  for (const TimelineRow& row : run.timeline) steps.emplace_back(row.actor, row.event.point);
  return steps;
}

}  // namespace

TEST_SUITE("replay") {

TEST_CASE("replay: a recorded trace written and read back replays the same timeline and outcome") {
  for (const char* file : {"traces/several-readers.json", "explore/two-readers.json",
                           "traces/long-transaction.json"}) {
    const Trace original = load_trace(file);
    for (ReadStrategy strategy : kAllStrategies) {
      for (uint64_t seed = 1; seed <= 12; ++seed) {
        CAPTURE(file);
        CAPTURE(strategy_name(strategy));
        CAPTURE(seed);
        ScriptedPolicy scripted(seed);
        RunResult recorded = testing::run_in_memory(original, strategy, scripted);

        Trace written = original;
        written.schedule = compress_schedule(recorded.executed_schedule());
        Trace read_back = parse_trace(write_trace(written), "round-trip.json");
        CHECK(read_back == written);

        RunResult replayed = replay(read_back, strategy);
        CHECK(steps_of(replayed) == steps_of(recorded));
        CHECK(replayed.outcome == recorded.outcome);
        REQUIRE(replayed.reads.size() == recorded.reads.size());
        for (size_t i = 0; i < replayed.reads.size(); ++i)
          CHECK(replayed.reads[i].result == recorded.reads[i].result);
        CHECK(replayed.warnings.empty());
      }
    }
  }
}

TEST_CASE("replay: divergences are warnings naming the schedule element") {
  Trace trace = load_trace("traces/seed-race.json");
  SUBCASE("an until point the actor never reaches") {
    trace.schedule = {{1, ScheduleElement::Kind::Until, 1, Point::ReadRecheck}};
    RunResult run = replay(trace, ReadStrategy::Naive);
    REQUIRE(run.warnings.size() == 1);
    const auto* missed = std::get_if<warning::UntilNotReached>(&run.warnings[0]);
    REQUIRE(missed);
    CHECK(missed->element.index == 0);
    CHECK(missed->element.actor == "reader");
    CHECK(missed->element.until == "read.recheck");
  }
  SUBCASE("a finished actor scheduled") {
    trace.schedule = {{0, ScheduleElement::Kind::Done, 1, Point::AppendBuffer},
                      {0, ScheduleElement::Kind::Steps, 2, Point::AppendBuffer}};
    RunResult run = replay(trace, ReadStrategy::Naive);
    REQUIRE(run.warnings.size() == 1);
    const auto* idle = std::get_if<warning::ActorAlreadyFinished>(&run.warnings[0]);
    REQUIRE(idle);
    CHECK(idle->element.index == 1);
    CHECK(idle->element.steps == 2);
    CHECK(run.outcome == Outcome::Ok);
  }
  SUBCASE("more steps than the actor has") {
    trace.schedule = {{1, ScheduleElement::Kind::Steps, 50, Point::AppendBuffer}};
    RunResult run = replay(trace, ReadStrategy::Generation);
    REQUIRE(run.warnings.size() == 1);
    const auto* short_run = std::get_if<warning::StepsRanOut>(&run.warnings[0]);
    REQUIRE(short_run);
    CHECK(short_run->taken == 3);
    CHECK(short_run->element.steps == 50);
  }
  SUBCASE("the element that finishes the last actor, and every element after it") {
    trace.schedule = {{1, ScheduleElement::Kind::Done, 1, Point::AppendBuffer},
                      {0, ScheduleElement::Kind::Steps, 5, Point::AppendBuffer},
                      {1, ScheduleElement::Kind::Steps, 1, Point::AppendBuffer},
                      {0, ScheduleElement::Kind::Until, 1, Point::FlushTrim}};
    RunResult run = replay(trace, ReadStrategy::Generation);
    REQUIRE(run.warnings.size() == 3);
    const auto* short_run = std::get_if<warning::StepsRanOut>(&run.warnings[0]);
    REQUIRE(short_run);
    CHECK(short_run->element.index == 1);
    CHECK(short_run->element.actor == "writer");
    CHECK(short_run->taken == 3);
    for (size_t i : {1, 2}) {
      const auto* idle = std::get_if<warning::ActorAlreadyFinished>(&run.warnings[i]);
      REQUIRE(idle);
      CHECK(idle->element.index == i + 1);
    }
  }
}

TEST_CASE("replay: the seed race step by step as the seed table shows it") {
  const Trace trace = load_trace("traces/seed-race.json");
  RunResult naive = replay(trace, ReadStrategy::Naive);
  std::vector<std::pair<size_t, Point>> expected = {{1, Point::ReadSnapshot},
                                                    {0, Point::FlushWrite},
                                                    {0, Point::FlushPublish},
                                                    {0, Point::FlushTrim},
                                                    {1, Point::ReadBuffer}};
  CHECK(steps_of(naive) == expected);
  CHECK(naive.timeline[0].event.last_persisted == Offset(10, 0));
  CHECK(naive.timeline[0].event.last_seen == Offset(11, 1));
  CHECK(naive.timeline[4].event.entries == 0);
  REQUIRE(naive.reads.size() == 1);
  CHECK(naive.reads[0].verdict.missing.size() == 2);
  CHECK(naive.outcome == Outcome::Race);

  RunResult generation = replay(trace, ReadStrategy::Generation);
  CHECK(generation.timeline.back().event.point == Point::ReadDisk);
  CHECK(generation.reads[0].result.size() == 2);
  CHECK(generation.outcome == Outcome::Ok);
}

}  // TEST_SUITE("replay")
