// explore's complete search of a trace under one strategy: split per read where that covers
// every schedule (search_plan.h, split_search.h), the whole trace with sleep sets otherwise
// (dfs_search.h). Either way a counterexample is a schedule of the whole trace.
#pragma once

#include "explore/explore_types.h"

namespace shapelog {

ExploreResult explore_trace(const Trace& trace, ReadStrategy strategy, const TraceExecutor& execute,
                            const ExploreLimits& limits, const ExploreProgress& progress = {});

}  // namespace shapelog
