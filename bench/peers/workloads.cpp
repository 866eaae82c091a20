#include "workloads.h"

#include <atomic>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "../bench_common.h"

namespace peers {

namespace {

constexpr size_t kRangeEntries = 1000;
constexpr size_t kLoadBatch = 1000;

void remove_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

void expect(const Tally& tally, uint64_t entries, const std::string& who, const char* what) {
  if (tally.entries != entries)
    throw std::runtime_error(
        fmt::format("{}: {} returned {} entries, expected {}", who, what, tally.entries, entries));
}

void load(Store& store, uint64_t entries) {
  for (uint64_t n = 0; n < entries; n += kLoadBatch)
    store.append(batch(n, std::min<uint64_t>(kLoadBatch, entries - n)), false);
}

// Times `read` on the baseline and on the contender alternately until both have run at
// least 5 times and for `seconds`; returns the contender's median and its ratio.
Figure alternate(const std::function<void(Store&)>& read, Store& raw, Store& store,
                 double seconds) {
  std::vector<double> raw_t, store_t;
  auto start = bench::Clock::now();
  while (raw_t.size() < 5 || bench::seconds_since(start) < seconds) {
    raw_t.push_back(bench::time_seconds([&] { read(raw); }));
    store_t.push_back(bench::time_seconds([&] { read(store); }));
  }
  const double s = bench::median(store_t);
  return {s, bench::median(raw_t) / s};
}

}  // namespace

std::vector<Figure> durable_append(const Contender& raw, const std::vector<Contender>& contenders,
                                   const std::string& scratch, size_t batch_size, size_t batches,
                                   size_t rounds) {
  std::vector<std::vector<shapelog::Entry>> all;
  for (size_t b = 0; b < batches; ++b) all.push_back(batch(b * batch_size, batch_size));
  const size_t n = contenders.size() + 1;  // [0] is the baseline
  std::vector<std::vector<double>> per_batch(n), ratios(n);
  for (size_t r = 0; r < rounds; ++r) {
    std::vector<std::unique_ptr<Store>> stores;
    std::vector<std::string> dirs;
    for (size_t i = 0; i < n; ++i) {
      const Contender& c = i == 0 ? raw : contenders[i - 1];
      dirs.push_back(fmt::format("{}/append-{}-{}", scratch, batch_size, c.name));
      remove_dir(dirs.back());
      stores.push_back(c.open(dirs.back()));
    }
    std::vector<double> seconds(n, 0);
    // The order rotates from batch to batch, so that no store always follows the same one.
    for (size_t b = 0; b < batches; ++b)
      for (size_t k = 0; k < n; ++k) {
        const size_t i = (b + k) % n;
        seconds[i] += bench::time_seconds([&] { stores[i]->append(all[b], true); });
      }
    for (size_t i = 0; i < n; ++i) {
      per_batch[i].push_back(seconds[i] / static_cast<double>(batches));
      ratios[i].push_back(seconds[0] / seconds[i]);
    }
    stores.clear();
    for (const std::string& dir : dirs) remove_dir(dir);
  }
  std::vector<Figure> figures;
  for (size_t i = 1; i < n; ++i)
    figures.push_back({bench::median(per_batch[i]), bench::median(ratios[i])});
  return figures;
}

std::vector<ReadFigures> reads(const Contender& raw, const std::vector<Contender>& contenders,
                               const std::string& scratch, uint64_t entries,
                               double repeat_seconds) {
  if (entries < 2 * kRangeEntries)
    throw std::runtime_error(
        fmt::format("a log of {} entries is too short: reads of 1,000 at "
                    "the start, middle and end need at least {}",
                    entries, 2 * kRangeEntries));
  const std::string raw_dir = fmt::format("{}/reads-{}-{}", scratch, entries, raw.name);
  remove_dir(raw_dir);
  auto baseline = raw.open(raw_dir);
  load(*baseline, entries);
  baseline->settle();

  const uint64_t middle = entries / 2, end = entries - kRangeEntries;
  std::vector<ReadFigures> figures;
  for (const Contender& c : contenders) {
    const std::string dir = fmt::format("{}/reads-{}-{}", scratch, entries, c.name);
    remove_dir(dir);
    ReadFigures f;
    auto store = c.open(dir);
    f.load_seconds = bench::time_seconds([&] { load(*store, entries); });
    f.settle_seconds = bench::time_seconds([&] { store->settle(); });
    for (Store* s : {baseline.get(), store.get()}) {  // the page cache warm, and a check
      Tally tally;
      s->scan(tally);
      expect(tally, entries, s == store.get() ? c.name : raw.name, "a full scan");
    }
    auto range_at = [&](uint64_t first) {
      return [first, &c](Store& s) {
        Tally tally;
        s.read_range(first, kRangeEntries, tally);
        expect(tally, kRangeEntries, c.name, "a range read");
      };
    };
    f.start = alternate(range_at(0), *baseline, *store, repeat_seconds);
    f.middle = alternate(range_at(middle), *baseline, *store, repeat_seconds);
    f.end = alternate(range_at(end), *baseline, *store, repeat_seconds);
    f.scan = alternate(
        [&](Store& s) {
          Tally tally;
          s.scan(tally);
          expect(tally, entries, c.name, "a full scan");
        },
        *baseline, *store, repeat_seconds);
    figures.push_back(f);
    store.reset();
    remove_dir(dir);
  }
  baseline.reset();
  remove_dir(raw_dir);
  return figures;
}

namespace {

struct NewestRun {
  double median_seconds = 0;
  double reads_per_second = 0;
  double written_per_second = 0;
};

NewestRun newest_run(const Contender& c, const std::string& scratch, double seconds,
                     double writer_rate) {
  constexpr size_t kWriteBatch = 100;
  const std::string dir = fmt::format("{}/newest-{}", scratch, c.name);
  remove_dir(dir);
  auto store = c.open(dir);
  uint64_t next = 10 * kRangeEntries;  // a few batches before the reader starts
  load(*store, next);
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> written{0};
  std::exception_ptr writer_error;
  std::thread writer([&] {
    try {
      const auto pace = std::chrono::duration_cast<bench::Clock::duration>(
          std::chrono::duration<double>(kWriteBatch / writer_rate));
      auto due = bench::Clock::now();
      while (!stop.load(std::memory_order_relaxed)) {
        store->append(batch(next, kWriteBatch), false);
        next += kWriteBatch;
        written.fetch_add(kWriteBatch, std::memory_order_relaxed);
        due += pace;
        std::this_thread::sleep_until(due);
      }
    } catch (...) {
      writer_error = std::current_exception();
    }
  });
  std::vector<double> times;
  const auto start = bench::Clock::now();
  try {
    while (bench::seconds_since(start) < seconds || times.size() < 5) {
      Tally tally;
      times.push_back(bench::time_seconds([&] { store->read_newest(kRangeEntries, tally); }));
      expect(tally, kRangeEntries, c.name, "a read of the newest entries");
    }
  } catch (...) {
    stop = true;
    writer.join();
    throw;
  }
  const double elapsed = bench::seconds_since(start);
  stop = true;
  writer.join();
  if (writer_error) std::rethrow_exception(writer_error);
  store.reset();
  remove_dir(dir);
  return {bench::median(times), static_cast<double>(times.size()) / elapsed,
          static_cast<double>(written.load()) / elapsed};
}

}  // namespace

std::vector<NewestFigure> newest_while_appending(const Contender& raw,
                                                 const std::vector<Contender>& contenders,
                                                 const std::string& scratch, double seconds,
                                                 double writer_rate) {
  std::vector<NewestFigure> figures;
  for (const Contender& c : contenders) {
    const NewestRun base = newest_run(raw, scratch, seconds, writer_rate);
    const NewestRun run = newest_run(c, scratch, seconds, writer_rate);
    figures.push_back({{run.median_seconds, base.median_seconds / run.median_seconds},
                       run.reads_per_second,
                       run.written_per_second});
  }
  return figures;
}

}  // namespace peers
