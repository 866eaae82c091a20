// Append+flush throughput of 100-byte entries in transactions of 1,000, through LogWriter on
// the real file system, against write()+fdatasync() of the same payload bytes per batch in the
// same run. Target: ratio >= 0.8.
//
//   bench_append_flush [BATCHES] [ROUNDS]     (defaults 200 and 3; scratch in $BENCH_TMPDIR)
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "bench_common.h"
#include "log/log_writer.h"
#include "storage/posix_file_system.h"

using namespace shapelog;
using bench::Clock;

namespace {

constexpr size_t kBatch = 1000;
constexpr size_t kValueBytes = 100;
constexpr size_t kFraming = 32;  // record header of record_format.h

std::vector<std::vector<Entry>> make_batches(size_t batches) {
  std::vector<std::vector<Entry>> all;
  for (size_t b = 0; b < batches; ++b) all.push_back(bench::transaction(b + 1, kBatch, b * kBatch));
  return all;
}

// One log, appended to and flushed batch by batch. Returns seconds.
double run_log(const std::vector<std::vector<Entry>>& batches, uint64_t flush_threshold) {
  bench::ScratchDir dir("append-flush");
  PosixFileSystem fs;
  WriterOptions options;
  options.flush_threshold = flush_threshold;
  LogWriter writer(fs, dir.sub("log"), options);
  return bench::time_seconds([&] {
    for (const auto& batch : batches) {
      writer.append(batch);
      writer.flush();
    }
  });
}

void write_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(std::string("write: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
}

// The baseline: one file, each batch's bytes written with write() and made durable with
// fdatasync(). `framing` extra bytes per entry let it write as many bytes as the log does.
double run_raw(const std::vector<std::vector<Entry>>& batches, size_t framing) {
  bench::ScratchDir dir("raw-write");
  std::vector<std::string> buffers;
  for (const auto& batch : batches) {
    std::string bytes;
    for (const Entry& entry : batch) {
      bytes.append(framing, '\0');
      bytes += entry.bytes;
    }
    buffers.push_back(std::move(bytes));
  }
  int fd = ::open(dir.sub("data").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(std::string("open: ") + std::strerror(errno));
  double seconds = bench::time_seconds([&] {
    for (const std::string& bytes : buffers) {
      write_all(fd, bytes);
      if (::fdatasync(fd) != 0)
        throw std::runtime_error(std::string("fdatasync: ") + std::strerror(errno));
    }
  });
  ::close(fd);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  size_t batches = argc > 1 ? std::stoul(argv[1]) : 200;
  size_t rounds = argc > 2 ? std::stoul(argv[2]) : 3;
  const double entries = static_cast<double>(batches * kBatch);
  const double payload = entries * kValueBytes;
  auto all = make_batches(batches);

  fmt::print("bench_append_flush: {} transactions of {} x {}-byte entries, append+flush each; "
             "{} rounds, median\n\n",
             batches, kBatch, kValueBytes, rounds);
  std::vector<double> log_s, log_default_s, raw_s, raw_framed_s;
  for (size_t r = 0; r < rounds; ++r) {
    // Alternate the contenders so that drift in the disk's speed hits both alike.
    log_s.push_back(run_log(all, 0));
    raw_s.push_back(run_raw(all, 0));
    log_default_s.push_back(run_log(all, WriterOptions{}.flush_threshold));
    raw_framed_s.push_back(run_raw(all, kFraming));
  }
  double log_t = bench::median(log_s), raw_t = bench::median(raw_s);
  double log_default_t = bench::median(log_default_s), raw_framed_t = bench::median(raw_framed_s);

  bench::Table table({"contender", "time", "entries/s", "payload MB/s", "batches/s", "ratio"});
  auto row = [&](const std::string& name, double t) {
    table.row({name, fmt::format("{:.3f} s", t), bench::per_s(entries / t),
               bench::mb_s(payload / t), fmt::format("{:.0f}", batches / t),
               fmt::format("{:.2f}", raw_t / t)});
  };
  row("LogWriter append+flush (flush_threshold 0)", log_t);
  row("LogWriter append+flush (default threshold 64 KiB)", log_default_t);
  row("baseline: write()+fdatasync() of the payload", raw_t);
  row("write()+fdatasync() of payload+32 B framing", raw_framed_t);
  table.print();
  fmt::print("\nratio = baseline time / contender time (>= 0.8 is the target for the first row)\n");
  bench::result("append_flush.entries_per_s", entries / log_t);
  bench::result("append_flush.mb_per_s", payload / log_t);
  bench::result("append_flush.baseline_entries_per_s", entries / raw_t);
  bench::result("append_flush.ratio", raw_t / log_t);
  bench::result("append_flush.default_threshold_ratio", raw_t / log_default_t);
  return 0;
}
