#include "stress/stress_run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "common/split_mix.h"
#include "shapelog/error.h"
#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"
#include "stress/stress_workload.h"

namespace shapelog {

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kWriterEventsKept = 1 << 16;
constexpr size_t kWriterOpsKept = 1 << 14;

uint64_t steady_nanos() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
          .count());
}

// What the actors of one run share: the counters (possibly in memory other processes map
// too) and, within this process, the recorder and the first bad read in full.
struct Shared {
  const StressOptions& options;
  StressCounters& counters;
  StressRecorder recorder;
  std::mutex bad_mutex;
  std::optional<BadRead> first_bad;

  Shared(const StressOptions& o, StressCounters& c)
      : options(o), counters(c), recorder(o.readers + 1, o.record, o.chaos, o.seed) {}

  double elapsed() const {
    return (steady_nanos() - counters.started_nanos.load(std::memory_order_relaxed)) / 1e9;
  }
  bool should_stop() const {
    if (counters.stop.load(std::memory_order_relaxed)) return true;
    if (options.reads > 0) return counters.reads.load(std::memory_order_relaxed) >= options.reads;
    return elapsed() >= options.duration_seconds;
  }
};

void writer_loop(Shared& shared, StressSummary& summary) {
  shared.recorder.bind_thread(0);
  WriterOptions options;
  options.flush_threshold = 0;  // flushes are the workload's own, so every op is known
  options.buffer_capacity = 64 << 10;
  LogWriter writer(*shared.options.fs, shared.options.dir, options);
  SplitMix64 random(shared.options.seed);
  std::deque<WriterOp> ops;
  uint64_t next_flush = 1 + random.below(8);
  for (uint64_t tx = 1; !shared.should_stop(); ++tx) {
    MetaSnapshot before = writer.snapshot();
    ops.push_back(
        {shared.recorder.op_counter(), false, tx, before.last_persisted, before.last_seen});
    std::vector<Entry> entries = stress_workload::transaction(tx);
    writer.append(entries);
    ++summary.appends;
    shared.counters.published.store(stress_workload::entries_before_tx(tx + 1),
                                    std::memory_order_release);
    if (--next_flush == 0) {
      before = writer.snapshot();
      ops.push_back(
          {shared.recorder.op_counter(), true, 0, before.last_persisted, before.last_seen});
      writer.flush();
      ++summary.flushes;
      next_flush = 1 + random.below(8);
    }
    while (ops.size() > kWriterOpsKept) ops.pop_front();
    shared.recorder.forget_old_events(kWriterEventsKept);
  }
  summary.writer_ops.assign(ops.begin(), ops.end());
}

// A range near the published end, where the buffer and the flushes are.
ReadRange random_range(SplitMix64& random, uint64_t visible) {
  uint64_t back = 1 + random.below(std::min<uint64_t>(visible, 200));
  uint64_t first = visible - back;
  ReadRange range{stress_workload::entry_at(first).offset, random.below(2) == 0, {}};
  if (!range.inclusive && first > 0) range.start = stress_workload::entry_at(first - 1).offset;
  if (random.below(3) != 0) range.to = stress_workload::entry_at(first + random.below(300)).offset;
  return range;
}

// How many of the workload's entries are at or below offset.
uint64_t entries_up_to(Offset offset) {
  uint64_t at = stress_workload::index_at_or_above(offset);
  return stress_workload::entry_at(at).offset == offset ? at + 1 : at;
}

// The verdict, with R cut at its verdict_extent: no need to keep the log in memory. No entry
// at or past index `log_end` has been appended yet, so R ends there.
ReadVerdict judge(const ReadRange& range, uint64_t visible_now, uint64_t log_end,
                  const std::vector<Entry>& result) {
  uint64_t first = stress_workload::index_at_or_above(range.start);
  if (!range.above_start(stress_workload::entry_at(first).offset)) ++first;
  uint64_t last = range.to ? std::min(entries_up_to(*range.to), log_end) : log_end;
  uint64_t visible_end = std::min(visible_now, last);
  uint64_t visible = visible_end > first ? visible_end - first : 0;
  uint64_t extent = verdict_extent(visible, result, [&](Offset offset) -> uint64_t {
    uint64_t end = std::min(entries_up_to(offset), last);
    return end > first ? end - first : 0;
  });
  std::vector<Entry> expected;
  for (uint64_t i = first; i < first + extent; ++i)
    expected.push_back(stress_workload::entry_at(i));
  return check_read(expected, visible, result);
}

