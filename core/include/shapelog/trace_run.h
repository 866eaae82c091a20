// Runs a trace on the real log code: builds the initial log state, turns each actor's ops
// into calls of LogWriter::append / flush and LogReader::read, and steps the actors through
// an Execution in the order a SchedulePolicy chooses. Then judges every read with the
// checker of the trace format's "Verdict" section. Replay and explore both run traces
// through here; only their policies differ.
#pragma once

#include <cstdint>
#include <string>

#include "shapelog/file_system.h"
#include "shapelog/read_strategy.h"
#include "shapelog/run_result.h"
#include "shapelog/schedule_policy.h"
#include "shapelog/trace.h"

namespace shapelog {

struct RunOptions {
  ReadStrategy strategy = kDefaultStrategy;
  FileSystem* fs = nullptr;  // where the log lives: a fresh MemoryFileSystem, or a real one
  std::string dir;           // an empty or missing directory on fs
};

RunResult run_trace(const Trace& trace, const RunOptions& options, SchedulePolicy& policy);

// The buffer capacity a trace asks for (options.buffer_capacity), or one large enough that
// none of its transactions ever waits for room.
uint64_t buffer_capacity_for(const Trace& trace);

}  // namespace shapelog
