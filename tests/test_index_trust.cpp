// The offset index is only a hint: whatever is done to the index file alone (bit flips,
// entries forged with valid checksums, truncation, zero fill, another log's index), every
// read returns what it returns with the index deleted, and the problem is reported once.
#include <random>

#include <doctest/doctest.h>

#include "log_test_support.h"
#include "segment/disk_log_reader.h"
#include "segment/disk_log_writer.h"
#include "segment/log_checker.h"
#include "segment/log_directory.h"
#include "segment/offset_index.h"
#include "segment/record_codec.h"
#include "segment/record_format.h"
#include "segment/segment_scanner.h"
#include "shapelog/memory_file_system.h"

using namespace shapelog;
using namespace shapelog::logtest;

namespace {

const std::string kDir = "/log";
const std::string kIndexPath = join_path(kDir, std::string(format::kIndexFileName));
const Offset kNoEnd(UINT64_MAX, UINT64_MAX);

// A log of `count` entries, values of varied length (value_bytes(i)), in small segments with
// an index entry about every other record.
struct IndexedLog {
  MemoryFileSystem fs;
  std::vector<Entry> entries;
  std::vector<IndexEntry> index;                       // as the writer wrote it
  std::vector<std::pair<uint64_t, uint64_t>> records;  // {segment, byte} of every record

  template <class ValueBytes>
  IndexedLog(size_t count, ValueBytes value_bytes) {
    create_log_directory(fs, kDir);
    DiskLogWriter writer(fs, kDir, DiskLogOptions{300, 64});
    for (size_t i = 0; i < count; ++i) {
      entries.push_back(entry(1 + i / 3, i % 3, std::string(value_bytes(i), 'a' + i % 26)));
      writer.append(entries.back());
      if (i % 5 == 4) writer.sync();
    }
    writer.sync();
    bool damaged = false;
    index = OffsetIndexReader(fs, kDir).load_all(damaged);
    REQUIRE_FALSE(damaged);
    for (const SegmentFile& segment : list_segments(fs, kDir)) {
      auto file = fs.open_read(join_path(kDir, segment.name));
      SegmentScanner scanner(*file, segment.name, 0, file->size(), false);
      while (scanner.next() == SegmentScanner::Step::Record)
        records.emplace_back(segment.number, scanner.record_position());
    }
    REQUIRE(records.size() == entries.size());
  }
  std::string index_bytes() { return fs.read_all(kIndexPath); }
  void set_index(const std::string& bytes) { fs.write_file(kIndexPath, as_bytes(bytes)); }
};

// Everything the index can speed up: reads from and after every offset (and between and
// beyond them), bounded reads, the tail and every entry number.
struct Answers {
  std::vector<std::vector<Entry>> reads;
  Offset last;
  uint64_t count = 0;
  std::vector<std::optional<Offset>> by_ordinal;
  bool operator==(const Answers&) const = default;
};

Answers answers(const DiskLogReader& reader, const std::vector<Entry>& entries) {
  Answers a;
  std::vector<Offset> starts{Offset::before_all(), Offset(0, 0), kNoEnd};
  for (const Entry& e : entries) {
    starts.push_back(e.offset);
    starts.push_back(Offset(e.offset.tx(), e.offset.op() + 7));  // between two entries
  }
  for (size_t i = 0; i < starts.size(); ++i)
    a.reads.push_back(i % 2 == 0
                          ? read_disk(reader, from(starts[i]))
                          : read_disk(reader, after(starts[i]), starts[(i * 7) % starts.size()]));
  const DiskLogReader::Tail tail = reader.tail();
  a.last = tail.last;
  a.count = tail.count;
  for (uint64_t i = 0; i <= entries.size() + 1; i += 1 + i % 3)
    a.by_ordinal.push_back(reader.offset_of_ordinal(i));
  return a;
}

// One random damage to an index file (`bytes`, the log's own index as entries `own`);
// `others` are the index files of other logs. Kinds 0, 3 and 4 are blunt (`blunt_only`).
// Forgeries rewrite one entry each: entries rewritten consistently with each other can shift
// the entry numbers they claim, which only a full count can tell (see index_check.h).
// Returns what it did, for the failure message.
std::string damage(std::string& bytes, const std::vector<IndexEntry>& own, const IndexedLog& log,
                   const std::vector<std::string>& others, std::mt19937_64& random,
                   bool blunt_only = false) {
  auto pick = [&](uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(random); };
  // Overwrite entry i (or append when i == the count) with e, checksum valid.
  auto forge = [&](uint64_t i, const IndexEntry& e) {
    std::string one;
    encode_index_entry(e, one);
    const size_t at = format::kIndexMagic.size() + i * format::kIndexEntrySize;
    if (bytes.size() < at + one.size()) bytes.resize(at + one.size());
    bytes.replace(at, one.size(), one);
  };
  const uint64_t count = own.size();
  const uint64_t kinds[] = {0, 3, 4};
  switch (blunt_only ? kinds[pick(3)] : pick(7)) {
    case 0: {
      const uint64_t flips = 1 + pick(4);
      for (uint64_t f = 0; f < flips; ++f)
        bytes[pick(bytes.size())] ^= static_cast<char>(1u << pick(8));
      return fmt::format("{} bit flips", flips);
    }
    case 1: {  // an entry of random claims, checksum valid
      const uint64_t i = pick(count);
      const auto& [segment, position] = log.records[pick(log.records.size())];
      IndexEntry e{log.entries[pick(log.entries.size())].offset, pick(log.entries.size() + 3),
                   segment + pick(3) - 1, pick(3) == 0 ? position : pick(400)};
      forge(i, e);
      return fmt::format("entry {} forged: {} #{} at {}:{}", i, e.offset, e.ordinal, e.segment,
                         e.position);
    }
    case 2: {  // a true entry with one claim changed, checksum valid
      const uint64_t i = pick(count);
      IndexEntry e = own[i];
      const uint64_t r = pick(log.records.size());
      const std::string what[] = {"ordinal", "position", "offset", "segment", "copy"};
      const uint64_t which = pick(5);
      switch (which) {
        case 0: e.ordinal = e.ordinal + pick(7) - 3; break;
        case 1: e.position = log.records[r].second; break;
        case 2: e.offset = log.entries[r].offset; break;
        case 3: e.segment = log.records[r].first; break;
        default: e = own[pick(count)]; break;
      }
      forge(i, e);
      return fmt::format("entry {}: {} changed", i, what[which]);
    }
    case 3: {
      const uint64_t keep = pick(bytes.size());
      bytes.resize(keep);
      return fmt::format("truncated to {} bytes", keep);
    }
    case 4: {
      const uint64_t start = pick(bytes.size()), length = 1 + pick(bytes.size() - start);
      std::fill_n(bytes.begin() + static_cast<long>(start), length, '\0');
      return fmt::format("zeros at {}..{}", start, start + length);
    }
    case 5: {  // another log's index, maybe cut short
      const uint64_t which = pick(others.size());
      bytes = others[which];
      if (pick(2) == 0) bytes.resize(pick(bytes.size()));
      return fmt::format("another log's index ({}), {} bytes", which, bytes.size());
    }
    default: {  // an entry appended past the end: a true-looking one
      IndexEntry e = own[pick(count)];
      e.ordinal += pick(3);
      forge(count, e);
      return fmt::format("entry {} appended: {} #{}", count, e.offset, e.ordinal);
    }
  }
}

}  // namespace

