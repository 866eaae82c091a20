// `shapelog stress`: one writer thread appending transactions and flushing, N reader threads
// reading random ranges, all on one real log. Every read is judged against what was
// published before it began; the first bad read (or every one, with keep_going) is kept
// with the recorded points of its reader and of the writer.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shapelog/file_system.h"
#include "shapelog/read_checker.h"
#include "shapelog/read_range.h"
#include "shapelog/read_strategy.h"
#include "stress/stress_recorder.h"

namespace shapelog {

struct StressOptions {
  ReadStrategy strategy = ReadStrategy::Generation;
  size_t readers = 4;
  double duration_seconds = 10;  // stop after this long ...
  uint64_t reads = 0;            // ... or after this many reads in all (0: no limit)
  bool chaos = false;
  bool record = true;
  bool keep_going = false;
  uint64_t seed = 1;
  FileSystem* fs = nullptr;
  std::string dir;  // a fresh log directory
};

// A writer op as the writer saw it, to rebuild a trace around a bad read.
struct WriterOp {
  uint64_t op = 0;  // the writer's op counter
  bool flush = false;
  uint64_t tx = 0;  // for appends
  Offset last_persisted_before;
  Offset last_seen_before;
};

struct BadRead {
  size_t reader = 0;
  ReadRange range;
  std::vector<Entry> result;
  ReadVerdict verdict;
  std::vector<RecordedPoint> events;
};

struct StressSummary {
  uint64_t reads = 0;
  uint64_t appends = 0;
  uint64_t flushes = 0;
  uint64_t bad_reads = 0;
  double seconds = 0;
  std::optional<double> first_bad_seconds;
  std::optional<BadRead> first_bad;          // in full, when a reader of this process saw it
  std::string first_bad_text;                // who and what, whichever process saw it
  std::vector<RecordedPoint> writer_events;  // the writer's last recorded points
  std::vector<WriterOp> writer_ops;          // the writer's last ops
};

// Runs the writer and the readers as threads of this process.
StressSummary run_stress(const StressOptions& options);

// For readers in other processes: the counters every actor shares, placed by the caller in
// memory all of them map (the CLI maps it shared and anonymous before it forks), so core
// makes no process calls. All fields start at zero.
struct StressCounters {
  std::atomic<uint64_t> started_nanos{0};  // steady clock, shared by the processes of a boot
  std::atomic<uint64_t> published{0};      // entries visible to readers
  std::atomic<uint64_t> reads{0};
  std::atomic<uint64_t> bad_reads{0};
  std::atomic<uint64_t> stop{0};
  std::atomic<uint64_t> first_bad_nanos{0};  // when the first bad read was seen (0: none)
  std::atomic<uint64_t> first_bad_claimed{0};
  char first_bad[512] = {};  // its description, by whoever claimed it
};

// The writer's half of a multi-process run, in this process (it starts the clock): returns
// when the readers are done (reads or duration reached) or one of them set stop.
StressSummary run_stress_writer(const StressOptions& options, StressCounters& counters);
// One reader process's loop; `actor` numbers it from 1.
void run_stress_reader(const StressOptions& options, StressCounters& counters, size_t actor);

}  // namespace shapelog
