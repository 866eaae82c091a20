// The shared buffer: publication order, the ring, trims and generations, and how a writer
// reconciles the buffer with the disk log when it opens.
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include <doctest/doctest.h>

#include "buffer/buffer_format.h"
#include "buffer/shared_buffer.h"
#include "log_test_support.h"
#include "segment/disk_log_reader.h"
#include "segment/disk_log_writer.h"
#include "segment/record_codec.h"
#include "segment/record_format.h"
#include "shapelog/log_reader.h"
#include "shapelog/log_writer.h"
#include "shapelog/memory_file_system.h"

using namespace shapelog;
using namespace shapelog::logtest;
using namespace std::chrono_literals;

namespace {

const std::string kDir = "/log";
const std::string kBufferPath = kDir + "/buffer";

using buffer_format::kCapacityByte, buffer_format::kHeadByte, buffer_format::kMagicByte,
    buffer_format::kReservedByte, buffer_format::kSequenceByte;
constexpr uint64_t kDataStart = buffer_format::kHeaderBytes;

uint64_t header_word(MemoryFileSystem& fs, uint64_t byte) {
  std::array<std::byte, 8> word{};
  REQUIRE(fs.open_read(kBufferPath)->read_at(byte, word) == 8);
  return get_u64(word.data());
}

// Pseudo-random value sizes from 0 to 599 bytes, the same on every run.
size_t varied_size(uint64_t i) { return (i * 2654435761u) % 600; }

// Every byte differs from its neighbours, so a payload word stored with its bytes shifted or
// out of order reads back wrong.
std::string varied_value(uint64_t seed, size_t size) {
  std::string value(size, '\0');
  for (size_t i = 0; i < size; ++i) value[i] = char('a' + (seed + i) % 26);
  return value;
}

std::vector<Entry> varied_transaction(uint64_t tx) {
  std::vector<Entry> entries;
  for (uint64_t op = 0; op < 1 + tx % 3; ++op)
    entries.push_back(entry(tx, op, varied_value(tx, varied_size(tx * 3 + op))));
  return entries;
}

// A buffer opened directly, the writer's way, in a fresh directory.
struct DirectBuffer {
  MemoryFileSystem fs;
  std::vector<Warning> warnings;
  std::unique_ptr<SharedBuffer> buffer;
  explicit DirectBuffer(uint64_t capacity = 4096) {
    fs.create_directories(kDir);
    buffer = SharedBuffer::open_for_writer(fs, kDir, capacity, Offset::before_all(), warnings);
  }
  void append(const std::vector<Entry>& transaction) {
    REQUIRE(buffer->write(transaction));
    buffer->publish_seen(transaction.back().offset);
  }
  std::vector<Entry> copy_all() const {
    return buffer->copy(everything(), Offset(~0ull, 0)).entries();
  }
};

// Writes log entries as a LogWriter would, then drops the writer without flushing.
std::vector<Entry> write_then_drop(MemoryFileSystem& fs, const std::vector<Entry>& persisted,
                                   const std::vector<Entry>& buffered) {
  LogWriter writer(fs, kDir, manual_flush());
  if (!persisted.empty()) {
    writer.append(persisted);
    writer.flush();
  }
  if (!buffered.empty()) writer.append(buffered);
  std::vector<Entry> all = persisted;
  append_all(all, buffered);
  return all;
}

}  // namespace

TEST_CASE("shared buffer: written entries are invisible until published") {
  DirectBuffer direct;
  CHECK(direct.warnings.empty());
  const std::vector<Entry> txn = transaction(3, 3);
  REQUIRE(direct.buffer->write(txn));
  CHECK(direct.copy_all().empty());
  CHECK(direct.buffer->snapshot().last_seen.is_before_all());
  CHECK(direct.buffer->buffered_entries() == 0);
  auto reader_view = SharedBuffer::open_for_reader(direct.fs, kDir);
  REQUIRE(reader_view);
  CHECK(reader_view->copy(everything(), Offset(100, 0)).entries().empty());

  direct.buffer->publish_seen(txn.back().offset);
  CHECK(direct.copy_all() == txn);
  CHECK(reader_view->copy(everything(), Offset(100, 0)).entries() == txn);
  CHECK(reader_view->snapshot().last_seen == txn.back().offset);
  CHECK(reader_view->snapshot().last_persisted.is_before_all());
  CHECK(direct.buffer->buffered_entries() == 3);
}

