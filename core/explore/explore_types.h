// What an exploration is asked to do and what it found: the limits, the certificate of what
// was covered, and the counterexample when a read went wrong.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "shapelog/read_range.h"
#include "shapelog/run_result.h"
#include "shapelog/schedule_policy.h"
#include "shapelog/trace.h"

namespace shapelog {

// Runs a trace once under a policy, on a fresh log.
using TraceRunner = std::function<RunResult(SchedulePolicy&)>;
// Runs any trace once under a policy, on a fresh log: the per-read search runs traces of its
// own (the writer with one read), the whole-trace search the user's.
using TraceExecutor = std::function<RunResult(const Trace&, SchedulePolicy&)>;

// Shard `index` of `count`: a deterministic share of one search (0 <= index < count).
struct Shard {
  uint32_t index = 0;
  uint32_t count = 1;

  bool operator==(const Shard&) const = default;
};

struct ExploreLimits {
  // Iterative deepening goes 0, 1, 2, ... up to this many preemptions (none: no limit).
  std::optional<uint32_t> preemption_bound;
  uint64_t max_schedules = UINT64_MAX;
  double max_seconds = 1e18;
  bool reduction = true;     // sleep sets and the per-read split; off only to measure them
  bool whole_trace = false;  // search the whole trace even where the per-read split holds
  Shard shard;
};

// Why a search stopped before it covered everything.
enum class StopReason : uint8_t {
  None,
  PreemptionBound,
  MaxSchedules,
  MaxSeconds,
  SampleSize,
  MissingShards
};

inline constexpr std::array<StopReason, 6> kAllStopReasons = {
    StopReason::None,       StopReason::PreemptionBound, StopReason::MaxSchedules,
    StopReason::MaxSeconds, StopReason::SampleSize,      StopReason::MissingShards};

constexpr std::string_view stop_reason_name(StopReason reason) {
  constexpr std::array<std::string_view, 6> names = {
      "", "preemption bound", "max schedules", "max seconds", "sample size", "missing shards"};
  return names[static_cast<size_t>(reason)];
}

constexpr std::optional<StopReason> parse_stop_reason(std::string_view name) {
  for (StopReason reason : kAllStopReasons)
    if (stop_reason_name(reason) == name) return reason;
  return std::nullopt;
}

struct ExploreStats {
  uint64_t schedules = 0;         // executions run to the end or dropped by sleep sets
  uint64_t classes = 0;           // executions of the final search run to the end: each one
                                  // a different equivalence class of interleavings
  uint64_t sleep_blocked = 0;     // executions dropped as equivalent to one already run
  uint64_t earlier_bounds = 0;    // of `schedules`, those run at bounds below the last one:
                                  // iterative deepening runs them again at the next bound
  uint64_t probes = 0;            // partial executions that only learn a step (shards, the
                                  // writer's steps); not schedules
  uint32_t preemption_bound = 0;  // the bound of the last iteration; for the per-read search,
                                  // the most preemptions any covered class needs
  bool complete = false;          // every interleaving is covered: nothing cut by a bound/budget
  StopReason stopped_by = StopReason::None;
  double seconds = 0;
};

// One search of the per-read split: the writer's ops with one read (subproblem).
struct SubproblemStats {
  ReadRange range;
  std::vector<std::pair<size_t, size_t>> reads;  // (actor, op) of every read it stands for
  uint64_t schedules = 0;
  uint64_t classes = 0;
  // For counting the whole trace's classes: how many classes place the read's steps with
  // (the latest writer step its first step can follow, the writer steps before its last
  // step). Two reads of one actor combine when the first's second value <= the next's first.
  std::map<std::pair<uint32_t, uint32_t>, uint64_t> spans;

  bool operator==(const SubproblemStats&) const = default;
};

struct SplitStats {
  std::vector<SubproblemStats> subproblems;
  uint64_t reads = 0;  // reads outside the writer; reads - subproblems were merged as identical
};

// Told after every execution; for progress reports.
using ExploreProgress = std::function<void(const ExploreStats&)>;

struct Counterexample {
  std::vector<size_t> schedule;  // the actor of each step
  uint32_t preemptions = 0;
  RunResult run;
};

struct ExploreResult {
  ExploreStats stats;
  std::optional<SplitStats> split;               // set when the search was split per read
  std::string whole_trace_reason;                // why not, when it was not
  std::optional<Counterexample> counterexample;  // always a schedule of the whole trace
};

}  // namespace shapelog

template <>
struct fmt::formatter<shapelog::StopReason> : fmt::formatter<std::string_view> {
  auto format(shapelog::StopReason reason, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(shapelog::stop_reason_name(reason), ctx);
  }
};
