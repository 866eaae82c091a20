#include "explore/random_search.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "common/split_mix.h"

namespace shapelog {

namespace {

using Random = SplitMix64;

class RandomPolicy : public SchedulePolicy {
 public:
  explicit RandomPolicy(Random& random) : random_(random) {}
  std::optional<size_t> next(const Execution& execution) override {
    std::vector<size_t> enabled;
    for (size_t a = 0; a < execution.actor_count(); ++a)
      if (!execution.finished(a)) enabled.push_back(a);
    return enabled[random_.below(enabled.size())];
  }

 private:
  Random& random_;
};

// PCT: the enabled actor with the highest priority runs; at each of the d-1 change points
// (steps chosen among the first `expected_steps`) the running actor drops below everyone.
class PctPolicy : public SchedulePolicy {
 public:
  PctPolicy(Random& random, uint32_t depth, uint64_t expected_steps)
      : random_(random), depth_(depth) {
    for (uint32_t i = 1; i < depth; ++i)
      change_points_.push_back(random.below(std::max<uint64_t>(expected_steps, 1)));
  }
  std::optional<size_t> next(const Execution& execution) override {
    if (priorities_.empty()) {
      // Distinct random priorities above every change point's.
      size_t actors = execution.actor_count();
      for (size_t a = 0; a < actors; ++a) priorities_.push_back(static_cast<int64_t>(depth_ + a));
      for (size_t a = actors; a > 1; --a)
        std::swap(priorities_[a - 1], priorities_[random_.below(a)]);
    }
    for (size_t i = 0; i < change_points_.size(); ++i)
      if (change_points_[i] == step_) priorities_[highest(execution)] = static_cast<int64_t>(i);
    ++step_;
    return highest(execution);
  }

 private:
  size_t highest(const Execution& execution) const {
    size_t best = SIZE_MAX;
    for (size_t a = 0; a < execution.actor_count(); ++a)
      if (!execution.finished(a) && (best == SIZE_MAX || priorities_[a] > priorities_[best]))
        best = a;
    return best;
  }

  Random& random_;
  uint32_t depth_;
  std::vector<int64_t> priorities_;
  std::vector<uint64_t> change_points_;
  uint64_t step_ = 0;
};

// Runs the actors one after another: a run's length, for PCT's change points.
class InOrderPolicy : public SchedulePolicy {
 public:
  std::optional<size_t> next(const Execution&) override { return std::nullopt; }
};

}  // namespace

ExploreResult explore_sampled(const TraceRunner& run, const SamplingOptions& options,
                              const ExploreLimits& limits, const ExploreProgress& progress) {
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  ExploreResult result;
  ExploreStats& stats = result.stats;
  Random random(options.seed);
  uint64_t expected_steps = 0;
  uint64_t budget = std::min(options.schedules, limits.max_schedules);
  while (stats.schedules < budget) {
    if (elapsed() >= limits.max_seconds) {
      stats.stopped_by = StopReason::MaxSeconds;
      break;
    }
    RunResult run_result;
    if (options.pct_depth == 0) {
      RandomPolicy policy(random);
      run_result = run(policy);
    } else {
      if (expected_steps == 0) {
        InOrderPolicy in_order;
        expected_steps = std::max<size_t>(1, run(in_order).timeline.size());
      }
      PctPolicy policy(random, options.pct_depth, expected_steps);
      run_result = run(policy);
    }
    ++stats.schedules;
    ++stats.classes;
    if (run_result.outcome == Outcome::Race) {
      result.counterexample =
          Counterexample{run_result.executed_schedule(), run_result.preemptions(), run_result};
      break;
    }
    if (progress) progress(stats);
  }
  if (stats.stopped_by == StopReason::None && !result.counterexample)
    stats.stopped_by = StopReason::SampleSize;
  stats.seconds = elapsed();
  return result;
}

}  // namespace shapelog
