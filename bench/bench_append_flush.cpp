// Append+flush throughput of 100-byte entries in transactions of 1,000, through LogWriter on
// the real file system, against write()+fdatasync() of the same payload bytes per batch in the
// same run. Target: ratio >= 0.8.
//
//   bench_append_flush [BATCHES] [ROUNDS]     (defaults 200 and 5; scratch in $BENCH_TMPDIR)
//
// The contenders take turns batch by batch, not run by run: on this VM the time of one
// fdatasync drifts by half within seconds, so runs a few hundred milliseconds apart met
// different disks and the ratio of identical builds moved between 0.6 and 1.06. Taking turns,
// every contender writes each batch under the same conditions.
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>

#include "bench_common.h"
#include "shapelog/log_writer.h"
#include "shapelog/posix_file_system.h"

using namespace shapelog;

namespace {

constexpr size_t kBatch = 1000;
constexpr size_t kValueBytes = 100;
constexpr size_t kFraming = 32;  // record header of record_format.h

std::vector<std::vector<Entry>> make_batches(size_t batches) {
  std::vector<std::vector<Entry>> all;
  for (size_t b = 0; b < batches; ++b) all.push_back(bench::transaction(b + 1, kBatch, b * kBatch));
  return all;
}

// CPU time of the calling thread, user and kernel (its copy into the page cache, say): what
// a contender costs apart from waiting for the disk.
double thread_cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Something that makes batch b durable; seconds and cpu_seconds add up what it took.
struct Contender {
  std::function<void(size_t)> write_batch;
  double seconds = 0;
  double cpu_seconds = 0;
};

// A fresh log, appended to and flushed batch by batch.
class LogContender {
 public:
  LogContender(const std::vector<std::vector<Entry>>& batches, uint64_t flush_threshold,
               const std::string& tag)
      : batches_(batches), dir_(tag) {
    WriterOptions options;
    options.flush_threshold = flush_threshold;
    writer_ = std::make_unique<LogWriter>(fs_, dir_.sub("log"), options);
  }
  void write_batch(size_t b) {
    writer_->append(batches_[b]);
    writer_->flush();
  }

