// The shared buffer:
//  1. buffered append (LogWriter::append of 100-byte entries, no flush, large buffer) against
//     memcpy of the same bytes into a mapped region of a file in the same directory;
//  2. reading a range from the buffer against reading the same range from disk (LogReader,
//     generation strategy; the segment files are in the page cache), and against one memcpy
//     of the bytes those entries occupy in the buffer's mapping (the floor for a read that
//     must copy before it may trust what it copied).
// All sides of each comparison run in this process, taking turns; ratios are printed beside
// the figures.
//
//   bench_buffer [ENTRIES_PER_PASS] [ROUNDS]   (defaults 200000 and 5; scratch in $BENCH_TMPDIR)
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "bench_common.h"
#include "buffer/buffer_format.h"
#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"
#include "shapelog/posix_file_system.h"

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
  double buffer_s, disk_s, memcpy_s;
  double words_s;  // the same bytes copied with relaxed atomic loads of 8-byte words
  size_t entries;
};

// The buffer file of a log, mapped read-only: where the memcpy baseline copies from.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error("cannot open " + path);
    size_ = static_cast<size_t>(::lseek(fd_, 0, SEEK_END));
    void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd_, 0);
    if (mapped == MAP_FAILED) throw std::runtime_error("mmap failed");
    data_ = static_cast<const char*>(mapped);
  }
  ~MappedFile() {
    ::munmap(const_cast<char*>(data_), size_);
    ::close(fd_);
  }
  const char* data() const { return data_; }

 private:
  int fd_;
  size_t size_;
  const char* data_;
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
    size_t first;  // the index of the range's first entry
  };
  std::vector<Case> cases = {
      {"1,000 entries at the start", {offset_at(0), true, offset_at(999)}, 1000, 0},
      {"1,000 entries in the middle",
       {offset_at(count / 2), true, offset_at(count / 2 + 999)},
       1000,
       count / 2},
      {"1,000 entries at the end",
       {offset_at(count - 1000), true, offset_at(count - 1)},
       1000,
       count - 1000},
      {fmt::format("all {} entries", count), {Offset::before_all(), false, {}}, count, 0},
  };
  // The buffered log's entries lie one after the other from position 0 (a fresh ring larger
  // than all of them), each taking the same footprint.
  MappedFile ring(dir.sub("buffered") + "/buffer");
  const uint64_t footprint = buffer_format::entry_footprint(kValueBytes);
  std::vector<char> destination(count * footprint);
  std::vector<ReadFigure> figures;
  for (const Case& c : cases) {
    const char* source = ring.data() + buffer_format::kHeaderBytes + c.first * footprint;
    const size_t bytes = c.entries * footprint;
    auto sink_count = [&](LogReader& reader) {
      size_t got = 0;
      reader.read(c.range, ReadStrategy::Generation, [&](const EntryView&) {
        ++got;
        return true;
      });
      return got;
    };
    for (LogReader* reader : {&buffered, &flushed})  // warm up, and check
      if (size_t got = sink_count(*reader); got != c.entries)
        throw std::runtime_error(
            fmt::format("{}: read {} entries, expected {}", c.what, got, c.entries));
    // The contenders take turns, 7 rounds of ~40 ms each (at least 3 repetitions), so that a
    // change of load meets all three alike; the figure is each one's median round.
    auto round = [&](auto&& once) {
      size_t reps = 0;
      auto start = bench::Clock::now();
      while (reps < 3 || bench::seconds_since(start) < 0.04) {
        once();
        ++reps;
      }
      return bench::seconds_since(start) / static_cast<double>(reps);
    };
    std::vector<double> b, d, m, w;
    for (int r = 0; r < 7; ++r) {
      b.push_back(round([&] { sink_count(buffered); }));
      d.push_back(round([&] { sink_count(flushed); }));
      m.push_back(round([&] {
        std::memcpy(destination.data(), source, bytes);
        asm volatile("" : : "r"(destination.data()) : "memory");  // keep the copy
      }));
      // What a copy that races with no writer must do at least: one relaxed atomic load per
      // word (buffer_format.h's Word), which the compiler does not merge or vectorize, and a
      // store; no framing, no sink.
      w.push_back(round([&] {
        const auto* from = reinterpret_cast<const buffer_format::Word*>(source);
        auto* to = reinterpret_cast<uint64_t*>(destination.data());
        const size_t words = bytes / 8;          // a multiple of 4: entries of 16 words
        for (size_t i = 0; i < words; i += 4) {  // four a step, as SharedBuffer::copy does
          to[i] = from[i].load(std::memory_order_relaxed);
          to[i + 1] = from[i + 1].load(std::memory_order_relaxed);
          to[i + 2] = from[i + 2].load(std::memory_order_relaxed);
          to[i + 3] = from[i + 3].load(std::memory_order_relaxed);
        }
        asm volatile("" : : "r"(destination.data()) : "memory");
      }));
    }
    figures.push_back({c.what, bench::median(b), bench::median(d), bench::median(m),
                       bench::median(w), c.entries});
  }
  return figures;
}

}  // namespace

