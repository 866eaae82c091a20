// Turning a failing schedule into the trace a user keeps: the fewest preemptions (the search
// found it at the lowest bound), then the shortest explicit schedule: the shortest prefix
// that, with every actor then run to completion in listed order, still fails without more
// preemptions. Elements use `until` points where that says the same as a step count, so the
// trace keeps working when steps are added elsewhere.
#pragma once

#include "explore/dfs_search.h"
#include "shapelog/read_strategy.h"
#include "shapelog/trace.h"

namespace shapelog {

struct MinimizedCounterexample {
  Trace trace;    // the original trace with the minimized schedule and expect {strategy: race}
  RunResult run;  // the trace replayed
};

MinimizedCounterexample minimize_counterexample(const Trace& trace, ReadStrategy strategy,
                                                const Counterexample& found,
                                                const TraceRunner& run);

}  // namespace shapelog
