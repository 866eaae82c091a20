// LogWriter: validation, flushing, transactions larger than the buffer, the writer lock,
// and failures of the storage under a flush.
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <filesystem>

#include <doctest/doctest.h>

#include "log_test_support.h"
#include "segment/disk_log_reader.h"
#include "segment/log_checker.h"
#include "segment/record_format.h"
#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"
#include "shapelog/memory_file_system.h"
#include "shapelog/posix_file_system.h"
#include "storage/faulty_file_system.h"
#include "storage/temporary_directory.h"

using namespace shapelog;
using namespace shapelog::logtest;
using namespace std::chrono_literals;

namespace {

const std::string kDir = "/log";

// manual_flush with tiny segments: a flush of a few entries spans several.
WriterOptions small_segments(uint64_t capacity = 64 << 10) {
  WriterOptions options = logtest::manual_flush(capacity);
  options.disk = DiskLogOptions{300, 64};
  return options;
}

// A log whose writer has flushed one transaction and buffered three more, on a
// FaultyFileSystem over memory; faults are added by the test.
struct FaultyLog {
  MemoryFileSystem memory;
  FaultyFileSystem faulty{memory};
  std::unique_ptr<LogWriter> writer;
  std::vector<Entry> entries;

  FaultyLog() {
    writer = std::make_unique<LogWriter>(faulty, kDir, small_segments());
    append(transaction(1, 3, 20));
    writer->flush();
    append(transaction(2, 2, 40));
    append(transaction(3, 4, 10));
    append(transaction(4, 1, 60));
  }
  void append(const std::vector<Entry>& txn) {
    writer->append(txn);
    append_all(entries, txn);
  }
  std::array<uint64_t, kFsCallKinds> calls() const {
    std::array<uint64_t, kFsCallKinds> out{};
    for (size_t i = 0; i < kFsCallKinds; ++i) out[i] = faulty.calls(static_cast<FsCall>(i));
    return out;
  }
};

struct FaultKind {
  FsCall call;
  int error;
  std::optional<size_t> torn_bytes;
  std::string_view name;
};

}  // namespace

TEST_CASE("log writer: append rejects bad transactions and changes nothing") {
  MemoryFileSystem fs;
  LogWriter writer(fs, kDir, small_segments());
  writer.append({entry(5, 0), entry(5, 1)});
  const MetaSnapshot before = writer.snapshot();

  std::vector<Entry> bad;
  std::string message;
  SUBCASE("empty transaction") { message = "at least one entry"; }
  SUBCASE("offset equal to the last one") {
    bad = {entry(5, 1)};
    message = "offset 5_1 is not above 5_1";
  }
  SUBCASE("offset below the last one") {
    bad = {entry(4, 7)};
    message = "offset 4_7 is not above 5_1";
  }
  SUBCASE("offsets not increasing inside the transaction") {
    bad = {entry(6, 1), entry(6, 0)};
    message = "offset 6_0 is not above 6_1";
  }
  SUBCASE("a repeated offset inside the transaction") {
    bad = {entry(6, 0), entry(6, 0)};
    message = "offset 6_0 is not above 6_0";
  }
  SUBCASE("a value over the payload limit") {
    bad = {entry(6, 0, std::string(format::kMaxPayloadSize + 1, 'x'))};
    message = "the limit is";
  }
  const auto error = error_from([&] { writer.append(bad); });
  REQUIRE(error);
  CHECK(error->kind() == ErrorKind::BadInput);
  CHECK(std::string(error->what()).find(message) != std::string::npos);
  CHECK(writer.snapshot().last_seen == before.last_seen);
  CHECK(writer.snapshot().generation == before.generation);
  check_every_strategy_reads(fs, kDir, {entry(5, 0), entry(5, 1)});
  writer.append({entry(6, 0)});  // the writer is still usable
  check_every_strategy_reads(fs, kDir, {entry(5, 0), entry(5, 1), entry(6, 0)});
}

