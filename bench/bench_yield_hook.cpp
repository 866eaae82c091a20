// The cost of the yield-point hook when no scheduler is installed. This program times hot
// loops of the log code that pass through yield points (LogReader::read of a buffered range,
// LogWriter::append). bench/run.sh builds it twice, normally and with
// -DSHAPELOG_NO_YIELD_POINTS=ON, runs the two binaries alternately several times and compares
// the medians (target: < 2 % overhead). In-memory storage, so the disk adds no noise.
//
//   bench_yield_hook [REPEATS]    (default 7; prints the median ns/op of each loop)
#include <stdexcept>

#include "bench_common.h"
#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"
#include "shapelog/memory_file_system.h"
#include "shapelog/yield_point.h"

using namespace shapelog;

namespace {

#ifdef SHAPELOG_NO_YIELD_POINTS
constexpr const char* kVariant = "without yield points (SHAPELOG_NO_YIELD_POINTS)";
#else
constexpr const char* kVariant = "with yield points, no hook installed";
#endif

// ns per read of `range`, median of `repeats` timed loops of `iterations` reads each.
double time_reads(LogReader& reader, const ReadRange& range, size_t expected, size_t iterations,
                  size_t repeats) {
  size_t got = 0;
  auto sink = [&got](const EntryView&) {
    ++got;
    return true;
  };
  std::vector<double> times;
  for (size_t r = 0; r <= repeats; ++r) {
    got = 0;
    double t = bench::time_seconds([&] {
      for (size_t i = 0; i < iterations; ++i) reader.read(range, ReadStrategy::Generation, sink);
    });
    if (got != expected * iterations) throw std::runtime_error("a read returned the wrong count");
    if (r > 0) times.push_back(t);  // the first loop warms up
  }
  return bench::median(times) / static_cast<double>(iterations) * 1e9;
}

// ns per append of a one-entry transaction, median over `repeats` chunks of `chunk` appends
// (each chunk fills the buffer; the flush after it is not timed).
double time_appends(size_t chunk, size_t repeats) {
  MemoryFileSystem fs;
  WriterOptions options;
  options.flush_threshold = 0;
  options.buffer_capacity = chunk * 128 + (1 << 20);
  LogWriter writer(fs, "/log", options);
  std::vector<double> times;
  uint64_t tx = 1;
  for (size_t r = 0; r <= repeats; ++r) {
    std::vector<std::vector<Entry>> transactions;
    transactions.reserve(chunk);
    for (size_t i = 0; i < chunk; ++i) transactions.push_back(bench::transaction(tx++, 1, i));
    double t = bench::time_seconds([&] {
      for (const auto& transaction : transactions) writer.append(transaction);
    });
    if (r > 0) times.push_back(t);
    writer.flush();
  }
  return bench::median(times) / static_cast<double>(chunk) * 1e9;
}

}  // namespace

int run(int argc, char** argv) {
  size_t repeats = argc > 1 ? bench::count_arg(argv[1], "REPEATS") : 7;
  fmt::print("bench_yield_hook: {}\n", kVariant);

  // A buffer holding 10 transactions of 10 entries, none flushed.
  MemoryFileSystem fs;
  {
    WriterOptions options;
    options.flush_threshold = 0;
    LogWriter writer(fs, "/log", options);
    for (uint64_t tx = 1; tx <= 10; ++tx) writer.append(bench::transaction(tx, 10, tx * 10));
  }
  // The writer is gone but its buffer stays (as when `shapelog append` exits).
  LogReader reader(fs, "/log");
  if (!reader.snapshot().last_persisted.is_before_all())
    throw std::runtime_error("expected a buffer-only log");

  double read1 =
      time_reads(reader, ReadRange{Offset(1, 0), true, Offset(1, 0)}, 1, 200'000, repeats);
  double read10 =
      time_reads(reader, ReadRange{Offset(5, 0), true, Offset(5, 9)}, 10, 50'000, repeats);
  double append1 = time_appends(100'000, repeats);

  bench::Table table({"loop", "ns/op (median)"});
  table.row({"LogReader::read, 1 buffered entry (3 yield points)", fmt::format("{:.1f}", read1)});
  table.row(
      {"LogReader::read, 10 buffered entries (3 yield points)", fmt::format("{:.1f}", read10)});
  table.row(
      {"LogWriter::append, 1-entry transaction (2 yield points)", fmt::format("{:.1f}", append1)});
  table.print();
  bench::result("yield.read1_ns", read1);
  bench::result("yield.read10_ns", read10);
  bench::result("yield.append1_ns", append1);
  return 0;
}

int main(int argc, char** argv) {
  return bench::guarded_main(argc, argv, run, "bench_yield_hook [REPEATS]");
}