TEST_CASE("index trust: any damage to the index alone leaves every read as without an index") {
  IndexedLog log(90, [](size_t i) { return i * 13 % 41; });
  // Other logs: another layout; the same first records but another layout after them; the
  // same layout but other values (whose index is, in fact, right for this log).
  std::vector<std::string> others;
  others.push_back(IndexedLog(120, [](size_t i) { return 5 + i % 3; }).index_bytes());
  others.push_back(
      IndexedLog(90, [](size_t i) { return i < 4 ? i * 13 % 41 : 20 - i % 7; }).index_bytes());
  others.push_back(IndexedLog(60, [](size_t i) { return i * 13 % 41; }).index_bytes());

  const std::string original = log.index_bytes();
  log.fs.remove(kIndexPath);
  const Answers expected = answers(DiskLogReader(log.fs, kDir), log.entries);
  REQUIRE(expected.count == log.entries.size());
  log.set_index(original);
  REQUIRE(answers(DiskLogReader(log.fs, kDir), log.entries) == expected);

  std::mt19937_64 random(15);
  size_t reported = 0;
  constexpr int kDamages = 1200;
  for (int trial = 0; trial < kDamages; ++trial) {
    std::string bytes = original;
    std::string what = damage(bytes, log.index, log, others, random);
    if (trial % 4 == 3) what += "; " + damage(bytes, log.index, log, others, random, true);
    CAPTURE(trial);
    CAPTURE(what);
    log.set_index(bytes);
    DiskLogReader reader(log.fs, kDir);
    int reports = 0;
    reader.set_warning_sink([&](const Warning& warning) {
      CHECK(std::holds_alternative<warning::IndexDistrusted>(warning));
      ++reports;
    });
    REQUIRE(answers(reader, log.entries) == expected);
    CHECK(reports <= 1);
    reported += static_cast<size_t>(reports);

    // A writer that opens the log afterwards (keeping or rebuilding the index) changes no
    // answer either.
    if (trial % 50 == 0) {
      { DiskLogWriter writer(log.fs, kDir, DiskLogOptions{300, 64}); }
      CHECK(answers(DiskLogReader(log.fs, kDir), log.entries) == expected);
    }
  }
  // Most damage is noticed (the rest left the index true, or unused by these reads).
  CHECK(reported > kDamages / 2);
  MESSAGE(reported << " of " << kDamages << " damaged indexes were reported");
}

TEST_CASE("index trust: a writer rebuilds an index of another log, and check then finds none") {
  IndexedLog log(90, [](size_t i) { return i * 13 % 41; });
  const std::string original = log.index_bytes();
  log.set_index(IndexedLog(120, [](size_t i) { return 5 + i % 3; }).index_bytes());
  CHECK_FALSE(check_log(log.fs, kDir).problems.empty());
  DiskLogWriter writer(log.fs, kDir, DiskLogOptions{300, 64});
  CHECK(writer.entry_count() == log.entries.size());
  CHECK(log.index_bytes() == original);
  CHECK(check_log(log.fs, kDir).problems.empty());
}
