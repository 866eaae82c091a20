// Real threads on one log: a writer appending and flushing, readers reading random ranges.
// Every read is judged against what was published before it began (the trace format's
// verdict). Runs in the default suite and, through the `concurrency` label, under TSan.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"
#include "shapelog/posix_file_system.h"
#include "shapelog/read_checker.h"

using namespace shapelog;

namespace {

#if defined(__SANITIZE_THREAD__)
constexpr uint64_t kReadsPerReader = 600;
#else
constexpr uint64_t kReadsPerReader = 3'500;
#endif
constexpr int kReaders = 3;

// Transaction t holds 1 + t % 4 entries; their values are known to everyone.
std::vector<Entry> transaction(uint64_t tx) {
  std::vector<Entry> entries;
  for (uint64_t op = 0; op <= tx % 4; ++op)
    entries.push_back({Offset(tx, op), ValueKind::String, fmt::format("value {} {}", tx, op)});
  return entries;
}

struct Shared {
  std::vector<Entry> log;  // every entry the writer will append, fixed before threads start
  std::atomic<size_t> published{0};
  std::atomic<bool> stop{false};
};

struct ReaderTally {
  uint64_t reads = 0;
  uint64_t bad = 0;
  std::string first_failure;
};

// How the writer uses its buffer.
struct WriterConfig {
  const char* name;
  uint64_t buffer_capacity;
  uint64_t flush_threshold;
  uint64_t flush_every;  // transactions between explicit flushes
};

constexpr WriterConfig kWriterConfigs[] = {
    // Small: the ring wraps and trims often.
    {"small buffer", 16 << 10, 4 << 10, 7},
    // Tens of KiB buffered between flushes: reads near the end start from the ring's index
    // (buffer_index.h) while the writer laps the ring and trims.
    {"indexed buffer", 256 << 10, 0, 400},
};

void write_loop(Shared& shared, FileSystem& fs, const std::string& dir,
                const WriterConfig& config) {
  WriterOptions options;
  options.buffer_capacity = config.buffer_capacity;
  options.flush_threshold = config.flush_threshold;
  LogWriter writer(fs, dir, options);
  size_t index = 0;
  for (uint64_t tx = 1; !shared.stop.load(std::memory_order_relaxed) && index < shared.log.size();
       ++tx) {
    std::vector<Entry> entries = transaction(tx);
    writer.append(entries);
    index += entries.size();
    shared.published.store(index, std::memory_order_release);
    if (tx % config.flush_every == 0) writer.flush();
  }
}

ReaderTally read_loop(Shared& shared, FileSystem& fs, const std::string& dir, ReadStrategy strategy,
                      unsigned seed) {
  ReaderTally tally;
  LogReader reader(fs, dir);
  std::mt19937_64 random(seed);
  while (tally.reads < kReadsPerReader) {
    size_t visible_now = shared.published.load(std::memory_order_acquire);
    if (visible_now == 0) continue;
    // Ranges of up to 200 entries around the published end, where the buffer and the
    // flushes are; some reach past it, some have no upper bound at all.
    size_t first = visible_now > 150 ? visible_now - 150 + random() % 150 : random() % visible_now;
    ReadRange range{shared.log[first].offset, random() % 2 == 0, {}};
    if (random() % 4 != 0)
      range.to = shared.log[std::min(shared.log.size() - 1, first + random() % 200)].offset;
    std::vector<Entry> result;
    reader.read(range, strategy, [&](const EntryView& e) {
      result.push_back(e.owned());
      return true;
    });
    ReadVerdict verdict = check_read_in_log(shared.log, visible_now, range, result);
    ++tally.reads;
    if (!verdict.ok && tally.bad++ == 0) tally.first_failure = describe(verdict);
  }
  return tally;
}

// One writer thread with this config and kReaders reader threads with this strategy.
void check_concurrent_reads(const WriterConfig& config, ReadStrategy strategy) {
  auto dir = std::filesystem::temp_directory_path() /
             fmt::format("shapelog-concurrency-{}-{}", ::getpid(), strategy_name(strategy));
  std::filesystem::remove_all(dir);
  PosixFileSystem fs;
  Shared shared;
  for (uint64_t tx = 1; shared.log.size() < 2'000'000; ++tx)
    for (Entry& e : transaction(tx)) shared.log.push_back(std::move(e));

  std::thread writer([&] { write_loop(shared, fs, dir.string(), config); });
  while (shared.published.load() == 0) std::this_thread::yield();
  std::vector<ReaderTally> tallies(kReaders);
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r)
    readers.emplace_back(
        [&, r] { tallies[r] = read_loop(shared, fs, dir.string(), strategy, 1234 + r); });
  for (auto& reader : readers) reader.join();
  shared.stop = true;
  writer.join();

  uint64_t reads = 0, bad = 0;
  for (const ReaderTally& tally : tallies) {
    reads += tally.reads;
    bad += tally.bad;
    CHECK_MESSAGE(tally.bad == 0, tally.first_failure);
  }
  CHECK(reads >= kReaders * kReadsPerReader);
  MESSAGE(fmt::format("{}, {}: {} reads, {} bad, {} entries published", config.name,
                      strategy_name(strategy), reads, bad, shared.published.load()));
  std::filesystem::remove_all(dir);
}

}  // namespace

TEST_SUITE("concurrency") {
TEST_CASE("concurrent threads: fallback and generation readers never miss or duplicate or invent") {
  for (const WriterConfig& config : kWriterConfigs)
    for (ReadStrategy strategy : {ReadStrategy::Generation, ReadStrategy::Fallback}) {
      const std::string config_name = config.name;
      CAPTURE(config_name);
      CAPTURE(strategy_name(strategy));
      check_concurrent_reads(config, strategy);
    }
}
}  // TEST_SUITE("concurrency")
