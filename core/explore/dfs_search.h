// Exhaustive search of a trace's interleavings (stateless model checking, as Loom does):
// every schedule is a fresh run of the real log code, steered by a DFS over the choices of
// which actor steps next.
//
// - Sleep sets (Godefroid) skip schedules that only reorder commuting steps
//   (step_footprint.h): a branch that can only repeat a covered equivalence class is dropped.
// - Preemption bounding with iterative deepening: bound 0, 1, 2, ... so the first race found
//   has the fewest preemptions; the search is complete when an iteration ends without the
//   bound (or a budget) cutting anything. (Sleep sets under a bound can skip some schedules
//   within that bound; the last, uncut iteration is exhaustive, so "complete" is sound.)
// - Sharding: the nodes at a fixed depth of the DFS are numbered in DFS order and shard K of
//   N explores the subtrees of the nodes numbered K mod N. Every shard makes the same
//   decisions above that depth, so the shards' classes add up to one unsharded search's.
#pragma once

#include <functional>

#include "explore/explore_types.h"
#include "shapelog/trace.h"

namespace shapelog {

ExploreResult explore_exhaustive(const TraceRunner& run, const ExploreLimits& limits,
                                 const ExploreProgress& progress = {});

}  // namespace shapelog
