// Random traces of a given shape, from a seed: a writer of appends and flushes against
// readers whose ranges start near the log's end. For explore's tests (the per-read search
// against the whole-trace one) and benchmarks (bench/generate_trace).
#pragma once

#include <cstdint>

#include "shapelog/trace.h"

namespace shapelog {

// The defaults are issue 14's benchmark trace (bench_explore part 4, generate_trace).
struct TraceShape {
  uint64_t seed = 1;
  uint32_t writer_ops = 24;  // appends and flushes
  uint32_t max_append = 3;   // entries per append: 1 to this many
  uint32_t flush_every = 3;  // a flush after 1 to 2x this many appends
  uint32_t readers = 8;
  uint32_t reads_per_reader = 4;
  uint32_t near_end = 12;  // ranges start among the log's last this many entries
  uint32_t initial_persisted = 1;
  uint32_t initial_buffered = 1;
};

Trace generate_trace(const TraceShape& shape);

}  // namespace shapelog