TEST_CASE("log writer: append flushes by itself at flush_threshold") {
  MemoryFileSystem fs;
  WriterOptions options = small_segments();
  options.flush_threshold = 600;
  LogWriter writer(fs, kDir, options);
  LogReader reader(fs, kDir);
  // The buffered bytes at append.publish, where the writer decides.
  uint64_t used_at_publish = 0;
  FunctionHook hook([&](const PointEvent& event) {
    if (event.point == Point::AppendPublish) used_at_publish = reader.stats().buffer->used_bytes;
  });
  ScopedHook scoped(hook);
  std::vector<Entry> all;
  int flushes = 0;
  for (uint64_t tx = 1; tx <= 40; ++tx) {
    CAPTURE(tx);
    const std::vector<Entry> txn = transaction(tx, 1 + tx % 3, tx * 5 % 70);
    writer.append(txn);
    append_all(all, txn);
    const bool flushed = writer.snapshot().last_persisted == txn.back().offset;
    CHECK(flushed == (used_at_publish >= options.flush_threshold));
    if (flushed) {
      ++flushes;
      CHECK(reader.stats().buffer->used_bytes == 0);
    } else {
      CHECK(reader.stats().buffer->used_bytes == used_at_publish);
    }
  }
  CHECK(flushes >= 3);
  CHECK(read_log(reader, ReadStrategy::Generation) == all);
}

TEST_CASE("log writer: flush_threshold 0 never flushes by itself") {
  MemoryFileSystem fs;
  LogWriter writer(fs, kDir, small_segments());
  for (uint64_t tx = 1; tx <= 20; ++tx) writer.append(transaction(tx, 2, 100));
  CHECK(writer.snapshot().last_persisted.is_before_all());
  CHECK(writer.snapshot().last_seen == Offset(20, 1));
  writer.flush();
  CHECK(writer.snapshot().last_persisted == Offset(20, 1));
}

TEST_CASE("log writer: a transaction larger than the buffer goes straight to disk") {
  MemoryFileSystem fs;
  LogWriter writer(fs, kDir, small_segments(kMinBufferCapacity));
  std::vector<Entry> all = transaction(1, 2);
  writer.append(all);  // buffered, flushed first to keep the order
  std::vector<Entry> big;
  SUBCASE("several entries") {
    big = {entry(2, 0, std::string(2000, 'a')), entry(2, 1, std::string(1500, 'b')),
           entry(2, 2, std::string(1500, 'c'))};
  }
  SUBCASE("one entry bigger than the whole ring") { big = {entry(2, 0, std::string(5000, 'z'))}; }
  writer.append(big);
  append_all(all, big);
  CHECK(writer.snapshot().last_persisted == big.back().offset);
  CHECK(writer.snapshot().last_seen == big.back().offset);
  check_every_strategy_reads(fs, kDir, all);
  CHECK(read_disk(DiskLogReader(fs, kDir), everything()) == all);

  writer.append(transaction(3, 1));  // and the buffer carries on after it
  append_all(all, transaction(3, 1));
  check_every_strategy_reads(fs, kDir, all);
  CHECK(writer.snapshot().last_persisted == big.back().offset);
}

TEST_CASE("log writer: a second writer times out with Busy naming the holder") {
  SUBCASE("memory file system") {
    MemoryFileSystem fs;
    WriterOptions first = small_segments();
    first.holder_note = "pid 4242 shapelog append --follow";
    auto holder = std::make_unique<LogWriter>(fs, kDir, first);
    const auto started = std::chrono::steady_clock::now();
    const auto error = error_from([&] { LogWriter(fs, kDir, small_segments()); });
    REQUIRE(error);
    CHECK(error->kind() == ErrorKind::Busy);
    CHECK(std::string(error->what()).find(first.holder_note) != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started >= 50ms);
    holder.reset();
    CHECK_NOTHROW(LogWriter(fs, kDir, small_segments()));
  }
  SUBCASE("two PosixFileSystem locks in one process") {
    TemporaryDirectory temp("logwriter");
    const std::string dir = join_path(temp.path(), "log");
    PosixFileSystem fs1, fs2;
    WriterOptions first = small_segments();
    first.holder_note = "pid 77 first writer";
    auto holder = std::make_unique<LogWriter>(fs1, dir, first);
    holder->append(transaction(1, 2));
    holder->flush();
    const auto error = error_from([&] { LogWriter(fs2, dir, small_segments()); });
    REQUIRE(error);
    CHECK(error->kind() == ErrorKind::Busy);
    CHECK(std::string(error->what()).find(first.holder_note) != std::string::npos);
    holder.reset();
    LogWriter second(fs2, dir, small_segments());
    second.append(transaction(2, 1));
    std::vector<Entry> all = transaction(1, 2);
    append_all(all, transaction(2, 1));
    LogReader reader(fs1, dir);
    CHECK(read_log(reader, ReadStrategy::Generation) == all);
  }
}

