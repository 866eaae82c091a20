#include "explore/explore.h"

#include "explore/dfs_search.h"
#include "explore/search_plan.h"
#include "explore/split_search.h"
#include "explore/step_footprint.h"

namespace shapelog {

ExploreResult explore_trace(const Trace& trace, ReadStrategy strategy, const TraceExecutor& execute,
                            const ExploreLimits& limits, const ExploreProgress& progress) {
  SearchPlan plan;
  if (!limits.reduction) plan.reason = "reduction is off";
  else if (limits.whole_trace) plan.reason = "--whole-trace asked for it";
  else plan = plan_search(trace, strategy, writes_shared_state);
  if (plan.split) return explore_split(trace, plan, execute, limits, progress);
  ExploreResult result = explore_exhaustive(
      [&](SchedulePolicy& policy) { return execute(trace, policy); }, limits, progress);
  result.whole_trace_reason = plan.reason;
  return result;
}

}  // namespace shapelog
