// Sampling schedules for traces too large to exhaust: uniform random choices, or PCT
// (Burckhardt et al., 2010: random actor priorities plus d-1 priority change points, which
// finds a bug of depth d with probability at least 1/(n k^(d-1))). Every choice comes from a
// seeded generator, so a seed reproduces a run exactly.
#pragma once

#include <cstdint>

#include "explore/dfs_search.h"

namespace shapelog {

struct SamplingOptions {
  uint64_t schedules = 1000;
  uint64_t seed = 1;
  uint32_t pct_depth = 0;  // 0: uniform random; d >= 1: PCT with bug depth d
};

// Runs min(options.schedules, limits.max_schedules) sampled schedules; stops at the
// first race. Never complete: sampling rules nothing out.
ExploreResult explore_sampled(const TraceRunner& run, const SamplingOptions& options,
                              const ExploreLimits& limits, const ExploreProgress& progress = {});

}  // namespace shapelog