TEST_CASE("shared buffer: a LogReader sees a transaction only at append.publish") {
  MemoryFileSystem fs;
  LogWriter writer(fs, kDir, manual_flush());
  writer.append(transaction(1, 2));
  LogReader reader(fs, kDir);
  std::vector<std::pair<Point, std::vector<Entry>>> seen;
  bool inside = false;
  FunctionHook hook([&](const PointEvent& event) {
    if (inside || (event.point != Point::AppendBuffer && event.point != Point::AppendPublish))
      return;
    inside = true;
    for (ReadStrategy strategy : kAllStrategies)
      seen.emplace_back(event.point, read_log(reader, strategy));
    inside = false;
  });
  {
    ScopedHook scoped(hook);
    writer.append(transaction(2, 3));
  }
  REQUIRE(seen.size() == 8);
  std::vector<Entry> both = transaction(1, 2);
  append_all(both, transaction(2, 3));
  for (size_t i = 0; i < 4; ++i) {
    CHECK(seen[i].first == Point::AppendBuffer);
    CHECK(seen[i].second == transaction(1, 2));
    CHECK(seen[4 + i].first == Point::AppendPublish);
    CHECK(seen[4 + i].second == both);
  }
}

TEST_CASE("shared buffer: the ring wraps around with entries of varied sizes") {
  MemoryFileSystem fs;
  LogWriter writer(fs, kDir, manual_flush(kMinBufferCapacity));
  LogReader reader(fs, kDir);
  const std::unique_ptr<SharedBuffer> buffer = SharedBuffer::open_for_reader(fs, kDir);
  REQUIRE(buffer);
  std::vector<Entry> all;
  uint64_t bytes = 0;
  for (uint64_t tx = 1; tx <= 200; ++tx) {
    CAPTURE(tx);
    const std::vector<Entry> txn = varied_transaction(tx);
    for (const Entry& e : txn) bytes += SharedBuffer::entry_footprint(e);
    writer.append(txn);  // flushes by itself when the ring is full
    append_all(all, txn);
    if (tx % 7 == 0) writer.flush();

    const MetaSnapshot snap = writer.snapshot();
    CHECK(snap.last_seen == txn.back().offset);
    CHECK(buffer->used_bytes() <= buffer->capacity());
    CHECK(buffer->copy(after(snap.last_persisted), snap.last_seen).entries() ==
          expected_in(all, after(snap.last_persisted), snap.last_seen));
    const ReadStrategy strategy = kAllStrategies[tx % kAllStrategies.size()];
    if (tx % 5 == 0) CHECK(read_log(reader, strategy) == all);
    CHECK(read_log(reader, strategy, after(Offset(tx - 1, 0))) ==
          expected_in(all, after(Offset(tx - 1, 0)), Offset(tx, 9)));
  }
  CHECK(bytes > 20 * kMinBufferCapacity);  // the ring went round many times
  writer.flush();
  check_every_strategy_reads(fs, kDir, all);
}

TEST_CASE("shared buffer: a copy that starts from the ring's index returns what a walk would") {
  MemoryFileSystem fs;
  constexpr uint64_t kCapacity = 256 << 10;  // index stretches of 4 KiB
  LogWriter writer(fs, kDir, manual_flush(kCapacity));
  LogReader reader(fs, kDir);
  const std::unique_ptr<SharedBuffer> buffer = SharedBuffer::open_for_reader(fs, kDir);
  REQUIRE(buffer);
  std::vector<Entry> all;
  uint64_t tx = 1;
  // Three fillings of most of the ring, each flushed away after: the index's slots are reused
  // and the head moves on.
  for (int filling = 0; filling < 3; ++filling) {
    CAPTURE(filling);
    const size_t first_buffered = all.size();
    while (buffer->used_bytes() < kCapacity * 3 / 4) {
      const std::vector<Entry> txn = varied_transaction(tx++);
      writer.append(txn);
      append_all(all, txn);
    }
    const Offset seen = writer.snapshot().last_seen;
    for (size_t i = first_buffered; i < all.size(); i += 5) {
      for (bool inclusive : {true, false}) {
        ReadRange range{all[i].offset, inclusive, {}};
        if (i % 3 == 0) range.to = all[std::min(all.size() - 1, i + 40)].offset;
        CAPTURE(describe_range(range));
        const BufferCopy copy = buffer->copy(range, seen);
        CHECK(copy.complete());
        CHECK(copy.entries() == expected_in(all, range, seen));
      }
    }
    // Through the reader too, with every strategy, near the end.
    const ReadRange near_end = after(all[all.size() - 30].offset);
    for (ReadStrategy strategy : kAllStrategies)
      CHECK(read_log(reader, strategy, near_end) == expected_in(all, near_end, seen));
    writer.flush();
  }
}

