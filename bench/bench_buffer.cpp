// The shared buffer:
//  1. buffered append (LogWriter::append of 100-byte entries, no flush, large buffer) against
//     memcpy of the same bytes into a mapped region of a file in the same directory;
//  2. reading a range from the buffer against reading the same range from disk (LogReader,
//     generation strategy; the segment files are in the page cache).
// Both sides of each comparison run in this process; ratios are printed beside the figures.
//
//   bench_buffer [ENTRIES_PER_PASS] [ROUNDS]   (defaults 200000 and 5; scratch in $BENCH_TMPDIR)
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "bench_common.h"
#include "log/log_reader.h"
#include "log/log_writer.h"
#include "storage/posix_file_system.h"

using namespace shapelog;

namespace {

constexpr size_t kValueBytes = 100;

// Transactions of `per_tx` entries, `count` entries in all, offsets from tx `first_tx`.
std::vector<std::vector<Entry>> make_transactions(size_t count, size_t per_tx, uint64_t first_tx) {
  std::vector<std::vector<Entry>> all;
  for (size_t n = 0; n < count; n += per_tx)
    all.push_back(bench::transaction(first_tx + all.size(), std::min(per_tx, count - n), n));
  return all;
}

// Steady-state buffered appends: each round fills the buffer with `count` entries (timed), then
// flushes (not timed), so every timed pass writes into pages that are already mapped, as in a
// long-lived writer. Returns the median seconds of a pass.
double append_passes(size_t count, size_t per_tx, size_t rounds, uint64_t capacity) {
  bench::ScratchDir dir(fmt::format("append-{}", per_tx));
  PosixFileSystem fs;
  WriterOptions options;
  options.flush_threshold = 0;
  options.buffer_capacity = capacity;
  LogWriter writer(fs, dir.sub("log"), options);
  std::vector<double> times;
  uint64_t tx = 1;
  for (size_t r = 0; r < rounds + 2; ++r) {
    auto transactions = make_transactions(count, per_tx, tx);
    tx += transactions.size();
    double t = bench::time_seconds([&] {
      for (const auto& transaction : transactions) writer.append(transaction);
    });
    if (r >= 2) times.push_back(t);  // rounds 0 and 1 fault the ring's pages in
    writer.flush();
  }
  return bench::median(times);
}

// The baseline: memcpy of the same 100-byte values, one call per entry, packed one after the
// other into a shared mapping of a file (touched once beforehand, like the buffer's pages).
double memcpy_passes(size_t count, size_t rounds, uint64_t capacity) {
  bench::ScratchDir dir("memcpy");
  std::string path = dir.sub("region");
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(capacity)) != 0)
    throw std::runtime_error("cannot create the region file");
  void* mapped = ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (mapped == MAP_FAILED) throw std::runtime_error("mmap failed");
  auto* region = static_cast<char*>(mapped);
  std::memset(region, 0, capacity);
  auto transactions = make_transactions(count, 1000, 1);
  std::vector<double> times;
  for (size_t r = 0; r < rounds; ++r) {
    times.push_back(bench::time_seconds([&] {
      char* at = region;
      for (const auto& transaction : transactions)
        for (const Entry& entry : transaction) {
          std::memcpy(at, entry.bytes.data(), entry.bytes.size());
          at += entry.bytes.size();
        }
    }));
  }
  // Keep the copies observable.
  volatile char sink = region[count * kValueBytes - 1];
  (void)sink;
  ::munmap(mapped, capacity);
  ::close(fd);
  return bench::median(times);
}

struct ReadFigure {
  std::string what;
  double buffer_s, disk_s;
  size_t entries;
};

