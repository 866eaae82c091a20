// The complete search of a trace split per read (search_plan.h): one class search per
// subproblem (read_class_search.h), and a race found in one lifted back to a schedule of the
// whole trace, with the same number of preemptions.
#pragma once

#include "explore/explore_types.h"
#include "explore/search_plan.h"

namespace shapelog {

ExploreResult explore_split(const Trace& trace, const SearchPlan& plan,
                            const TraceExecutor& execute, const ExploreLimits& limits,
                            const ExploreProgress& progress = {});

}  // namespace shapelog
