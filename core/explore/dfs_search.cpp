#include "explore/dfs_search.h"

#include <algorithm>
#include <chrono>

#include "explore/step_footprint.h"

namespace shapelog {

namespace {

constexpr size_t kNone = SIZE_MAX;
// Depth at which shards split the tree (steps from the start).
constexpr size_t kShardDepth = 4;

// One actor's next step as seen from a node: who, and the point it ends at.
struct Step {
  size_t actor;
  Point point;
};

struct ChoicePoint {
  std::vector<size_t> candidates;  // enabled actors, the previous actor first
  size_t previous = kNone;         // the actor of the step before (kNone at the root)
  uint32_t preemptions_before = 0;
  std::vector<Step> sleep;  // actors whose next step leads only to covered classes
  std::vector<Step> done;   // alternatives explored from here
  size_t chosen = kNone;
  Point chosen_point = Point::AppendBuffer;
  bool probe_only = false;  // another shard owns this subtree: learn the step, go no further
};

bool contains_actor(const std::vector<Step>& steps, size_t actor) {
  return std::any_of(steps.begin(), steps.end(), [&](const Step& s) { return s.actor == actor; });
}

class Search;

// Steers one execution: replays the stack's choices, then extends it.
class DfsPolicy : public SchedulePolicy {
 public:
  explicit DfsPolicy(Search& search) : search_(search) {}
  std::optional<size_t> next(const Execution& execution) override;
  void after_step(size_t actor, const PointEvent& event) override;
  bool abandon() const override { return abandon_; }
  bool sleep_blocked() const { return sleep_blocked_; }
  bool probe_done() const { return probe_done_; }

 private:
  Search& search_;
  size_t depth_ = 0;
  size_t previous_ = kNone;
  uint32_t preemptions_ = 0;
  bool abandon_ = false;
  bool sleep_blocked_ = false;
  bool probe_done_ = false;
};

class Search {
 public:
  Search(const ExploreLimits& limits, uint32_t bound) : limits_(limits), bound_(bound) {}

  // A new choice point at the end of the stack; false when every candidate is asleep or
  // beyond the bound.
  bool open_node(const Execution& execution, size_t previous, uint32_t preemptions) {
    ChoicePoint node;
    node.previous = previous;
    node.preemptions_before = preemptions;
    if (previous != kNone && !execution.finished(previous)) node.candidates.push_back(previous);
    for (size_t a = 0; a < execution.actor_count(); ++a)
      if (a != previous && !execution.finished(a)) node.candidates.push_back(a);
    if (!stack_.empty() && limits_.reduction) {
      // Sleeping carries over to the child when it commutes with the step just taken.
      const ChoicePoint& parent = stack_.back();
      for (const std::vector<Step>* steps : {&parent.sleep, &parent.done})
        for (const Step& s : *steps)
          if (s.actor != parent.chosen && steps_commute(s.point, parent.chosen_point))
            node.sleep.push_back(s);
    }
    stack_.push_back(std::move(node));
    return choose_next(stack_.back(), stack_.size() - 1);
  }

  // Picks the node's next unexplored, awake alternative within the bound.
  bool choose_next(ChoicePoint& node, size_t depth) {
    for (size_t actor : node.candidates) {
      if (contains_actor(node.done, actor) || contains_actor(node.sleep, actor)) continue;
      uint32_t cost = node.previous != kNone && actor != node.previous &&
                              node.candidates.front() == node.previous
                          ? 1
                          : 0;
      if (node.preemptions_before + cost > bound_) {
        bound_cut_ = true;
        continue;
      }
      node.chosen = actor;
      node.probe_only = false;
      if (depth == kShardDepth && limits_.shard.count > 1)
        node.probe_only = shard_counter_++ % limits_.shard.count != limits_.shard.index;
      return true;
    }
    return false;
  }

  // After an execution: the deepest node with an alternative left becomes the next branch.
  bool backtrack() {
    while (!stack_.empty()) {
      ChoicePoint& node = stack_.back();
      if (node.chosen != kNone) node.done.push_back({node.chosen, node.chosen_point});
      if (choose_next(node, stack_.size() - 1)) return true;
      stack_.pop_back();
    }
    return false;
  }

  std::vector<ChoicePoint>& stack() { return stack_; }
  bool bound_cut() const { return bound_cut_; }
  uint32_t bound() const { return bound_; }
  // Executions that end above the shard depth belong to shard 0.
  bool owns_shallow_execution() const { return limits_.shard.index == 0; }

