// Simulated machine crashes and process deaths, through MemoryFileSystem (whose
// simulate_crash() keeps only what was synced) and FaultyFileSystem (whose counters
// enumerate the calls of a flush, and whose faults stop a flush right before any one of them).
//
// The promise under test: after a crash at any call of a flush, or of a recovery, the log
// holds exactly a prefix of what was appended, in order and with its values; that prefix
// holds every entry whose flush completed, and nothing of a flush that had synced nothing
// yet; the shared buffer is reset with a warning (a new boot); check finds nothing wrong;
// appends and flushes work afterwards and survive the next crash.
//
// The last test case replays testdata/fuzz-regressions/<target>/* through the entry points
// of the fuzz targets (fuzz/fuzz_entry_points.h), so every input a fuzzer found stays fixed.
#include <array>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "../fuzz/fuzz_entry_points.h"
#include "segment/disk_log_reader.h"
#include "segment/log_checker.h"
#include "segment/log_directory.h"
#include "shapelog/error.h"
#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"
#include "shapelog/memory_file_system.h"
#include "shapelog/trace_file.h"
#include "storage/faulty_file_system.h"
#include "warning_match.h"

using namespace shapelog;
using shapelog::testing::find_warning;

namespace {

const std::string kDir = "log";

constexpr std::array<FsCall, kFsCallKinds> kAllCalls = {
    FsCall::OpenAppend,        FsCall::Append,   FsCall::Sync,   FsCall::Truncate,
    FsCall::WriteFile,         FsCall::Rename,   FsCall::Remove, FsCall::SyncDir,
    FsCall::CreateDirectories, FsCall::MapShared};

const char* call_name(FsCall call) {
  constexpr std::array<const char*, kFsCallKinds> names = {
      "open_append", "append", "sync",     "truncate",           "write_file",
      "rename",      "remove", "sync_dir", "create_directories", "map_shared"};
  return names[static_cast<size_t>(call)];
}

using Counts = std::array<uint64_t, kFsCallKinds>;

// Small segments and a dense index, so that flushes roll segments (creating files whose
// directory entry is synced later) and append index entries.
WriterOptions small_options() {
  WriterOptions options;
  options.lock_timeout = std::chrono::milliseconds(100);
  options.buffer_capacity = 16 << 10;
  options.flush_threshold = 0;  // only the test flushes
  options.disk.segment_bytes = 200;
  options.disk.index_interval_bytes = 64;
  return options;
}

// One machine: a memory file system that can crash, seen through a fault injector.
struct Machine {
  MemoryFileSystem mem;
  FaultyFileSystem faulty{mem};