// Buffers of kIndexedCapacity bytes (index stretches of 4 KiB), opened the writer's way
// without a LogWriter, in fs's log directory; what the opening warned of goes to warnings.
constexpr uint64_t kIndexedCapacity = 256 << 10;
std::unique_ptr<SharedBuffer> open_indexed(MemoryFileSystem& fs, std::vector<Warning>& warnings,
                                           Offset disk_last = Offset::before_all()) {
  fs.create_directories(kDir);
  return SharedBuffer::open_for_writer(fs, kDir, kIndexedCapacity, disk_last, warnings);
}

// Transactions 1..txs of one 1,000-byte entry each, written and published, none trimmed.
std::vector<Entry> fill_indexed(SharedBuffer& buffer, uint64_t txs) {
  std::vector<Entry> all;
  for (uint64_t tx = 1; tx <= txs; ++tx) {
    all.push_back(entry(tx, 0, std::string(1000, char('a' + tx % 26))));
    REQUIRE(buffer.write({all.back()}));
    buffer.publish_seen(all.back().offset);
  }
  return all;
}

// An indexed buffer holding transactions 1..200 (fill_indexed), with a reader opened on it.
struct FilledIndexedBuffer {
  MemoryFileSystem fs;
  std::vector<Warning> warnings;
  std::unique_ptr<SharedBuffer> writer = open_indexed(fs, warnings);
  const std::vector<Entry> all = fill_indexed(*writer, 200);
  std::unique_ptr<SharedBuffer> reader = SharedBuffer::open_for_reader(fs, kDir);
};

TEST_CASE_FIXTURE(FilledIndexedBuffer,
                  "shared buffer: a copy the writer may have overwritten is dropped whole") {
  // What a reader sees when the writer laps it: `reserved` (raised before any store into the
  // ring) is more than a ring past where the copy began. Its one check after the walk drops
  // everything it copied, and says the copy was interrupted, so no strategy trusts it.
  REQUIRE(reader);
  REQUIRE(reader->copy(everything(), all.back().offset).complete());
  fs.corrupt(kBufferPath, kReservedByte + 7, std::byte{0x01});  // reserved += 2^56
  for (const ReadRange& range : {everything(), from(all[190].offset)}) {
    const BufferCopy copy = reader->copy(range, all.back().offset);
    CHECK(copy.interrupted);
    CHECK(copy.empty());
    CHECK(!copy.complete());
  }
}

TEST_CASE_FIXTURE(FilledIndexedBuffer,
                  "shared buffer: the index lets a copy start past damage near the head") {
  REQUIRE(reader);
  // The second entry's kind word becomes nonsense, as an overwrite in progress would leave it.
  fs.corrupt(kBufferPath, kDataStart + SharedBuffer::entry_footprint(all[0]), std::byte{0x7f});
  const ReadRange near_end = from(all[190].offset);
  const BufferCopy copy = reader->copy(near_end, all.back().offset);
  CHECK(copy.complete());  // started from the index, after the damage
  CHECK(copy.entries() == expected_in(all, near_end, all.back().offset));
  const BufferCopy from_head = reader->copy(everything(), all.back().offset);
  CHECK(from_head.interrupted);

  SUBCASE("a buffer whose magic says it has no index is walked from the head") {
    // As a version of shapelog without the index writes it back when it resets a buffer,
    // leaving the index area as it was.
    fs.corrupt(kBufferPath, kMagicByte + 7, std::byte{0x03});  // "SLBUF002" -> "SLBUF001"
    CHECK(reader->copy(near_end, all.back().offset).interrupted);
  }
}

TEST_CASE("shared buffer: a writer takes over a buffer from a version without the index") {
  MemoryFileSystem fs;
  std::vector<Warning> warnings;
  std::vector<Entry> all;
  {
    auto first = open_indexed(fs, warnings);
    all = fill_indexed(*first, 100);
  }
  fs.corrupt(kBufferPath, kMagicByte + 7, std::byte{0x03});  // "SLBUF002" -> "SLBUF001"
  auto second = open_indexed(fs, warnings);
  CHECK(warnings.empty());  // taken over, not reset: its entries are still there
  CHECK(second->copy(everything(), all.back().offset).entries() == all);
  CHECK(header_word(fs, kMagicByte) == buffer_format::kMagic);
}

