// The complete search of one subproblem (search_plan.h): the writer's ops with one read,
// one execution per equivalence class.
//
// A schedule of two actors is fixed by the read's placements (placement_cost.h). The search
// is a DFS over them that only runs each class's earliest placements: step i first runs
// right after step i-1; its next alternative is right after the first later writer step
// that conflicts with the point step i reached (step_footprint.h). Writer steps that commute
// with it cannot change what the step reads, so placing it after them is the same class, and
// the same execution: it is never run. This is optimal DPOR for the shape explore meets (one
// writer, readers that write nothing): no execution is redundant, none is blocked.
//
// Shards: every node at the read's second step is numbered in DFS order, across the
// subproblems of one search, and shard K of N runs the subtrees of the nodes numbered K mod
// N; it runs the others' nodes only up to that step (a probe) to learn where their next
// alternative is. Executions whose read ends at its first step belong to shard 0.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "explore/explore_types.h"
#include "explore/search_plan.h"

namespace shapelog {

// What several subproblems of one search share: the limits, the totals, the shard numbering.
struct ClassSearchState {
  const ExploreLimits& limits;
  ExploreStats& stats;
  std::function<double()> elapsed;
  const ExploreProgress* progress = nullptr;
  std::vector<Point> writer_points;  // the writer's steps: the same in every execution
  uint64_t shard_nodes = 0;          // nodes numbered so far
  bool bound_cut = false;            // a class needed more preemptions than the bound
};

// A racing class: the read's placements with the fewest preemptions of the class.
struct RacingPlacement {
  std::vector<uint32_t> placements;
  uint32_t preemptions = 0;
};

// Runs the subproblem's classes until done or a budget stops it (state.stats.stopped_by).
// Returns the racing class with the fewest preemptions, if any.
std::optional<RacingPlacement> search_read_classes(const Subproblem& subproblem,
                                                   const TraceExecutor& execute,
                                                   ClassSearchState& state,
                                                   SubproblemStats& totals);

// Runs the writer alone to learn its steps (a probe).
std::vector<Point> writer_steps(const Subproblem& subproblem, const TraceExecutor& execute);

}  // namespace shapelog
