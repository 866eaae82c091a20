// Loading trace files and running a trace under one strategy on fresh storage: an in-memory
// file system, or with on_disk a temporary directory that is removed afterwards.
#pragma once

#include <cstdint>
#include <string>

#include "replay/trace_run.h"
#include "trace/trace.h"

namespace shapelog::cli {

// Trace files above this size are refused before they are parsed (--max-trace-bytes raises
// it): parsing costs up to kTraceParseFactor times the file's size in memory.
inline constexpr uint64_t kDefaultMaxTraceBytes = 32 << 20;

// Reads and parses a trace file; throws BadInput naming the file for every problem, also
// when it holds more than max_bytes (a pipe or device is read up to that many, no more).
Trace load_trace_file(const std::string& path, uint64_t max_bytes = kDefaultMaxTraceBytes);

// True when --on-disk was given or the trace's options ask for "storage": "disk".
bool wants_disk(const Trace& trace, bool on_disk_flag);

RunResult run_on_fresh_log(const Trace& trace, ReadStrategy strategy, bool on_disk,
                           SchedulePolicy& policy);

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TemporaryDirectory {
 public:
  explicit TemporaryDirectory(const char* purpose);
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace shapelog::cli
