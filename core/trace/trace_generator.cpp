#include "trace/trace_generator.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/split_mix.h"

namespace shapelog {

namespace {}  // namespace

Trace generate_trace(const TraceShape& shape) {
  SplitMix64 random(shape.seed);
  Trace trace;
  trace.name = fmt::format("generated-seed-{}", shape.seed);
  trace.description = fmt::format(
      "Generated: a writer of {} ops (appends of 1-{} entries, a flush every {}-{} appends) "
      "against {} readers with {} reads each, ranges among the last {} entries.",
      shape.writer_ops, shape.max_append, shape.flush_every, 2 * shape.flush_every, shape.readers,
      shape.reads_per_reader, shape.near_end);
  uint64_t tx = 1;
  std::vector<Offset> offsets;  // every entry the log will hold, in order
  for (uint32_t i = 0; i < shape.initial_persisted; ++i, ++tx) {
    trace.initial_persisted.push_back(offset_entry(Offset(tx, 0)));
    offsets.push_back(Offset(tx, 0));
  }
  for (uint32_t i = 0; i < shape.initial_buffered; ++i, ++tx) {
    trace.initial_buffered.push_back(offset_entry(Offset(tx, 0)));
    offsets.push_back(Offset(tx, 0));
  }

  Actor writer{"writer", {}};
  const uint32_t flush_every = std::max<uint32_t>(1, shape.flush_every);
  uint64_t until_flush = flush_every + random.below(flush_every + 1);
  for (uint32_t i = 0; i < shape.writer_ops; ++i, ++tx) {
    if (until_flush == 0) {
      writer.ops.push_back(FlushOp{});
      until_flush = flush_every + random.below(flush_every + 1);
      continue;
    }
    --until_flush;
    AppendOp append;
    const uint64_t entries = 1 + random.below(std::max<uint32_t>(1, shape.max_append));
    for (uint64_t op = 0; op < entries; ++op) {
      append.entries.push_back(offset_entry(Offset(tx, op)));
      offsets.push_back(Offset(tx, op));
    }
    writer.ops.push_back(std::move(append));
  }
  if (!writer.ops.empty()) trace.actors.push_back(std::move(writer));

  const size_t window = std::min<size_t>(std::max<uint32_t>(1, shape.near_end), offsets.size());
  for (uint32_t r = 0; r < shape.readers; ++r) {
    Actor reader{fmt::format("r{}", r + 1), {}};
    for (uint32_t k = 0; k < shape.reads_per_reader; ++k) {
      ReadRange range;
      const uint64_t pick = random.below(window + 1);
      range.start = pick == window || offsets.empty() ? Offset::before_all()
                                                      : offsets[offsets.size() - 1 - pick];
      range.inclusive = !range.start.is_before_all() && random.below(3) == 0;
      if (!offsets.empty() && random.below(4) == 0)
        range.to = std::max(range.start, offsets[offsets.size() - 1 - random.below(window)]);
      if (range.to && range.to->is_before_all()) range.to.reset();
      reader.ops.push_back(range);
    }
    trace.actors.push_back(std::move(reader));
  }
  return trace;
}

}  // namespace shapelog