  Counts counts() const {
    Counts out{};
    for (FsCall call : kAllCalls) out[static_cast<size_t>(call)] = faulty.calls(call);
    return out;
  }
};

// The test history: transactions of 1-3 entries with values of varied length, a flush
// after every second one.
struct Step {
  std::optional<std::vector<Entry>> append;  // nullopt: flush
};

std::vector<Entry> make_transaction(uint64_t tx) {
  std::vector<Entry> entries;
  for (uint64_t op = 0; op <= tx % 3; ++op) {
    std::string value =
        fmt::format("t{}o{}:{}", tx, op,
                    std::string(15 + 11 * op + 7 * (tx % 5), static_cast<char>('a' + tx % 26)));
    bool json = (tx + op) % 4 == 0;
    if (json) value = fmt::format("{{\"tx\":{},\"op\":{}}}", tx, op);
    entries.push_back(Entry{Offset(tx, op), json ? ValueKind::Json : ValueKind::String, value});
  }
  return entries;
}

std::vector<Step> history(uint64_t transactions) {
  std::vector<Step> steps;
  for (uint64_t tx = 1; tx <= transactions; ++tx) {
    steps.push_back(Step{make_transaction(tx)});
    if (tx % 2 == 0) steps.push_back(Step{std::nullopt});
  }
  return steps;
}

// What a run of a history did so far.
struct Progress {
  std::vector<Entry> appended;  // every entry appended (published), in order
  size_t flushed = 0;           // appended[0, flushed) were covered by a completed flush
};

// Runs steps [0, end) on writer.
void run_steps(LogWriter& writer, const std::vector<Step>& steps, size_t end, Progress& progress) {
  for (size_t i = 0; i < end; ++i) {
    if (steps[i].append) {
      writer.append(*steps[i].append);
      progress.appended.insert(progress.appended.end(), steps[i].append->begin(),
                               steps[i].append->end());
    } else {
      writer.flush();
      progress.flushed = progress.appended.size();
    }
  }
}

std::vector<Entry> read_all(FileSystem& fs, ReadStrategy strategy) {
  LogReader reader(fs, kDir);
  std::vector<Entry> out;
  reader.read(ReadRange{}, strategy, [&](const EntryView& e) {
    out.push_back(e.owned());
    return true;
  });
  return out;
}

std::vector<Entry> read_disk(FileSystem& fs) {
  std::vector<Entry> out;
  const auto keep = [&](const EntryView& e) {
    out.push_back(e.owned());
    return true;
  };
  DiskLogReader(fs, kDir).read(ReadRange{}, Offset(UINT64_MAX, UINT64_MAX), keep);
  return out;
}

std::string describe(const std::vector<Entry>& entries) {
  std::string out;
  for (const Entry& e : entries) out += e.offset.to_string() + " ";
  return out;
}

struct Tally {
  uint64_t crash_points = 0;
  uint64_t faults = 0;
  uint64_t recoveries = 0;
  uint64_t dropped = 0;  // recoveries where the crash (rightly) dropped unflushed entries
};

// How much of `appended` a recovered log must hold: at least `lower` entries, at most `upper`.
struct Expect {
  size_t lower = 0;
  size_t upper = 0;
};

// After a crash (or a process death): reopen, check that the log holds a prefix of
// `appended` within `expect`, that check is clean, that appends and flushes work and
// survive one more crash. `machine_crashed` says whether the buffer must have been reset.
// Returns how many entries the log held.
size_t verify_recovery(Machine& m, const std::vector<Entry>& appended, Expect expect,
                       bool machine_crashed, const std::string& where) {
  INFO(where);
  std::vector<Entry> held;
  uint64_t next_tx = 1;
  {
    std::unique_ptr<LogWriter> writer;
    auto opened = [&] { writer = std::make_unique<LogWriter>(m.faulty, kDir, small_options()); };
    REQUIRE_NOTHROW(opened());
    if (machine_crashed)
      CHECK_MESSAGE(find_warning<warning::BufferReset>(writer->warnings()),
                    "no buffer reset warning after a crash");

    // Disk and buffer together, by every strategy that is safe without interference.
    held = read_all(m.faulty, ReadStrategy::Generation);
    INFO("held: " << describe(held));
    INFO("appended: " << describe(appended));
    REQUIRE(held.size() <= appended.size());
    for (size_t i = 0; i < held.size(); ++i) {
      REQUIRE_MESSAGE(held[i] == appended[i], "entry " << i << " differs");
    }
    CHECK(held.size() >= expect.lower);
    CHECK(held.size() <= expect.upper);
    CHECK(read_all(m.faulty, ReadStrategy::Fallback) == held);
    CHECK(read_all(m.faulty, ReadStrategy::Naive) == held);

    MetaSnapshot snap = writer->snapshot();
    Offset last = held.empty() ? Offset::before_all() : held.back().offset;
    CHECK(snap.last_seen == last);
    if (machine_crashed) {
      // Nothing buffered survives a reboot: the disk holds all of it.
      CHECK(snap.last_persisted == last);
      CHECK(read_disk(m.faulty) == held);
    }

    CheckReport report = check_log(m.mem, kDir);
    CHECK_MESSAGE(report.damage_count() == 0,
                  "check after recovery: "
                      << (report.problems.empty() ? "" : report.problems.front().reason));

    // The log takes appends and flushes again.
    next_tx = held.empty() ? 1 : held.back().offset.tx() + 1;
    REQUIRE_NOTHROW(writer->append(make_transaction(next_tx)));
    REQUIRE_NOTHROW(writer->flush());
  }
  std::vector<Entry> expected = held;
  for (const Entry& e : make_transaction(next_tx)) expected.push_back(e);
  CHECK(read_all(m.faulty, ReadStrategy::Generation) == expected);

  // ... and what that flush made durable survives the next crash.
  m.mem.simulate_crash();
  {
    LogWriter writer(m.faulty, kDir, small_options());
    CHECK(read_all(m.faulty, ReadStrategy::Generation) == expected);
    CHECK(check_log(m.mem, kDir).damage_count() == 0);
  }
  return held.size();
}

// The calls of each kind that flush number `flush` of `steps` makes, from a dry run.
struct FlushShape {
  size_t step = 0;  // index of the flush step
  Counts calls{};
};

std::vector<FlushShape> dry_run(const std::vector<Step>& steps) {
  Machine m;
  LogWriter writer(m.faulty, kDir, small_options());
  std::vector<FlushShape> shapes;
  Progress progress;
  for (size_t i = 0; i < steps.size(); ++i) {
    Counts before = m.counts();
    run_steps(writer, std::vector<Step>(steps.begin() + i, steps.begin() + i + 1), 1, progress);
    if (steps[i].append) continue;
    Counts after = m.counts();
    FlushShape shape{i, {}};
    for (size_t k = 0; k < kFsCallKinds; ++k) shape.calls[k] = after[k] - before[k];
    shapes.push_back(shape);
  }
  return shapes;
}

enum class Death { MachineCrash, ProcessDeath };

struct FaultCase {
  FsCall call;
  uint64_t nth;
  int error;
  std::optional<size_t> torn_bytes;
};

// Runs the history up to flush `shape`, fails that flush at `fault` (or lets it finish when
// there is none), kills the machine or the process, and verifies the recovery.
void crash_in_flush(const std::vector<Step>& steps, const FlushShape& shape,
                    std::optional<FaultCase> fault, Death death, Tally& tally) {
  Machine m;
  Progress progress;
  Counts before{};
  std::string where;
  {
    LogWriter writer(m.faulty, kDir, small_options());
    run_steps(writer, steps, shape.step, progress);
    before = m.counts();
    where = fmt::format("flush at step {} ({} entries appended, {} flushed), ", shape.step,
                        progress.appended.size(), progress.flushed);
    if (fault) {
      where += fmt::format(
          "{} before {} #{}{}", fault->error == EIO ? "EIO" : "ENOSPC", call_name(fault->call),
          fault->nth,
          fault->torn_bytes ? fmt::format(" (torn after {} bytes)", *fault->torn_bytes) : "");
      m.faulty.add_fault(Fault{fault->call, fault->nth, fault->error, fault->torn_bytes, false});
      bool threw = false;
      try {
        writer.flush();
      } catch (const Error& e) {
        threw = true;
        INFO(where);
        CHECK(e.kind() == ErrorKind::Io);
        CHECK(std::string_view(e.what()).find("injected") != std::string_view::npos);
      }
      INFO(where);
      CHECK_MESSAGE(threw, "the injected fault did not fail the flush");
      ++tally.faults;
      // The failure is sticky: this writer refuses to flush again.
      CHECK_THROWS_AS(writer.flush(), Error);
    } else {
      where += "after the flush completed";
      writer.flush();
      progress.flushed = progress.appended.size();
    }
    where += death == Death::MachineCrash ? ", then a machine crash" : ", then the process died";
    if (death == Death::MachineCrash) m.mem.simulate_crash();
  }  // the writer's objects go away as its process would
  m.faulty.clear_faults();
  ++tally.crash_points;

  Counts after = m.counts();
  auto done = [&](FsCall call) {
    size_t k = static_cast<size_t>(call);
    uint64_t made = after[k] - before[k];
    // The failing call was counted but did nothing (a torn append did part of its write).
    if (fault && fault->call == call && made > 0) --made;
    return made;
  };
  Expect expect{progress.flushed, progress.appended.size()};
  if (death == Death::ProcessDeath) {
    // Published entries live in the shared buffer: all of them are still there.
    expect.lower = progress.appended.size();
  } else if (!fault) {
    expect.lower = progress.appended.size();
  } else if (done(FsCall::Sync) == 0) {
    // Nothing of this flush was synced: exactly what earlier flushes made durable.
    expect.upper = progress.flushed;
  } else if (done(FsCall::Sync) == shape.calls[static_cast<size_t>(FsCall::Sync)] &&
             done(FsCall::SyncDir) == shape.calls[static_cast<size_t>(FsCall::SyncDir)]) {
    // Every sync of the flush happened (only index bookkeeping was left).
    expect.lower = progress.appended.size();
  }
  size_t held = verify_recovery(m, progress.appended, expect, death == Death::MachineCrash, where);
  if (held < progress.appended.size()) ++tally.dropped;
  ++tally.recoveries;
}

void report(const char* name, const Tally& tally) {
  fmt::print(
      "[{}] {} crash points, {} faults injected, {} recoveries verified ({} dropped "
      "unflushed entries)\n",
      name, tally.crash_points, tally.faults, tally.recoveries, tally.dropped);
}

}  // namespace