TEST_CASE("log writer: storage faults at each call of a flush are clear, sticky, recoverable") {
  const std::array<FaultKind, 5> kinds = {{
      {FsCall::Append, ENOSPC, std::nullopt, "ENOSPC"},
      {FsCall::Append, EIO, std::nullopt, "EIO"},
      {FsCall::Append, ENOSPC, 13, "ENOSPC"},  // a short write first
      {FsCall::Sync, ENOSPC, std::nullopt, "ENOSPC"},
      {FsCall::Sync, EIO, std::nullopt, "EIO"},
  }};
  for (const FaultKind& kind : kinds) {
    // How many calls of this kind a clean flush makes.
    uint64_t calls_per_flush = 0;
    {
      FaultyLog dry;
      const uint64_t before = dry.faulty.calls(kind.call);
      dry.writer->flush();
      calls_per_flush = dry.faulty.calls(kind.call) - before;
    }
    REQUIRE(calls_per_flush >= 2);
    for (uint64_t nth = 1; nth <= calls_per_flush; ++nth) {
      CAPTURE(static_cast<int>(kind.call));
      CAPTURE(kind.name);
      CAPTURE(kind.torn_bytes.value_or(0));
      CAPTURE(nth);
      FaultyLog log;
      log.faulty.add_fault(
          {.call = kind.call, .nth = nth, .error = kind.error, .torn_bytes = kind.torn_bytes});

      const auto error = error_from([&] { log.writer->flush(); });
      REQUIRE(error);
      CHECK(error->kind() == ErrorKind::Io);
      CHECK(std::string(error->what()).find(fmt::format("({}, injected)", kind.name)) !=
            std::string::npos);

      // Sticky: the next flush fails at once, without a single call to the storage.
      const auto calls_before = log.calls();
      const auto again = error_from([&] { log.writer->flush(); });
      REQUIRE(again);
      CHECK(again->kind() == ErrorKind::Io);
      CHECK(std::string(again->what()).find("stopped after an earlier failure") !=
            std::string::npos);
      CHECK(log.calls() == calls_before);
      // The published entries stay readable, from the disk and the untrimmed buffer.
      check_every_strategy_reads(log.memory, kDir, log.entries);

      // A new writer recovers; its flush leaves every entry exactly once.
      log.faulty.clear_faults();
      log.writer.reset();
      LogWriter recovered(log.faulty, kDir, small_segments());
      check_every_strategy_reads(log.memory, kDir, log.entries);
      recovered.flush();
      CHECK(recovered.snapshot().last_persisted == log.entries.back().offset);
      check_every_strategy_reads(log.memory, kDir, log.entries);
      CHECK(read_disk(DiskLogReader(log.memory, kDir), everything()) == log.entries);
      CHECK(check_log(log.memory, kDir).problems.empty());
    }
  }
}

TEST_CASE("log writer: an append that must flush fails clearly on a sticky failure") {
  FaultyLog log;
  log.faulty.add_fault({.call = FsCall::Sync, .nth = 1, .error = EIO, .sticky = true});
  CHECK(error_kind([&] { log.writer->flush(); }) == ErrorKind::Io);
  // A transaction bigger than the buffer needs the disk: it fails too, and is not published.
  const auto error =
      error_from([&] { log.writer->append({entry(9, 0, std::string(100 << 10, 'q'))}); });
  REQUIRE(error);
  CHECK(error->kind() == ErrorKind::Io);
  CHECK(log.writer->snapshot().last_seen == log.entries.back().offset);
  check_every_strategy_reads(log.memory, kDir, log.entries);
}
