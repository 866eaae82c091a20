#include "stress/stress_run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "log/log_reader.h"
#include "log/log_writer.h"
#include "stress/stress_workload.h"

namespace shapelog {

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kWriterEventsKept = 1 << 16;
constexpr size_t kWriterOpsKept = 1 << 14;

uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

struct Shared {
  const StressOptions& options;
  StressRecorder recorder;
  Clock::time_point started = Clock::now();
  std::atomic<uint64_t> published{0};  // entries visible to readers
  std::atomic<uint64_t> reads{0};
  std::atomic<uint64_t> bad_reads{0};
  std::atomic<bool> stop{false};
  std::mutex bad_mutex;
  std::optional<BadRead> first_bad;
  std::optional<double> first_bad_seconds;

  explicit Shared(const StressOptions& o)
      : options(o), recorder(o.readers + 1, o.record, o.chaos, o.seed) {}

  double elapsed() const {
    return std::chrono::duration<double>(Clock::now() - started).count();
  }
  bool should_stop() const {
    if (stop.load(std::memory_order_relaxed)) return true;
    if (options.reads > 0) return reads.load(std::memory_order_relaxed) >= options.reads;
    return elapsed() >= options.duration_seconds;
  }
};

void writer_loop(Shared& shared, StressSummary& summary) {
  shared.recorder.bind_thread(0);
  WriterOptions options;
  options.flush_threshold = 0;  // flushes are the workload's own, so every op is known
  options.buffer_capacity = 64 << 10;
  LogWriter writer(*shared.options.fs, shared.options.dir, options);
  uint64_t random = shared.options.seed;
  std::deque<WriterOp> ops;
  uint64_t next_flush = 1 + next_random(random) % 8;
  for (uint64_t tx = 1; !shared.should_stop(); ++tx) {
    MetaSnapshot before = writer.snapshot();
    ops.push_back({shared.recorder.op_counter(), false, tx, before.last_persisted, before.last_seen});
    std::vector<Entry> entries = stress_workload::transaction(tx);
    writer.append(entries);
    ++summary.appends;
    shared.published.store(stress_workload::entries_before_tx(tx + 1), std::memory_order_release);
    if (--next_flush == 0) {
      before = writer.snapshot();
      ops.push_back({shared.recorder.op_counter(), true, 0, before.last_persisted, before.last_seen});
      writer.flush();
      ++summary.flushes;
      next_flush = 1 + next_random(random) % 8;
    }
    while (ops.size() > kWriterOpsKept) ops.pop_front();
    shared.recorder.forget_old_events(kWriterEventsKept);
  }
  summary.writer_ops.assign(ops.begin(), ops.end());
}

// A range near the published end, where the buffer and the flushes are.
ReadRange random_range(uint64_t& random, uint64_t visible) {
  uint64_t back = 1 + next_random(random) % std::min<uint64_t>(visible, 200);
  uint64_t first = visible - back;
  ReadRange range{stress_workload::entry_at(first).offset, next_random(random) % 2 == 0, {}};
  if (!range.inclusive && first > 0) range.start = stress_workload::entry_at(first - 1).offset;
  if (next_random(random) % 3 != 0)
    range.to = stress_workload::entry_at(first + next_random(random) % 300).offset;
  return range;
}

// The verdict, with R cut after max(|result|, |V|) + 1 entries (the verdict looks no
// further): no need to keep the log in memory.
ReadVerdict judge(const ReadRange& range, uint64_t visible_now, const std::vector<Entry>& result) {
  uint64_t first = stress_workload::index_at_or_above(range.start);
  if (!range.above_start(stress_workload::entry_at(first).offset)) ++first;
  uint64_t last = UINT64_MAX;  // one past the range's last entry
  if (range.to) {
    uint64_t at = stress_workload::index_at_or_above(*range.to);
    last = stress_workload::entry_at(at).offset == *range.to ? at + 1 : at;
  }
  uint64_t visible = visible_now > first ? std::min(visible_now, last) - first : 0;
  uint64_t wanted = std::max<uint64_t>(result.size(), visible) + 1;
  std::vector<Entry> expected;
  for (uint64_t i = first; i < last && expected.size() < wanted; ++i)
    expected.push_back(stress_workload::entry_at(i));
  return check_read(expected, visible, result);
}

void reader_loop(Shared& shared, size_t actor) {
  shared.recorder.bind_thread(actor);
  LogReader reader(*shared.options.fs, shared.options.dir);
  uint64_t random = shared.options.seed * 7919 + actor;
  std::vector<Entry> result;
  while (!shared.should_stop()) {
    uint64_t visible = shared.published.load(std::memory_order_acquire);
    if (visible == 0) {
      std::this_thread::yield();
      continue;
    }
    ReadRange range = random_range(random, visible);
    result.clear();
    shared.recorder.take_events();
    reader.read(range, shared.options.strategy, [&](const Entry& entry) {
      result.push_back(entry);
      return true;
    });
    shared.reads.fetch_add(1, std::memory_order_relaxed);
    ReadVerdict verdict = judge(range, visible, result);
    if (verdict.ok) continue;
    shared.bad_reads.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard guard(shared.bad_mutex);
    if (!shared.first_bad) {
      shared.first_bad = BadRead{actor, range, result, verdict, shared.recorder.take_events()};
      shared.first_bad_seconds = shared.elapsed();
    }
    if (!shared.options.keep_going) shared.stop = true;
  }
}

}  // namespace

StressSummary run_stress(const StressOptions& options) {
  if (!options.fs || options.readers == 0)
    throw Error(ErrorKind::Internal, "run_stress needs a file system and readers");
  Shared shared(options);
  StressSummary summary;
  install_yield_hook(&shared.recorder);
  std::exception_ptr failure;
  {
    std::thread writer([&] {
      try {
        writer_loop(shared, summary);
      } catch (...) {
        failure = std::current_exception();
        shared.stop = true;
      }
    });
    while (shared.published.load() == 0 && !shared.stop.load()) std::this_thread::yield();
    std::vector<std::thread> readers;
    std::mutex failure_mutex;
    for (size_t r = 1; r <= options.readers; ++r)
      readers.emplace_back([&, r] {
        try {
          reader_loop(shared, r);
        } catch (...) {
          std::lock_guard guard(failure_mutex);
          if (!failure) failure = std::current_exception();
          shared.stop = true;
        }
      });
    for (std::thread& reader : readers) reader.join();
    shared.stop = true;
    writer.join();
  }
  install_yield_hook(nullptr);
  if (failure) std::rethrow_exception(failure);

  summary.reads = shared.reads.load();
  summary.bad_reads = shared.bad_reads.load();
  summary.seconds = shared.elapsed();
  summary.first_bad = std::move(shared.first_bad);
  summary.first_bad_seconds = shared.first_bad_seconds;
  summary.writer_events = shared.recorder.history(0);
  return summary;
}

}  // namespace shapelog