int run(int argc, char** argv) {
  size_t count = argc > 1 ? bench::count_arg(argv[1], "ENTRIES_PER_PASS") : 200'000;
  size_t rounds = argc > 2 ? bench::count_arg(argv[2], "ROUNDS") : 5;
  // Room for one pass (an entry takes 128 bytes of buffer) and a little slack.
  const uint64_t capacity = count * 128 + (1 << 20);

  fmt::print(
      "bench_buffer: {} x {}-byte entries per pass, {} rounds, median; steady state "
      "(pages already mapped)\n\n",
      count, kValueBytes, rounds);
  double memcpy_t = memcpy_passes(count, rounds, capacity);
  double tx1_t = append_passes(count, 1, rounds, capacity);
  double tx1000_t = append_passes(count, 1000, rounds, capacity);
  const double n = static_cast<double>(count);

  bench::Table appends(
      {"buffered append", "ns/entry", "entries/s", "payload MB/s", "ratio to memcpy"});
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
  bench::Table table({"read (generation strategy)", "from buffer", "from disk", "memcpy",
                      "word copy", "buffer entries/s", "buffer/disk speed", "buffer time/memcpy",
                      "word copy/memcpy"});
  for (const ReadFigure& f : reads)
    table.row({f.what, fmt::format("{:.1f} us", f.buffer_s * 1e6),
               fmt::format("{:.1f} us", f.disk_s * 1e6), fmt::format("{:.1f} us", f.memcpy_s * 1e6),
               fmt::format("{:.1f} us", f.words_s * 1e6), bench::per_s(f.entries / f.buffer_s),
               fmt::format("{:.2f}x", f.disk_s / f.buffer_s),
               fmt::format("{:.2f}x", f.buffer_s / f.memcpy_s),
               fmt::format("{:.2f}x", f.words_s / f.memcpy_s)});
  fmt::print(
      "log of {} entries (transactions of 100), held in the buffer or flushed to disk "
      "(page cache warm); memcpy: one call for the bytes the entries take in the buffer's "
      "mapping, headers included; word copy: the same bytes, one relaxed atomic load per "
      "8-byte word (what a copy that races with no writer needs at least)\n",
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
    bench::result(fmt::format("buffer.read_{}_speedup", keys[i]),
                  reads[i].disk_s / reads[i].buffer_s);
    bench::result(fmt::format("buffer.read_{}_memcpy_us", keys[i]), reads[i].memcpy_s * 1e6);
    bench::result(fmt::format("buffer.read_{}_memcpy_ratio", keys[i]),
                  reads[i].buffer_s / reads[i].memcpy_s);
    bench::result(fmt::format("buffer.read_{}_word_copy_memcpy_ratio", keys[i]),
                  reads[i].words_s / reads[i].memcpy_s);
  }
  return 0;
}

int main(int argc, char** argv) {
  return bench::guarded_main(argc, argv, run, "bench_buffer [ENTRIES_PER_PASS] [ROUNDS]");
}
