#include "explore/split_search.h"

#include <chrono>

#include "explore/read_class_search.h"
#include "shapelog/error.h"

namespace shapelog {

namespace {

// A schedule of the whole trace with a subproblem's placements: the other readers first,
// each to its end; then the writer and the racing read's actor, whose other reads run right
// before and right after the racing read, so that no switch is added: the schedule has as
// many preemptions as the subproblem's. (Other reads cannot change the racing read's outcome:
// search_plan.h.)
class LiftPolicy : public SchedulePolicy {
 public:
  LiftPolicy(std::optional<size_t> writer, size_t reader, size_t read_op,
             const std::vector<uint32_t>& placements)
      : writer_(writer), reader_(reader), read_op_(read_op), placements_(placements) {}

  std::optional<size_t> next(const Execution& execution) override {
    for (size_t a = 0; a < execution.actor_count(); ++a)
      if (a != writer_ && a != reader_ && !execution.finished(a)) return a;
    if (execution.finished(reader_)) return writer_;
    if (!writer_ || execution.finished(*writer_)) return reader_;
    if (reader_ops_done_ > read_op_) return reader_;
    size_t step = reader_ops_done_ < read_op_ ? 0 : read_steps_;
    if (step < placements_.size() && writer_steps_ < placements_[step]) return writer_;
    return reader_;
  }

  void after_step(size_t actor, const PointEvent& event) override {
    if (actor == writer_) {
      ++writer_steps_;
    } else if (actor == reader_) {
      if (reader_ops_done_ == read_op_) ++read_steps_;
      if (event.ends_op) ++reader_ops_done_;
    }
  }

 private:
  std::optional<size_t> writer_;
  size_t reader_;
  size_t read_op_;
  const std::vector<uint32_t>& placements_;
  uint32_t writer_steps_ = 0;
  size_t reader_ops_done_ = 0;
  size_t read_steps_ = 0;
};

Counterexample lift(const Trace& trace, const Subproblem& subproblem, const RacingPlacement& race,
                    const TraceExecutor& execute) {
  const auto [actor, op] = subproblem.reads.front();
  LiftPolicy policy(trace.writer_index(), actor, op, race.placements);
  RunResult run = execute(trace, policy);
  if (run.outcome != Outcome::Race || run.preemptions() != race.preemptions)
    throw Error(ErrorKind::Internal,
                "a race of a per-read search did not carry over to the whole trace");
  return Counterexample{run.executed_schedule(), run.preemptions(), std::move(run)};
}

}  // namespace

ExploreResult explore_split(const Trace& trace, const SearchPlan& plan,
                            const TraceExecutor& execute, const ExploreLimits& limits,
                            const ExploreProgress& progress) {
  const auto started = std::chrono::steady_clock::now();
  ExploreResult result;
  ClassSearchState state{limits, result.stats, {}, &progress, {}, 0, false};
  state.elapsed = [started] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  if (!plan.subproblems.empty() && plan.subproblems.front().writer) {
    state.writer_points = writer_steps(plan.subproblems.front(), execute);
    ++result.stats.probes;
  }

  SplitStats& split = result.split.emplace();
  split.reads = plan.reads;
  std::optional<RacingPlacement> best;
  const Subproblem* best_subproblem = nullptr;
  for (const Subproblem& subproblem : plan.subproblems) {
    SubproblemStats& totals = split.subproblems.emplace_back();
    totals.range = subproblem.range;
    totals.reads = subproblem.reads;
    std::optional<RacingPlacement> race = search_read_classes(subproblem, execute, state, totals);
    if (race && (!best || race->preemptions < best->preemptions)) {
      best = std::move(race);
      best_subproblem = &subproblem;
    }
    if (result.stats.stopped_by != StopReason::None) break;
  }

  ExploreStats& stats = result.stats;
  if (best) {
    result.counterexample = lift(trace, *best_subproblem, *best, execute);
    stats.stopped_by = StopReason::None;  // a race is an answer, whatever budget is left
  } else if (stats.stopped_by == StopReason::None && state.bound_cut) {
    stats.stopped_by = StopReason::PreemptionBound;
  }
  stats.complete = stats.stopped_by == StopReason::None && !state.bound_cut;
  stats.seconds = state.elapsed();
  return result;
}

}  // namespace shapelog