TEST_CASE("crash: a machine crash before any call of any flush keeps exactly the synced prefix") {
  const std::vector<Step> steps = history(8);
  std::vector<FlushShape> shapes = dry_run(steps);
  REQUIRE(shapes.size() == 4);
  // The history must exercise segment creation during a flush.
  uint64_t dir_syncs = 0;
  for (const FlushShape& s : shapes) dir_syncs += s.calls[static_cast<size_t>(FsCall::SyncDir)];
  REQUIRE(dir_syncs >= 2);

  Tally tally;
  for (const FlushShape& shape : shapes) {
    crash_in_flush(steps, shape, std::nullopt, Death::MachineCrash, tally);
    for (FsCall call : kAllCalls)
      for (uint64_t n = 1; n <= shape.calls[static_cast<size_t>(call)]; ++n)
        crash_in_flush(steps, shape, FaultCase{call, n, EIO, std::nullopt}, Death::MachineCrash,
                       tally);
  }
  CHECK(tally.crash_points > 20);
  report("crash points of a flush", tally);
}

TEST_CASE(
    "crash: ENOSPC and EIO at every call of a flush, torn writes, then a crash or a process "
    "death") {
  const std::vector<Step> steps = history(8);
  std::vector<FlushShape> shapes = dry_run(steps);
  Tally tally;
  for (const FlushShape& shape : shapes) {
    for (FsCall call : kAllCalls) {
      for (uint64_t n = 1; n <= shape.calls[static_cast<size_t>(call)]; ++n) {
        for (int error : {ENOSPC, EIO}) {
          crash_in_flush(steps, shape, FaultCase{call, n, error, std::nullopt}, Death::MachineCrash,
                         tally);
          crash_in_flush(steps, shape, FaultCase{call, n, error, std::nullopt}, Death::ProcessDeath,
                         tally);
        }
        if (call == FsCall::Append)
          for (size_t torn : {size_t{1}, size_t{31}, size_t{33}, size_t{70}}) {
            crash_in_flush(steps, shape, FaultCase{call, n, ENOSPC, torn}, Death::MachineCrash,
                           tally);
            crash_in_flush(steps, shape, FaultCase{call, n, ENOSPC, torn}, Death::ProcessDeath,
                           tally);
          }
      }
    }
    crash_in_flush(steps, shape, std::nullopt, Death::ProcessDeath, tally);
  }
  report("faults in a flush", tally);
}

