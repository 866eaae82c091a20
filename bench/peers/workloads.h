// bench_peers' three workloads, each run on the raw baseline and on every contender in the
// same run, with times as medians of repetitions and ratios = baseline time / contender time
// (1.0: as fast as the raw I/O; higher is faster).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store.h"

namespace peers {

struct Contender {
  std::string name;  // as in the table and the RESULT lines
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};

// One contender's figure in one workload: a median time and its ratio to the baseline.
struct Figure {
  double seconds = 0;
  double ratio = 0;
};

// Durable appends of `batches` batches of batch_size entries into fresh stores; the baseline
// and the contenders take turns batch by batch (fdatasync's time drifts within seconds on a
// VM). `rounds` rounds; per contender the median time per batch and the median of the
// rounds' ratios. Result [i] is contenders[i]'s.
std::vector<Figure> durable_append(const Contender& raw, const std::vector<Contender>& contenders,
                                   const std::string& scratch, size_t batch_size, size_t batches,
                                   size_t rounds);

// Reads from a log of `entries` entries, loaded without syncs and settled: 1,000 entries at
// the start, middle and end, and a full scan, page cache warm. Each contender's store is
// built, measured (alternating read by read with the baseline, at least 5 times each and
// for repeat_seconds) and deleted in turn.
struct ReadFigures {
  Figure start, middle, end, scan;
  double load_seconds = 0;    // the bulk load (batches of 1,000, no syncs)
  double settle_seconds = 0;  // flush, compaction, checkpoint
};
std::vector<ReadFigures> reads(const Contender& raw, const std::vector<Contender>& contenders,
                               const std::string& scratch, uint64_t entries, double repeat_seconds);

// The newest 1,000 entries, read again and again for `seconds` while another thread appends
// batches of 100 entries without syncs at writer_rate entries per second. Each contender is
// run right after a baseline run of its own.
struct NewestFigure {
  Figure read;
  double reads_per_second = 0;
  double written_per_second = 0;  // what the writer achieved
};
std::vector<NewestFigure> newest_while_appending(const Contender& raw,
                                                 const std::vector<Contender>& contenders,
                                                 const std::string& scratch, double seconds,
                                                 double writer_rate);

}  // namespace peers