TEST_CASE("shared buffer: a writer that died before publishing leaves the index nothing stale") {
  // Writer A writes entries it never publishes, then dies; writer B lays out other entries
  // from the same tail. Had A indexed what it wrote, readers would be sent into B's entries
  // at A's positions: into a payload that looks like a header, or into the end of a lap that
  // B's wrap skipped, where A's entry still lies.
  MemoryFileSystem fs;
  std::vector<Warning> warnings;
  auto value = [](size_t size, char c) { return std::string(size, c); };
  SUBCASE("a stretch begins inside one of B's payloads") {
    {
      auto a = open_indexed(fs, warnings);
      fill_indexed(*a, 11);  // 11 x 1,024 bytes: entry (12, 1) would begin the fourth stretch
      REQUIRE(a->write({entry(12, 0, value(1000, 'x')), entry(12, 1, value(1000, 'y'))}));
    }
    auto b = open_indexed(fs, warnings);
    // One entry whose payload holds, where A's (12, 1) began, what looks like its header.
    std::string payload = value(2000, 'v');
    const uint64_t header[] = {976ull << 8, 12, 1};
    std::memcpy(payload.data() + 1000, header, sizeof header);
    std::memcpy(payload.data() + 1024, "EVIL", 4);
    REQUIRE(b->write({entry(12, 5, payload)}));
    b->publish_seen(Offset(12, 5));
    auto reader = SharedBuffer::open_for_reader(fs, kDir);
    REQUIRE(reader);
    const BufferCopy copy = reader->copy(from(Offset(12, 1)), Offset(12, 5));
    CHECK(copy.complete());
    CHECK(copy.entries() == std::vector<Entry>{entry(12, 5, payload)});
  }
  SUBCASE("B wraps earlier than A did") {
    std::vector<Entry> all;
    {
      auto a = open_indexed(fs, warnings);
      all = fill_indexed(*a, 251);
      a->publish_persisted(Offset(200, 0));
      a->trim(Offset(200, 0));
      REQUIRE(a->write({entry(252, 0, value(1000, 'x')), entry(252, 1, value(1000, 'y'))}));
    }
    auto b = open_indexed(fs, warnings, Offset(200, 0));
    const std::vector<Entry> txn = {entry(252, 0, value(10, 'B')), entry(252, 1, value(10, 'C')),
                                    entry(252, 2, value(6000, 'D'))};
    REQUIRE(b->write(txn));
    b->publish_seen(Offset(252, 2));
    auto reader = SharedBuffer::open_for_reader(fs, kDir);
    REQUIRE(reader);
    const BufferCopy copy = reader->copy(from(Offset(252, 1)), Offset(252, 2));
    CHECK(copy.complete());
    CHECK(copy.entries() == std::vector<Entry>{txn[1], txn[2]});
  }
}

TEST_CASE("shared buffer: payloads of every length up to three words come back byte for byte") {
  DirectBuffer direct;
  std::vector<Entry> txn;
  for (uint64_t size = 0; size <= 24; ++size)
    txn.push_back(entry(1, size, varied_value(size, size)));
  direct.append(txn);
  CHECK(direct.copy_all() == txn);
  std::vector<Entry> views;
  direct.buffer->entries_after(Offset::before_all(),
                               [&](const EntryView& view) { views.push_back(view.owned()); });
  CHECK(views == txn);
}