TEST_CASE(
    "crash: a crash at any call of a recovery (torn tail cut, index rewritten) loses nothing "
    "more") {
  // A log whose last record is torn on disk (durably: the crash keeps it), with a stale
  // index: opening it cuts the tail (writing a cut- copy), syncs, and rewrites the index.
  const std::vector<Step> steps = history(6);
  auto damaged_machine = [&](Progress& progress) {
    auto m = std::make_unique<Machine>();
    {
      LogWriter writer(m->faulty, kDir, small_options());
      run_steps(writer, steps, steps.size(), progress);
    }
    std::vector<SegmentFile> segments = list_segments(m->mem, kDir);
    REQUIRE(segments.size() >= 2);
    std::string last = join_path(kDir, segments.back().name);
    uint64_t size = m->mem.read_all(last).size();
    m->mem.truncate_file(last, size - 3);
    m->mem.simulate_crash();
    return m;
  };

  // Dry run: the calls a recovery makes.
  Counts recovery{};
  Progress dry;
  {
    auto m = damaged_machine(dry);
    Counts before = m->counts();
    LogWriter writer(m->faulty, kDir, small_options());
    CHECK(find_warning<warning::TornTailCut>(writer.warnings()));
    Counts after = m->counts();
    for (size_t k = 0; k < kFsCallKinds; ++k) recovery[k] = after[k] - before[k];
  }
  REQUIRE(recovery[static_cast<size_t>(FsCall::Truncate)] == 1);
  REQUIRE(recovery[static_cast<size_t>(FsCall::WriteFile)] >= 1);

  Tally tally;
  for (FsCall call : kAllCalls) {
    for (uint64_t n = 1; n <= recovery[static_cast<size_t>(call)]; ++n) {
      Progress progress;
      auto m = damaged_machine(progress);
      std::string where =
          fmt::format("recovery failed at {} #{}, then a machine crash", call_name(call), n);
      m->faulty.add_fault(Fault{call, n, EIO});
      CHECK_THROWS_AS(LogWriter(m->faulty, kDir, small_options()), Error);
      ++tally.faults;
      m->mem.simulate_crash();
      m->faulty.clear_faults();
      ++tally.crash_points;
      // The torn record (the last transaction's last entry) is gone; nothing else is.
      size_t keep = progress.appended.size() - 1;
      verify_recovery(*m, progress.appended, Expect{keep, keep}, true, where);
      ++tally.recoveries;
    }
  }
  CHECK(tally.crash_points >= 4);
  report("crash points of a recovery", tally);
}

