// Test helpers for traces: load one from testdata, run it on a fresh in-memory log.
#pragma once

#include <string>

#include "explore/dfs_search.h"
#include "shapelog/memory_file_system.h"
#include "shapelog/trace_file.h"

namespace shapelog::testing {

// A trace from testdata/, by its path below that folder.
inline Trace load_trace(const std::string& relative) {
  return load_trace_file(std::string(SHAPELOG_TESTDATA_DIR) + "/" + relative);
}

// Runs the trace under a policy on a fresh in-memory log.
inline RunResult run_in_memory(const Trace& trace, ReadStrategy strategy, SchedulePolicy& policy) {
  MemoryFileSystem fs;
  return run_trace(trace, RunOptions{strategy, &fs, "/log"}, policy);
}

inline TraceRunner memory_runner(const Trace& trace, ReadStrategy strategy) {
  return
      [&trace, strategy](SchedulePolicy& policy) { return run_in_memory(trace, strategy, policy); };
}

}  // namespace shapelog::testing