 private:
  const std::vector<std::vector<Entry>>& batches_;
  bench::ScratchDir dir_;
  PosixFileSystem fs_;
  std::unique_ptr<LogWriter> writer_;
};

// The baseline: one file, each batch's bytes written with write() and made durable with
// fdatasync(). `framing` extra bytes per entry let it write as many bytes as the log does.
class RawContender {
 public:
  RawContender(const std::vector<std::vector<Entry>>& batches, size_t framing,
               const std::string& tag)
      : dir_(tag) {
    for (const auto& batch : batches) {
      std::string bytes;
      for (const Entry& entry : batch) {
        bytes.append(framing, '\0');
        bytes += entry.bytes;
      }
      buffers_.push_back(std::move(bytes));
    }
    fd_ = ::open(dir_.sub("data").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error(std::string("open: ") + std::strerror(errno));
  }
  ~RawContender() { ::close(fd_); }
  RawContender(const RawContender&) = delete;
  RawContender& operator=(const RawContender&) = delete;

  void write_batch(size_t b) {
    const std::string& bytes = buffers_[b];
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::runtime_error(std::string("write: ") + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    if (::fdatasync(fd_) != 0)
      throw std::runtime_error(std::string("fdatasync: ") + std::strerror(errno));
  }

 private:
  bench::ScratchDir dir_;
  std::vector<std::string> buffers_;
  int fd_ = -1;
};

// One round: fresh contenders, each batch written by each of them in turn. Returns them with
// their times, in the order log, raw, log with the default threshold, raw framed.
std::vector<Contender> run_round(const std::vector<std::vector<Entry>>& batches) {
  LogContender log(batches, 0, "log");
  RawContender raw(batches, 0, "raw");
  LogContender log_default(batches, WriterOptions{}.flush_threshold, "log-default");
  RawContender raw_framed(batches, kFraming, "raw-framed");
  std::vector<Contender> contenders = {
      {[&](size_t b) { log.write_batch(b); }, 0, 0},
      {[&](size_t b) { raw.write_batch(b); }, 0, 0},
      {[&](size_t b) { log_default.write_batch(b); }, 0, 0},
      {[&](size_t b) { raw_framed.write_batch(b); }, 0, 0},
  };
  // The order rotates from batch to batch, so that no contender always follows the same one.
  for (size_t b = 0; b < batches.size(); ++b)
    for (size_t i = 0; i < contenders.size(); ++i) {
      Contender& contender = contenders[(b + i) % contenders.size()];
      const double cpu_before = thread_cpu_seconds();
      contender.seconds += bench::time_seconds([&] { contender.write_batch(b); });
      contender.cpu_seconds += thread_cpu_seconds() - cpu_before;
    }
  return contenders;
}

}  // namespace

int run(int argc, char** argv) {
  size_t batches = argc > 1 ? bench::count_arg(argv[1], "BATCHES") : 200;
  size_t rounds = argc > 2 ? bench::count_arg(argv[2], "ROUNDS") : 5;
  const double entries = static_cast<double>(batches * kBatch);
  const double payload = entries * kValueBytes;
  auto all = make_batches(batches);

  fmt::print(
      "bench_append_flush: {} transactions of {} x {}-byte entries, append+flush each; "
      "contenders take turns batch by batch; {} rounds, median\n\n",
      batches, kBatch, kValueBytes, rounds);
  std::vector<double> log_s, raw_s, log_default_s, raw_framed_s, ratios, default_ratios;
  std::vector<double> log_cpu, raw_cpu;
  for (size_t r = 0; r < rounds; ++r) {
    std::vector<Contender> c = run_round(all);
    log_s.push_back(c[0].seconds);
    raw_s.push_back(c[1].seconds);
    log_default_s.push_back(c[2].seconds);
    raw_framed_s.push_back(c[3].seconds);
    ratios.push_back(c[1].seconds / c[0].seconds);
    default_ratios.push_back(c[1].seconds / c[2].seconds);
    log_cpu.push_back(c[0].cpu_seconds);
    raw_cpu.push_back(c[1].cpu_seconds);
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
  auto range = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return fmt::format("{:.2f} (rounds {:.2f}-{:.2f})", bench::median(v), v.front(), v.back());
  };
  fmt::print(
      "\nratio = baseline time / contender time; per round, first row: {}; "
      "second row: {}\n(>= 0.8 is the target for the first row)\n",
      range(ratios), range(default_ratios));
  auto per_batch_us = [&](const std::vector<double>& v) {
    return bench::median(v) / static_cast<double>(batches) * 1e6;
  };
  fmt::print(
      "per batch (medians over rounds): log {:.0f} us, of which {:.0f} us on the CPU; "
      "baseline {:.0f} us, of which {:.0f} us on the CPU\n",
      log_t / batches * 1e6, per_batch_us(log_cpu), raw_t / batches * 1e6, per_batch_us(raw_cpu));
  bench::result("append_flush.entries_per_s", entries / log_t);
  bench::result("append_flush.mb_per_s", payload / log_t);
  bench::result("append_flush.baseline_entries_per_s", entries / raw_t);
  bench::result("append_flush.ratio", bench::median(ratios));
  bench::result("append_flush.default_threshold_ratio", bench::median(default_ratios));
  bench::result("append_flush.cpu_us_per_batch", per_batch_us(log_cpu));
  bench::result("append_flush.baseline_cpu_us_per_batch", per_batch_us(raw_cpu));
  return 0;
}

int main(int argc, char** argv) {
  return bench::guarded_main(argc, argv, run, "bench_append_flush [BATCHES] [ROUNDS]");
}