TEST_CASE("crash: a writer that died mid-flush leaves a log the next flush makes durable") {
  // The first writer's process dies after its flush wrote a new segment but before the
  // directory was synced. The next writer (same boot) reads those entries from the file and
  // publishes them as persisted; its flush must make them durable, directory entry included.
  const std::vector<Step> steps = history(8);
  std::vector<FlushShape> shapes = dry_run(steps);
  Tally tally;
  for (const FlushShape& shape : shapes) {
    uint64_t dir_syncs = shape.calls[static_cast<size_t>(FsCall::SyncDir)];
    for (uint64_t n = 1; n <= dir_syncs; ++n) {
      for (FsCall call : {FsCall::SyncDir, FsCall::Sync}) {
        if (call == FsCall::Sync && n > shape.calls[static_cast<size_t>(FsCall::Sync)]) continue;
        Machine m;
        Progress progress;
        {
          LogWriter writer(m.faulty, kDir, small_options());
          run_steps(writer, steps, shape.step, progress);
          m.faulty.add_fault(Fault{call, n, EIO});
          CHECK_THROWS_AS(writer.flush(), Error);
          ++tally.faults;
        }
        m.faulty.clear_faults();
        std::string where = fmt::format(
            "flush at step {} failed at {} #{}; the process died; "
            "a new writer flushed; then a machine crash",
            shape.step, call_name(call), n);
        INFO(where);
        {
          LogWriter writer(m.faulty, kDir, small_options());
          REQUIRE_NOTHROW(writer.flush());
          CHECK(writer.snapshot().last_persisted == progress.appended.back().offset);
        }
        m.mem.simulate_crash();
        ++tally.crash_points;
        LogWriter writer(m.faulty, kDir, small_options());
        std::vector<Entry> held = read_all(m.faulty, ReadStrategy::Generation);
        CHECK_MESSAGE(held == progress.appended,
                      "a completed flush was lost: held " << describe(held));
        ++tally.recoveries;
      }
    }
  }
  report("flush after a dead writer", tally);
}