TEST_CASE("shared buffer: trim drops entries and bumps the generation") {
  SUBCASE("directly") {
    DirectBuffer direct;
    direct.append(transaction(1, 2));
    direct.append(transaction(2, 2));
    direct.append(transaction(3, 1));
    const uint64_t generation = direct.buffer->snapshot().generation;
    const uint64_t used = direct.buffer->used_bytes();
    direct.buffer->trim(Offset(2, 1));
    CHECK(direct.buffer->snapshot().generation == generation + 1);
    CHECK(direct.copy_all() == transaction(3, 1));
    CHECK(direct.buffer->buffered_entries() == 1);
    CHECK(direct.buffer->used_bytes() < used);
    std::vector<Entry> after;
    direct.buffer->entries_after(Offset::before_all(),
                                 [&](const EntryView& entry) { after.push_back(entry.owned()); });
    CHECK(after == transaction(3, 1));
  }
  SUBCASE("by a flush, only when it moved entries") {
    MemoryFileSystem fs;
    LogWriter writer(fs, kDir, manual_flush());
    const uint64_t generation = writer.snapshot().generation;
    writer.flush();
    CHECK(writer.snapshot().generation == generation);
    writer.append(transaction(1, 3));
    writer.flush();
    CHECK(writer.snapshot().generation == generation + 1);
    CHECK(writer.snapshot().last_persisted == Offset(1, 2));
    writer.flush();
    CHECK(writer.snapshot().generation == generation + 1);
    LogReader reader(fs, kDir);
    REQUIRE(reader.stats().buffer);
    CHECK(reader.stats().buffer->entries == 0);
  }
}

TEST_CASE("shared buffer: after a crash (new boot_id) it is reset and the disk is the truth") {
  MemoryFileSystem fs;
  const std::vector<Entry> persisted = transaction(1, 3);
  write_then_drop(fs, persisted, transaction(2, 2));
  fs.simulate_crash();

  {
    // A reader alone ignores the buffer of an earlier boot.
    LogReader reader(fs, kDir);
    CHECK(!reader.stats().buffer);
    CHECK(reader.snapshot().last_seen == persisted.back().offset);
    CHECK(read_log(reader, ReadStrategy::Naive) == persisted);
  }
  LogWriter writer(fs, kDir, manual_flush());
  const auto* reset = find_warning<warning::BufferReset>(writer.warnings());
  REQUIRE(reset);
  CHECK(reset->reason == "it is from before the last reboot");
  CHECK(reset->disk_last == persisted.back().offset);
  CHECK(writer.snapshot().last_seen == persisted.back().offset);
  CHECK(writer.snapshot().last_persisted == persisted.back().offset);
  check_every_strategy_reads(fs, kDir, persisted);
  writer.append(transaction(2, 1));  // the lost offsets can be written again
  std::vector<Entry> expected = persisted;
  append_all(expected, transaction(2, 1));
  check_every_strategy_reads(fs, kDir, expected);
}

TEST_CASE("shared buffer: a damaged buffer file is reset with a warning") {
  MemoryFileSystem fs;
  const std::vector<Entry> persisted = transaction(1, 2);
  write_then_drop(fs, persisted, transaction(2, 2));
  std::string reason;
  SUBCASE("magic") {
    fs.corrupt(kBufferPath, kMagicByte, std::byte{0xff});
    reason = "it is not initialized";
  }
  SUBCASE("capacity") {
    fs.corrupt(kBufferPath, kCapacityByte + 1, std::byte{0x01});
    reason = "its size is wrong";
  }
  SUBCASE("positions") {
    fs.corrupt(kBufferPath, kHeadByte + 5, std::byte{0x40});
    reason = "its positions are inconsistent";
  }
  SUBCASE("an entry's kind") {
    const uint64_t head = header_word(fs, kHeadByte);
    fs.corrupt(kBufferPath, kDataStart + head % (64 << 10), std::byte{0x10});
    reason = "its entries are damaged";
  }
  if (reason == "it is not initialized") {
    LogReader reader(fs, kDir);  // a reader does not trust it either
    CHECK(!reader.stats().buffer);
    CHECK(read_log(reader, ReadStrategy::Generation) == persisted);
  }

  LogWriter writer(fs, kDir, manual_flush());
  const auto* reset = find_warning<warning::BufferReset>(writer.warnings());
  REQUIRE(reset);
  CHECK(reset->reason == reason);
  CHECK(writer.snapshot().last_seen == persisted.back().offset);
  check_every_strategy_reads(fs, kDir, persisted);
  writer.append(transaction(3, 1));
  writer.flush();
  std::vector<Entry> expected = persisted;
  append_all(expected, transaction(3, 1));
  check_every_strategy_reads(fs, kDir, expected);
}

TEST_CASE("shared buffer: a reopened writer keeps buffered entries of the same boot") {
  MemoryFileSystem fs;
  const std::vector<Entry> all = write_then_drop(fs, transaction(1, 2), transaction(2, 2));
  LogWriter writer(fs, kDir, manual_flush());
  CHECK(writer.warnings().empty());
  CHECK(writer.snapshot().last_persisted == Offset(1, 1));
  CHECK(writer.snapshot().last_seen == Offset(2, 1));
  check_every_strategy_reads(fs, kDir, all);
  writer.flush();
  check_every_strategy_reads(fs, kDir, all);
}