 private:
  const ExploreLimits& limits_;
  uint32_t bound_;
  std::vector<ChoicePoint> stack_;
  bool bound_cut_ = false;
  uint64_t shard_counter_ = 0;
};

std::optional<size_t> DfsPolicy::next(const Execution& execution) {
  if (abandon_) return std::nullopt;
  std::vector<ChoicePoint>& stack = search_.stack();
  if (depth_ == stack.size() && !search_.open_node(execution, previous_, preemptions_)) {
    stack.pop_back();
    sleep_blocked_ = true;
    abandon_ = true;
    return std::nullopt;
  }
  const ChoicePoint& node = stack[depth_];
  if (node.chosen != node.previous && node.previous != kNone && !execution.finished(node.previous))
    ++preemptions_;
  previous_ = node.chosen;
  return node.chosen;
}

void DfsPolicy::after_step(size_t, const PointEvent& event) {
  std::vector<ChoicePoint>& stack = search_.stack();
  ChoicePoint& node = stack[depth_++];
  node.chosen_point = event.point;
  if (node.probe_only) {
    probe_done_ = true;
    abandon_ = true;
  }
}

}  // namespace

namespace {

// One DFS at a fixed preemption bound. Returns the first race found; sets `bound_cut` when
// the bound hid some alternative, and stats.stopped_by when a budget ran out.
std::optional<Counterexample> search_at_bound(const TraceRunner& run, const ExploreLimits& limits,
                                              uint32_t bound, bool& bound_cut, ExploreStats& stats,
                                              const std::function<double()>& elapsed,
                                              const ExploreProgress& progress) {
  Search search(limits, bound);
  for (bool more = true; more; more = search.backtrack()) {
    if (stats.schedules >= limits.max_schedules) stats.stopped_by = StopReason::MaxSchedules;
    if (elapsed() >= limits.max_seconds) stats.stopped_by = StopReason::MaxSeconds;
    if (stats.stopped_by != StopReason::None) return std::nullopt;
    DfsPolicy policy(search);
    RunResult result = run(policy);
    if (policy.probe_done()) {
      ++stats.probes;
    } else if (policy.sleep_blocked()) {
      ++stats.schedules;
      ++stats.sleep_blocked;
    } else if (!result.abandoned &&
               (search.stack().size() > kShardDepth || search.owns_shallow_execution())) {
      ++stats.schedules;
      ++stats.classes;
      if (result.outcome == Outcome::Race)
        return Counterexample{result.executed_schedule(), result.preemptions(), result};
    }
    if (progress) progress(stats);
  }
  bound_cut = search.bound_cut();
  return std::nullopt;
}

}  // namespace

ExploreResult explore_exhaustive(const TraceRunner& run, const ExploreLimits& limits,
                                 const ExploreProgress& progress) {
  const auto started = std::chrono::steady_clock::now();
  std::function<double()> elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  ExploreResult result;
  ExploreStats& stats = result.stats;
  const uint32_t max_bound = limits.preemption_bound.value_or(UINT32_MAX);

  for (uint32_t bound = 0;; ++bound) {
    stats.preemption_bound = bound;
    stats.classes = 0;
    stats.earlier_bounds = stats.schedules;
    bool bound_cut = false;
    result.counterexample =
        search_at_bound(run, limits, bound, bound_cut, stats, elapsed, progress);
    if (result.counterexample) {
      // Sleep sets under a bound can hide a race that needs fewer preemptions behind an
      // equivalent schedule that needs more. Without reduction, small bounds are cheap and
      // exact: look below the bound the race was found at.
      ExploreLimits exact = limits;
      exact.reduction = false;
      for (uint32_t lower = 0; limits.reduction && lower < result.counterexample->preemptions;
           ++lower) {
        bool ignored = false;
        if (auto better = search_at_bound(run, exact, lower, ignored, stats, elapsed, progress)) {
          result.counterexample = std::move(better);
          break;
        }
      }
      stats.stopped_by = StopReason::None;  // a race is an answer, whatever budget is left
      break;
    }
    if (stats.stopped_by != StopReason::None) break;
    if (!bound_cut) {
      stats.complete = true;
      break;
    }
    if (bound >= max_bound) {
      stats.stopped_by = StopReason::PreemptionBound;
      break;
    }
  }
  stats.seconds = elapsed();
  return result;
}

}  // namespace shapelog
