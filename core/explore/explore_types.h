// What an exploration is asked to do and what it found: the limits, the certificate of what
// was covered, and the counterexample when a read went wrong.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "replay/trace_run.h"

namespace shapelog {

// Shard `index` of `count`: a deterministic share of one search (0 <= index < count).
struct Shard {
  uint32_t index = 0;
  uint32_t count = 1;
};

struct ExploreLimits {
  // Iterative deepening goes 0, 1, 2, ... up to this many preemptions (none: no limit).
  std::optional<uint32_t> preemption_bound;
  uint64_t max_schedules = UINT64_MAX;
  double max_seconds = 1e18;
  bool reduction = true;  // sleep sets; off only to measure what they save
  Shard shard;
};

struct ExploreStats {
  uint64_t schedules = 0;      // executions run, over all iterations
  uint64_t classes = 0;        // executions of the last iteration run to the end: each one
                               // a different equivalence class of interleavings
  uint64_t sleep_blocked = 0;  // executions dropped as equivalent to one already run
  uint64_t probes = 0;         // one-step executions a shard runs to learn a sibling's step
  uint32_t preemption_bound = 0;  // the bound of the last iteration
  bool complete = false;       // every interleaving is covered: nothing cut by a bound/budget
  std::string stopped_by;      // "preemption bound", "max schedules", "max seconds" or ""
  double seconds = 0;
};

struct Counterexample {
  std::vector<size_t> schedule;  // the actor of each step
  uint32_t preemptions = 0;
  RunResult run;
};

struct ExploreResult {
  ExploreStats stats;
  std::optional<Counterexample> counterexample;
};

}  // namespace shapelog