namespace {

// Runs every file of dir (not dot files, not .md) through the entry point of `target`.
size_t replay_inputs(const std::filesystem::path& dir, std::string_view target) {
  size_t replayed = 0;
  if (!std::filesystem::exists(dir)) return 0;
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    const std::string name = file.path().filename().string();
    if (!file.is_regular_file() || name.starts_with(".") || name.ends_with(".md")) continue;
    INFO(file.path().string());
    const std::string input = read_trace_text(file.path());
    CHECK_NOTHROW([&] {
      if (target == "trace") fuzz::trace_one_input(input);
      if (target == "record_reader") fuzz::record_reader_one_input(input);
      if (target == "offset") fuzz::offset_one_input(input);
    }());
    ++replayed;
  }
  return replayed;
}

}  // namespace

TEST_CASE("crash: fuzz regressions replay through the fuzz entry points") {
  const std::filesystem::path testdata(SHAPELOG_TESTDATA_DIR);
  size_t regressions = 0;
  for (const char* target : {"trace", "record_reader", "offset"})
    regressions += replay_inputs(testdata / "fuzz-regressions" / target, target);
  // The seed corpora too, so the fuzz targets' properties hold in every test run.
  const std::filesystem::path seeds = testdata.parent_path() / "fuzz" / "seeds";
  size_t seeded = replay_inputs(testdata / "traces", "trace") +
                  replay_inputs(testdata / "traces" / "bad", "trace") +
                  replay_inputs(seeds / "record_reader", "record_reader") +
                  replay_inputs(seeds / "offset", "offset");
  CHECK(seeded > 40);
  MESSAGE(regressions << " fuzz regression inputs and " << seeded << " seed inputs replayed");
}

// A writer whose flush failed at its sync dies; the next writer, in the same boot, finds the
// unsynced records in the file and publishes them as last_persisted. Recovery must sync them
// first, or a machine crash loses entries that readers were told are persisted.
TEST_CASE("crash: a reopened writer publishes as persisted only what is synced") {
  const std::vector<Step> steps = history(4);  // tx1, tx2, flush, tx3, tx4, flush
  Machine m;
  Progress progress;
  {
    LogWriter writer(m.faulty, kDir, small_options());
    run_steps(writer, steps, 4, progress);  // ... up to tx3, buffered
    m.faulty.add_fault(Fault{FsCall::Sync, 1, EIO});
    CHECK_THROWS_AS(writer.flush(), Error);  // tx3 written, not synced; the process dies
  }
  m.faulty.clear_faults();
  Offset claimed;
  {
    LogWriter writer(m.faulty, kDir, small_options());
    claimed = writer.snapshot().last_persisted;
  }
  m.mem.simulate_crash();
  LogWriter writer(m.faulty, kDir, small_options());
  INFO("claimed persisted " << claimed.to_string() << ", after the crash the log ends at "
                            << writer.snapshot().last_persisted.to_string());
  CHECK(writer.snapshot().last_persisted >= claimed);
}