void reader_loop(Shared& shared, size_t actor) {
  shared.recorder.bind_thread(actor);
  LogReader reader(*shared.options.fs, shared.options.dir);
  SplitMix64 random(shared.options.seed * 7919 + actor);
  std::vector<Entry> result;
  while (!shared.should_stop()) {
    uint64_t visible = shared.counters.published.load(std::memory_order_acquire);
    if (visible == 0) {
      std::this_thread::yield();
      continue;
    }
    ReadRange range = random_range(random, visible);
    result.clear();
    shared.recorder.take_events();
    reader.read(range, shared.options.strategy, [&](const EntryView& entry) {
      result.push_back(entry.owned());
      return true;
    });
    shared.counters.reads.fetch_add(1, std::memory_order_relaxed);
    // The writer counts a transaction after publishing it: one more may be visible already.
    uint64_t log_end = shared.counters.published.load(std::memory_order_acquire) +
                       stress_workload::kMaxTransactionEntries;
    ReadVerdict verdict = judge(range, visible, log_end, result);
    if (verdict.ok) continue;
    shared.counters.bad_reads.fetch_add(1, std::memory_order_relaxed);
    if (shared.counters.first_bad_claimed.exchange(1) == 0) {
      shared.counters.first_bad_nanos.store(steady_nanos() - shared.counters.started_nanos.load());
      std::string text =
          fmt::format("reader r{} ({}): {}", actor, describe_range(range), describe(verdict));
      text.resize(std::min(text.size(), sizeof shared.counters.first_bad - 1));
      std::copy(text.begin(), text.end(), shared.counters.first_bad);
      std::lock_guard guard(shared.bad_mutex);
      shared.first_bad = BadRead{actor, range, result, verdict, shared.recorder.take_events()};
    }
    if (!shared.options.keep_going) shared.counters.stop = 1;
  }
}

// Runs fn, turning an exception into `failure` and a stop for everyone.
template <class Fn>
void guarded(Shared& shared, std::mutex& mutex, std::exception_ptr& failure, Fn&& fn) {
  try {
    fn();
  } catch (...) {
    std::lock_guard guard(mutex);
    if (!failure) failure = std::current_exception();
    shared.counters.stop = 1;
  }
}

void fill_summary(Shared& shared, StressSummary& summary) {
  summary.reads = shared.counters.reads.load();
  summary.bad_reads = shared.counters.bad_reads.load();
  summary.seconds = shared.elapsed();
  if (uint64_t nanos = shared.counters.first_bad_nanos.load())
    summary.first_bad_seconds = nanos / 1e9;
  summary.first_bad_text = shared.counters.first_bad;
  summary.first_bad = std::move(shared.first_bad);
  summary.writer_events = shared.recorder.history(0);
}

}  // namespace

StressSummary run_stress(const StressOptions& options) {
  if (!options.fs || options.readers == 0)
    throw Error(ErrorKind::Internal, "run_stress needs a file system and readers");
  StressCounters counters;
  counters.started_nanos = steady_nanos();
  Shared shared(options, counters);
  StressSummary summary;
  install_yield_hook(&shared.recorder);
  std::exception_ptr failure;
  std::mutex failure_mutex;
  {
    std::thread writer(
        [&] { guarded(shared, failure_mutex, failure, [&] { writer_loop(shared, summary); }); });
    while (counters.published.load() == 0 && !counters.stop.load()) std::this_thread::yield();
    std::vector<std::thread> readers;
    for (size_t r = 1; r <= options.readers; ++r)
      readers.emplace_back(
          [&, r] { guarded(shared, failure_mutex, failure, [&] { reader_loop(shared, r); }); });
    for (std::thread& reader : readers) reader.join();
    counters.stop = 1;
    writer.join();
  }
  install_yield_hook(nullptr);
  if (failure) std::rethrow_exception(failure);
  fill_summary(shared, summary);
  return summary;
}

StressSummary run_stress_writer(const StressOptions& options, StressCounters& counters) {
  if (counters.started_nanos.load() == 0) counters.started_nanos = steady_nanos();
  Shared shared(options, counters);
  StressSummary summary;
  install_yield_hook(&shared.recorder);
  std::exception_ptr failure;
  std::mutex failure_mutex;
  guarded(shared, failure_mutex, failure, [&] { writer_loop(shared, summary); });
  install_yield_hook(nullptr);
  if (failure) std::rethrow_exception(failure);
  fill_summary(shared, summary);
  return summary;
}

void run_stress_reader(const StressOptions& options, StressCounters& counters, size_t actor) {
  while (counters.published.load(std::memory_order_acquire) == 0 && !counters.stop.load())
    std::this_thread::yield();
  StressOptions own = options;
  own.record = false;  // a schedule needs every actor's points in one process
  Shared shared(own, counters);
  install_yield_hook(&shared.recorder);
  reader_loop(shared, actor);
  install_yield_hook(nullptr);
}

}  // namespace shapelog
