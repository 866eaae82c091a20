#include "trace_runs.h"

#include "shapelog/memory_file_system.h"
#include "shapelog/posix_file_system.h"
#include "storage/temporary_directory.h"

namespace shapelog::cli {

bool wants_disk(const Trace& trace, bool on_disk_flag) {
  return on_disk_flag || trace.options.on_disk();
}

RunResult run_on_fresh_log(const Trace& trace, ReadStrategy strategy, bool on_disk,
                           SchedulePolicy& policy) {
  if (on_disk) {
    TemporaryDirectory temporary("replay");
    PosixFileSystem fs;
    return run_trace(trace, RunOptions{strategy, &fs, temporary.path() + "/log"}, policy);
  }
  MemoryFileSystem fs;
  return run_trace(trace, RunOptions{strategy, &fs, "/log"}, policy);
}

}  // namespace shapelog::cli