TEST_CASE("shared buffer: a writer killed inside a metadata update leaves nothing stuck") {
  // Killed after making the seqlock's sequence odd and before changing any field: the next
  // writer must even it out, or every snapshot (its own flush's, every reader's) would wait
  // for an update that never ends.
  MemoryFileSystem fs;
  const std::vector<Entry> all = write_then_drop(fs, transaction(1, 2), transaction(2, 2));
  REQUIRE(header_word(fs, kSequenceByte) % 2 == 0);
  fs.corrupt(kBufferPath, kSequenceByte, std::byte{1});
  LogWriter writer(fs, kDir, manual_flush());
  CHECK(header_word(fs, kSequenceByte) % 2 == 0);
  writer.flush();
  CHECK(writer.snapshot().last_persisted == Offset(2, 1));
  check_every_strategy_reads(fs, kDir, all);
}

TEST_CASE("shared buffer: reconcile trims entries a dying flush wrote, never duplicates them") {
  MemoryFileSystem fs;
  const std::vector<Entry> persisted = transaction(1, 2);
  std::vector<Entry> buffered = transaction(2, 2);
  append_all(buffered, transaction(3, 3));
  write_then_drop(fs, persisted, transaction(2, 2));
  {
    LogWriter writer(fs, kDir, manual_flush());
    writer.append(transaction(3, 3));
  }
  // The flush that "died": its entries reached the disk, last_persisted was not published.
  size_t written = 0;
  SUBCASE("all of them") { written = buffered.size(); }
  SUBCASE("the first transaction") { written = 2; }
  SUBCASE("part of a transaction") { written = 3; }
  {
    DiskLogWriter disk(fs, kDir);
    for (size_t i = 0; i < written; ++i) disk.append(buffered[i]);
    disk.sync();
  }
  std::vector<Entry> expected = persisted;
  append_all(expected, buffered);

  LogWriter writer(fs, kDir, manual_flush());
  CHECK(writer.snapshot().last_persisted == buffered[written - 1].offset);
  CHECK(writer.snapshot().last_seen == buffered.back().offset);
  {
    LogReader reader(fs, kDir);
    REQUIRE(reader.stats().buffer);
    CHECK(reader.stats().buffer->entries == buffered.size() - written);
  }
  check_every_strategy_reads(fs, kDir, expected);
  writer.flush();
  check_every_strategy_reads(fs, kDir, expected);
  CHECK(read_disk(DiskLogReader(fs, kDir), everything()) == expected);
}

TEST_CASE_FIXTURE(FilledIndexedBuffer,
                  "shared buffer: a copy with a size limit stops before it and says so") {
  REQUIRE(reader);
  const uint64_t footprint = SharedBuffer::entry_footprint(all[0]);
  // Pieces of at most 7 entries, each continuing after the last one, add up to the whole.
  std::vector<Entry> pieces;
  ReadRange range = everything();
  BufferCopy copy;
  for (int piece = 0;; ++piece) {
    REQUIRE(piece < 100);
    reader->copy(range, all.back().offset, copy, 7 * footprint + footprint / 2);
    CHECK(copy.complete());
    append_all(pieces, copy.entries());
    if (!copy.capped) break;
    CHECK(copy.size() == 7);
    range = after(copy.last());
  }
  CHECK(pieces == all);
  // A limit below one entry still copies one, so that a reader in pieces moves on.
  reader->copy(everything(), all.back().offset, copy, 1);
  CHECK(copy.capped);
  CHECK(copy.entries() == std::vector<Entry>{all[0]});
}

