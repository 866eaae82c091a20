// Running a trace under one strategy on fresh storage: an in-memory file system, or with
// on_disk a temporary directory that is removed afterwards.
#pragma once

#include "shapelog/trace.h"
#include "shapelog/trace_run.h"

namespace shapelog::cli {

// True when --on-disk was given or the trace's options ask for "storage": "disk".
bool wants_disk(const Trace& trace, bool on_disk_flag);

RunResult run_on_fresh_log(const Trace& trace, ReadStrategy strategy, bool on_disk,
                           SchedulePolicy& policy);

}  // namespace shapelog::cli