// Two logs with the same entries: one keeps them in the buffer, the other flushed them to disk.
std::vector<ReadFigure> read_comparison(size_t count) {
  bench::ScratchDir dir("read");
  PosixFileSystem fs;
  auto transactions = make_transactions(count, 100, 1);
  for (const char* name : {"buffered", "flushed"}) {
    WriterOptions options;
    options.flush_threshold = 0;
    options.buffer_capacity = 64 << 20;
    LogWriter writer(fs, dir.sub(name), options);
    for (const auto& transaction : transactions) writer.append(transaction);
    if (std::string(name) == "flushed") writer.flush();
  }
  LogReader buffered(fs, dir.sub("buffered")), flushed(fs, dir.sub("flushed"));
  if (!(buffered.snapshot().last_persisted.is_before_all()) ||
      flushed.snapshot().last_persisted != transactions.back().back().offset)
    throw std::runtime_error("the two logs are not in the states the benchmark needs");

  auto offset_at = [&](size_t n) { return transactions[n / 100][n % 100].offset; };
  struct Case {
    std::string what;
    ReadRange range;
    size_t entries;
  };
  std::vector<Case> cases = {
      {"1,000 entries at the start", {offset_at(0), true, offset_at(999)}, 1000},
      {"1,000 entries in the middle", {offset_at(count / 2), true, offset_at(count / 2 + 999)}, 1000},
      {"1,000 entries at the end", {offset_at(count - 1000), true, offset_at(count - 1)}, 1000},
      {fmt::format("all {} entries", count), {Offset::before_all(), false, {}}, count},
  };
  std::vector<ReadFigure> figures;
  for (const Case& c : cases) {
    auto time_reads = [&](LogReader& reader) {
      size_t got = 0;
      auto sink = [&](const EntryView&) {
        ++got;
        return true;
      };
      reader.read(c.range, ReadStrategy::Generation, sink);  // warm up
      if (got != c.entries)
        throw std::runtime_error(fmt::format("{}: read {} entries, expected {}", c.what, got, c.entries));
      // Repeat until ~0.3 s has passed, at least 3 times.
      size_t reps = 0;
      auto start = bench::Clock::now();
      while (reps < 3 || bench::seconds_since(start) < 0.3) {
        reader.read(c.range, ReadStrategy::Generation, sink);
        ++reps;
      }
      return bench::seconds_since(start) / static_cast<double>(reps);
    };
    double b = time_reads(buffered);
    double d = time_reads(flushed);
    figures.push_back({c.what, b, d, c.entries});
  }
  return figures;
}

}  // namespace

int main(int argc, char** argv) {
  size_t count = argc > 1 ? std::stoul(argv[1]) : 200'000;
  size_t rounds = argc > 2 ? std::stoul(argv[2]) : 5;
  // Room for one pass (an entry takes 128 bytes of buffer) and a little slack.
  const uint64_t capacity = count * 128 + (1 << 20);

  fmt::print("bench_buffer: {} x {}-byte entries per pass, {} rounds, median; steady state "
             "(pages already mapped)\n\n",
             count, kValueBytes, rounds);
  double memcpy_t = memcpy_passes(count, rounds, capacity);
  double tx1_t = append_passes(count, 1, rounds, capacity);
  double tx1000_t = append_passes(count, 1000, rounds, capacity);
  const double n = static_cast<double>(count);

  bench::Table appends({"buffered append", "ns/entry", "entries/s", "payload MB/s",
                        "ratio to memcpy"});
  auto row = [&](const std::string& name, double t) {
    appends.row({name, fmt::format("{:.1f}", t / n * 1e9), bench::per_s(n / t),
                 bench::mb_s(n * kValueBytes / t), fmt::format("{:.3f}", memcpy_t / t)});
  };
  row("LogWriter::append, 1 entry per transaction", tx1_t);
  row("LogWriter::append, 1,000 entries per transaction", tx1000_t);
  row("baseline: memcpy into a mapped region", memcpy_t);
  appends.print();
  fmt::print("\n");

  size_t read_count = 100'000;
  auto reads = read_comparison(read_count);
  bench::Table table({"read (generation strategy)", "from buffer", "from disk", "buffer entries/s",
                      "disk entries/s", "buffer/disk speed"});
  for (const ReadFigure& f : reads)
    table.row({f.what, fmt::format("{:.1f} us", f.buffer_s * 1e6),
               fmt::format("{:.1f} us", f.disk_s * 1e6), bench::per_s(f.entries / f.buffer_s),
               bench::per_s(f.entries / f.disk_s), fmt::format("{:.2f}x", f.disk_s / f.buffer_s)});
  fmt::print("log of {} entries (transactions of 100), held in the buffer or flushed to disk "
             "(page cache warm)\n",
             read_count);
  table.print();

  bench::result("buffer.append_tx1_entries_per_s", n / tx1_t);
  bench::result("buffer.append_tx1000_entries_per_s", n / tx1000_t);
  bench::result("buffer.memcpy_entries_per_s", n / memcpy_t);
  bench::result("buffer.append_tx1_ratio", memcpy_t / tx1_t);
  bench::result("buffer.append_tx1000_ratio", memcpy_t / tx1000_t);
  const char* keys[] = {"start", "middle", "end", "all"};
  for (size_t i = 0; i < reads.size(); ++i) {
    bench::result(fmt::format("buffer.read_{}_buffer_us", keys[i]), reads[i].buffer_s * 1e6);
    bench::result(fmt::format("buffer.read_{}_disk_us", keys[i]), reads[i].disk_s * 1e6);
    bench::result(fmt::format("buffer.read_{}_speedup", keys[i]), reads[i].disk_s / reads[i].buffer_s);
  }
  return 0;
}