TEST_CASE("shared buffer: a piece starts where the last one ended, unless that entry is gone") {
  // A copy that continues after the last entry of the copy it reuses starts its walk at that
  // entry. If the writer trimmed (or reset) the buffer meanwhile, the copy starts from the
  // index or the head, and returns what a walk from the head would.
  MemoryFileSystem fs;
  std::vector<Warning> warnings;
  auto writer = open_indexed(fs, warnings);
  const std::vector<Entry> all = fill_indexed(*writer, 200);
  auto reader = SharedBuffer::open_for_reader(fs, kDir);
  REQUIRE(reader);
  const uint64_t piece = 7 * SharedBuffer::entry_footprint(all[0]);
  auto slice = [&](size_t from, size_t to) {
    return std::vector<Entry>(all.begin() + from, all.begin() + to);
  };
  BufferCopy copy;
  reader->copy(everything(), all.back().offset, copy, piece);
  CHECK(copy.entries() == slice(0, 7));
  reader->copy(after(copy.last()), all.back().offset, copy, piece);
  CHECK(copy.entries() == slice(7, 14));
  // A range that does not start at the last entry copied is not a continuation.
  reader->copy(from(all[3].offset), all.back().offset, copy, piece);
  CHECK(copy.entries() == slice(3, 10));
  reader->copy(after(copy.last()), all.back().offset, copy, piece);
  CHECK(copy.entries() == slice(10, 17));
  // The writer trims past the last entry copied: the next piece starts after the trim.
  writer->trim(all[120].offset);
  reader->copy(after(copy.last()), all.back().offset, copy);
  CHECK(copy.complete());
  CHECK(copy.entries() == slice(121, 200));
  // The last piece of another buffer's copy says nothing about this one.
  auto other = SharedBuffer::open_for_reader(fs, kDir);
  REQUIRE(other);
  other->copy(from(all[150].offset), all.back().offset, copy, piece);
  reader->copy(after(copy.last()), all.back().offset, copy, piece);
  CHECK(copy.entries() == slice(157, 164));
}

TEST_CASE("shared buffer: offset_from_end counts back from the index, over the disk too") {
  // 60 entries on disk, 200 in a buffer of many index stretches (one entry in four is
  // indexed): the n-th offset from the end, for n inside the last stretch, across stretches,
  // across the whole buffer and into the disk, and beyond the log.
  MemoryFileSystem fs;
  LogWriter writer(fs, kDir, manual_flush(kIndexedCapacity));
  std::vector<Entry> all;
  for (uint64_t tx = 1; tx <= 260; ++tx) {
    all.push_back(entry(tx, 0, std::string(1000, char('a' + tx % 26))));
    writer.append({all.back()});
    if (tx == 60) writer.flush();
  }
  LogReader reader(fs, kDir);
  REQUIRE(reader.stats().buffer);
  REQUIRE(reader.snapshot().last_persisted == all[59].offset);
  for (uint64_t n : {1, 2, 3, 4, 5, 9, 17, 33, 100, 199, 200, 201, 230, 259, 260}) {
    CAPTURE(n);
    CHECK(reader.offset_from_end(n) == all[all.size() - n].offset);
  }
  CHECK(reader.offset_from_end(261).is_before_all());
  CHECK(reader.offset_from_end(100000).is_before_all());
}

TEST_CASE("shared buffer: a follower asleep in wait_for_publish is woken by a publish") {
  DirectBuffer direct(64 << 10);
  direct.append({entry(1, 0, "first")});
  auto follower = SharedBuffer::open_for_reader(direct.fs, kDir);
  REQUIRE(follower);

  SUBCASE("without a writable header it sleeps its timeout") {
    const uint64_t seen = follower->publications();
    const auto start = std::chrono::steady_clock::now();
    follower->wait_for_publish(seen, 20ms);
    CHECK(std::chrono::steady_clock::now() - start >= 20ms);
  }
  SUBCASE("a publish wakes it long before its timeout") {
    follower->attach_follower(direct.fs, kDir);
    const uint64_t seen = follower->publications();
    std::atomic<bool> woken{false};
    std::thread sleeper([&] {
      while (follower->publications() == seen) follower->wait_for_publish(seen, 60s);
      woken = true;
    });
    std::this_thread::sleep_for(20ms);
    const auto published = std::chrono::steady_clock::now();
    direct.append({entry(2, 0, "second")});
    sleeper.join();
    CHECK(woken);
    CHECK(std::chrono::steady_clock::now() - published < 30s);
  }
  SUBCASE("a publish between the look and the wait is not slept through") {
    follower->attach_follower(direct.fs, kDir);
    const uint64_t seen = follower->publications();
    direct.append({entry(2, 0, "second")});
    const auto start = std::chrono::steady_clock::now();
    follower->wait_for_publish(seen, 60s);  // the word moved already: returns at once
    CHECK(std::chrono::steady_clock::now() - start < 30s);
  }
}
