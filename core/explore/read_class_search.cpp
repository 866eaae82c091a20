#include "explore/read_class_search.h"

#include "explore/placement_cost.h"
#include "explore/step_footprint.h"

namespace shapelog {

namespace {

// The read's step at this depth (0 = its first) is where shards divide the tree.
constexpr size_t kShardDepth = 1;

// Runs the writer until the read's next step is due, per the placements; steps beyond them
// run at once. Ends the run after `stop_after` read steps (a probe).
class PlacementPolicy : public SchedulePolicy {
 public:
  PlacementPolicy(const Subproblem& subproblem, const std::vector<uint32_t>& placements,
                  size_t stop_after)
      : writer_(subproblem.writer),
        reader_(subproblem.reader),
        placements_(placements),
        stop_after_(stop_after) {}

  std::optional<size_t> next(const Execution& execution) override {
    if (execution.finished(reader_)) return writer_;
    if (!writer_ || execution.finished(*writer_)) return reader_;
    if (read_steps_ < placements_.size() && writer_steps_ < placements_[read_steps_])
      return writer_;
    return reader_;
  }

  void after_step(size_t actor, const PointEvent& event) override {
    if (actor != reader_) {
      ++writer_steps_;
      return;
    }
    read_points_.push_back(event.point);
    if (++read_steps_ == stop_after_) abandon_ = true;
  }

  bool abandon() const override { return abandon_; }
  const std::vector<Point>& read_points() const { return read_points_; }

 private:
  std::optional<size_t> writer_;
  size_t reader_;
  const std::vector<uint32_t>& placements_;
  size_t stop_after_;
  size_t read_steps_ = 0;
  uint32_t writer_steps_ = 0;
  std::vector<Point> read_points_;
  bool abandon_ = false;
};

class WriterOnlyPolicy : public SchedulePolicy {
 public:
  explicit WriterOnlyPolicy(size_t writer) : writer_(writer) {}
  std::optional<size_t> next(const Execution& execution) override {
    done_ = execution.finished(writer_);
    return writer_;
  }
  void after_step(size_t actor, const PointEvent& event) override {
    if (actor == writer_) points_.push_back(event.point);
  }
  bool abandon() const override { return done_; }
  std::vector<Point>& points() { return points_; }

 private:
  size_t writer_;
  bool done_ = false;
  std::vector<Point> points_;
};

// One read step of the current execution: its earliest placement and the point it reached.
struct Node {
  uint32_t at = 0;
  Point point = Point::ReadSnapshot;
};

// The next alternative of a node: after the first later writer step that conflicts with its
// point. False when there is none.
bool advance(Node& node, const std::vector<Point>& writer_points) {
  for (uint32_t c = node.at + 1; c <= writer_points.size(); ++c)
    if (!steps_commute(writer_points[c - 1], node.point)) {
      node.at = c;
      return true;
    }
  return false;
}

}  // namespace

std::vector<Point> writer_steps(const Subproblem& subproblem, const TraceExecutor& execute) {
  if (!subproblem.writer) return {};
  WriterOnlyPolicy policy(*subproblem.writer);
  execute(subproblem.trace, policy);
  return std::move(policy.points());
}

std::optional<RacingPlacement> search_read_classes(const Subproblem& subproblem,
                                                   const TraceExecutor& execute,
                                                   ClassSearchState& state,
                                                   SubproblemStats& totals) {
  const ExploreLimits& limits = state.limits;
  ExploreStats& stats = state.stats;
  const std::vector<Point>& writer_points = state.writer_points;
  const uint32_t n = static_cast<uint32_t>(writer_points.size());
  std::optional<RacingPlacement> best;

  std::vector<Node> stack;
  std::vector<uint32_t> placements;
  size_t changed = 0;  // the depth of the node the last backtrack moved
  do {
    if (stats.schedules >= limits.max_schedules) stats.stopped_by = StopReason::MaxSchedules;
    if (state.elapsed() >= limits.max_seconds) stats.stopped_by = StopReason::MaxSeconds;
    if (stats.stopped_by != StopReason::None) return best;

    bool probe = false;
    if (changed <= kShardDepth)
      probe = state.shard_nodes++ % limits.shard.count != limits.shard.index;
    placements.clear();
    for (const Node& node : stack) placements.push_back(node.at);
    PlacementPolicy policy(subproblem, placements, probe ? kShardDepth + 1 : SIZE_MAX);
    RunResult run = execute(subproblem.trace, policy);

    const std::vector<Point>& points = policy.read_points();
    for (size_t i = 0; i < points.size(); ++i) {
      if (i < stack.size()) {
        stack[i].point = points[i];
      } else {
        stack.push_back({stack.empty() ? 0 : stack.back().at, points[i]});
      }
    }
    const bool shallow = points.size() <= kShardDepth;
    const bool counts = !run.abandoned && (shallow ? limits.shard.index == 0 : !probe);
    if (!counts) {
      ++stats.probes;
    } else {
      ++stats.schedules;
      ++totals.schedules;
      placements.clear();
      for (const Node& node : stack) placements.push_back(node.at);
      std::vector<Point> read_points;
      for (const Node& node : stack) read_points.push_back(node.point);
      const std::vector<StepWindow> windows = step_windows(placements, read_points, writer_points);
      std::vector<uint32_t> cheapest;
      const uint32_t preemptions = fewest_preemptions(windows, n, cheapest);
      if (limits.preemption_bound && preemptions > *limits.preemption_bound) {
        state.bound_cut = true;  // run, but not covered: the bound excludes the class
      } else {
        ++stats.classes;
        ++totals.classes;
        stats.preemption_bound = std::max(stats.preemption_bound, preemptions);
        uint32_t latest_first = n;
        for (const StepWindow& window : windows)
          latest_first = std::min(latest_first, window.latest);
        ++totals.spans[{latest_first, windows.back().earliest}];
        if (run.outcome == Outcome::Race && (!best || preemptions < best->preemptions))
          best = RacingPlacement{std::move(cheapest), preemptions};
      }
    }
    if (state.progress && *state.progress) (*state.progress)(stats);

    while (!stack.empty() && !advance(stack.back(), writer_points)) stack.pop_back();
    changed = stack.empty() ? 0 : stack.size() - 1;
  } while (!stack.empty());
  return best;
}

}  // namespace shapelog
