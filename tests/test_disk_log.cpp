// The durable segment log: DiskLogWriter, DiskLogReader, the offset index and check_log.
#include <algorithm>
#include <cstring>

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
#include "shapelog/log_reader.h"
#include "shapelog/memory_file_system.h"
#include "shapelog/posix_file_system.h"
#include "storage/temporary_directory.h"

using namespace shapelog;
using namespace shapelog::logtest;

namespace {

const std::string kDir = "/log";
const Offset kNoEnd(UINT64_MAX, UINT64_MAX);

// Small segments (a few records each) and an index entry about every other record.
DiskLogOptions small_segments() { return DiskLogOptions{256, 64}; }

// n entries, two per transaction, values of varied length; every fifth one is JSON.
std::vector<Entry> sample_entries(size_t n, uint64_t first_tx = 1) {
  std::vector<Entry> entries;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t tx = first_tx + i / 2, op = i % 2;
    if (i % 5 == 4) entries.push_back(json_entry(tx, op, fmt::format(R"({{"i":{}}})", i)));
    else entries.push_back(entry(tx, op, fmt::format("e{}-{}", i, std::string(i * 7 % 23, 'a'))));
  }
  return entries;
}

std::string path_of(const std::string& name) { return join_path(kDir, name); }

// A log on real files in a fresh temporary directory, written by one writer with segments of
// segment_bytes: `count` entries, one per transaction, entry i holding value_of(i).
struct RealDiskLog {
  TemporaryDirectory temp;
  const std::string dir = join_path(temp.path(), "log");
  PosixFileSystem fs;
  std::vector<Entry> entries;

  template <class ValueOf>
  RealDiskLog(std::string_view tag, uint64_t segment_bytes, uint64_t count, ValueOf&& value_of)
      : temp(tag) {
    create_log_directory(fs, dir);
    DiskLogWriter writer(fs, dir, DiskLogOptions{segment_bytes, kDefaultIndexIntervalBytes});
    for (uint64_t i = 0; i < count; ++i) {
      entries.push_back(entry(i + 1, 0, value_of(i)));
      writer.append(entries.back());
    }
    writer.sync();
  }
};

// A log directory on a MemoryFileSystem.
struct DiskLog {
  MemoryFileSystem fs;
  std::vector<Entry> entries;  // what was written, in order
  DiskLogOptions options = small_segments();

  DiskLog() { create_log_directory(fs, kDir); }

  // Appends with one writer, syncing every sync_every entries and at the end.
  DiskLogWriter& write(DiskLogWriter& writer, const std::vector<Entry>& more,
                       size_t sync_every = 7) {
    for (size_t i = 0; i < more.size(); ++i) {
      writer.append(more[i]);
      if ((i + 1) % sync_every == 0) writer.sync();
    }
    writer.sync();
    append_all(entries, more);
    return writer;
  }
  void write(const std::vector<Entry>& more) {
    DiskLogWriter writer(fs, kDir, options);
    write(writer, more);
  }

  DiskLogReader reader() { return DiskLogReader(fs, kDir); }
  std::vector<Entry> read_all() { return read_disk(reader(), everything()); }
  std::vector<SegmentFile> segments() { return list_segments(fs, kDir); }
  std::string last_segment_path() { return path_of(segments().back().name); }
  std::string index_bytes() { return fs.read_all(path_of(std::string(format::kIndexFileName))); }
  bool has_cut_files() {
    auto names = fs.list(kDir);
    return std::any_of(names.begin(), names.end(),
                       [](const std::string& n) { return n.starts_with(format::kCutFilePrefix); });
  }
};

struct RecordSpan {
  uint64_t start, end;
};

// Where each record of a segment file starts and ends.
std::vector<RecordSpan> record_spans(MemoryFileSystem& fs, const std::string& name) {
  auto file = fs.open_read(path_of(name));
  SegmentScanner scanner(*file, name, 0, file->size(), true);
  std::vector<RecordSpan> spans;
  while (scanner.next() == SegmentScanner::Step::Record)
    spans.push_back({scanner.record_position(), scanner.position()});
  return spans;
}

std::vector<CheckProblem> problems_except_index(const CheckReport& report) {
  std::vector<CheckProblem> out;
  for (const CheckProblem& p : report.problems)
    if (p.kind != CheckProblem::Kind::Index) out.push_back(p);
  return out;
}

// Reads everything, keeping what the sink got even when the read throws.
struct ReadOutcome {
  std::vector<Entry> got;
  std::optional<Error> error;
};
ReadOutcome read_catching(const DiskLogReader& reader) {
  ReadOutcome outcome;
  outcome.error = error_from([&] {
    reader.read(everything(), kNoEnd, [&](const EntryView& e) {
      outcome.got.push_back(e.owned());
      return true;
    });
  });
  return outcome;
}

bool is_prefix_of(const std::vector<Entry>& prefix, const std::vector<Entry>& whole) {
  return prefix.size() <= whole.size() && std::equal(prefix.begin(), prefix.end(), whole.begin());
}

}  // namespace

TEST_CASE("disk log: entries written across several segments read back whole") {
  DiskLog log;
  log.write(sample_entries(40));
  CHECK(log.segments().size() >= 5);
  CHECK(log.read_all() == log.entries);
  const CheckReport report = check_log(log.fs, kDir);
  CHECK(report.problems.empty());
  CHECK(report.records == 40);
  CHECK(report.segments == log.segments().size());
  CHECK(report.last == log.entries.back().offset);
}

TEST_CASE("disk log: every range kind over several segments") {
  DiskLog log;
  log.write(sample_entries(40));
  const DiskLogReader reader = log.reader();

  // Probes: before all, every entry, a point between every two entries, beyond the last.
  std::vector<Offset> probes = {Offset::before_all(), Offset(0, 0)};
  for (const Entry& e : log.entries) {
    probes.push_back(e.offset);
    probes.push_back(Offset(e.offset.tx(), e.offset.op() + 5));  // between entries
  }
  probes.push_back(Offset(UINT64_MAX, UINT64_MAX));

  SUBCASE("after / from, without an upper bound") {
    for (Offset start : probes) {
      for (bool inclusive : {false, true}) {
        const ReadRange range{start, inclusive, {}};
        CAPTURE(start);
        CAPTURE(inclusive);
        CHECK(read_disk(reader, range) == expected_in(log.entries, range, kNoEnd));
      }
    }
  }
  SUBCASE("after / from with to, every fourth probe pair") {
    for (size_t a = 0; a < probes.size(); a += 3) {
      for (size_t b = 0; b < probes.size(); b += 4) {
        for (bool inclusive : {false, true}) {
          const ReadRange range{probes[a], inclusive, probes[b]};
          CAPTURE(probes[a]);
          CAPTURE(probes[b]);
          CAPTURE(inclusive);
          CHECK(read_disk(reader, range) == expected_in(log.entries, range, kNoEnd));
        }
      }
    }
  }
  SUBCASE("the end bound fixed when the read starts") {
    for (const Entry& e : log.entries) {
      CAPTURE(e.offset);
      CHECK(read_disk(reader, everything(), e.offset) ==
            expected_in(log.entries, everything(), e.offset));
    }
    CHECK(read_disk(reader, everything(), Offset::before_all()).empty());
  }
  SUBCASE("empty ranges") {
    const Offset last = log.entries.back().offset;
    CHECK(read_disk(reader, after(last)).empty());
    CHECK(read_disk(reader, from(Offset(last.tx() + 1, 0))).empty());
    CHECK(read_disk(reader, after(Offset(3, 0), Offset(3, 0))).empty());
    CHECK(read_disk(reader, from(Offset(5, 0), Offset(4, 1))).empty());  // to below start
    CHECK(read_disk(reader, from(Offset(3, 2), Offset(3, 9))).empty());  // between entries
    CHECK(read_disk(reader, from(Offset(3, 0), Offset(3, 0))) ==
          std::vector<Entry>{log.entries[4]});
  }
  SUBCASE("a sink that stops early") {
    std::vector<Entry> got;
    reader.read(everything(), kNoEnd, [&](const EntryView& e) {
      got.push_back(e.owned());
      return got.size() < 3;
    });
    CHECK(got == std::vector<Entry>(log.entries.begin(), log.entries.begin() + 3));
  }
}

TEST_CASE("disk log: an empty log reads as empty") {
  DiskLog log;
  CHECK(log.read_all().empty());
  CHECK(log.reader().tail().count == 0);
  CHECK(log.reader().tail().last.is_before_all());
  CHECK_FALSE(log.reader().offset_of_ordinal(0).has_value());
  DiskLogWriter writer(log.fs, kDir, log.options);
  CHECK(writer.entry_count() == 0);
  CHECK(writer.last_offset().is_before_all());
  CHECK(writer.warnings().empty());
}

TEST_CASE("disk log: the writer rejects offsets that do not increase") {
  DiskLog log;
  DiskLogWriter writer(log.fs, kDir, log.options);
  writer.append(entry(5, 0));
  CHECK(error_kind([&] { writer.append(entry(5, 0)); }) == ErrorKind::Internal);
  CHECK(error_kind([&] { writer.append(entry(4, 9)); }) == ErrorKind::Internal);
  writer.append(entry(5, 1));  // the rejection does not poison the writer
  writer.sync();
  CHECK(offsets_of(log.read_all()) == std::vector<Offset>{Offset(5, 0), Offset(5, 1)});
}

TEST_CASE("disk log: entry_count and last_offset after reopen") {
  DiskLog log;
  log.write(sample_entries(25));
  {
    DiskLogWriter writer(log.fs, kDir, log.options);
    CHECK(writer.entry_count() == 25);
    CHECK(writer.last_offset() == log.entries.back().offset);
    CHECK(writer.warnings().empty());
    log.write(writer, sample_entries(6, 100));
    CHECK(writer.entry_count() == 31);
  }
  DiskLogWriter reopened(log.fs, kDir, log.options);
  CHECK(reopened.entry_count() == 31);
  CHECK(reopened.last_offset() == log.entries.back().offset);
  CHECK(log.reader().tail().count == 31);
  CHECK(log.reader().tail().last == log.entries.back().offset);
  CHECK(log.read_all() == log.entries);
}

TEST_CASE("disk log: a torn tail at every byte of the last record of the last segment") {
  const std::vector<Entry> entries = sample_entries(20);
  const std::vector<Entry> earlier(entries.begin(), entries.end() - 1);
  uint64_t start = 0, end = 0;
  {
    DiskLog probe;
    probe.write(entries);
    end = probe.fs.read_all(probe.last_segment_path()).size();
    start = end - format::kRecordHeaderSize - entries.back().bytes.size();
  }
  REQUIRE(start < end);
  for (uint64_t cut = start; cut < end; ++cut) {
    CAPTURE(cut);
    DiskLog log;
    log.write(entries);
    const std::string segment = log.segments().back().name;
    const std::string original = log.fs.read_all(path_of(segment));
    log.fs.truncate_file(path_of(segment), cut);

    // Readers see exactly the earlier entries: the torn record is a clean end.
    CHECK(log.read_all() == earlier);
    CHECK(log.reader().tail().last == earlier.back().offset);
    CHECK(log.reader().tail().count == earlier.size());

    // check says where the tail is torn.
    const std::vector<CheckProblem> problems = problems_except_index(check_log(log.fs, kDir));
    if (cut == start) {
      CHECK(problems.empty());
    } else {
      REQUIRE(problems.size() == 1);
      CHECK(problems[0].kind == CheckProblem::Kind::TornTail);
      CHECK(problems[0].file == segment);
      CHECK(problems[0].position == start);
    }

    // A writer cuts the tail, keeps non-zero cut bytes, and appends after it.
    {
      DiskLogWriter writer(log.fs, kDir, log.options);
      CHECK(writer.entry_count() == earlier.size());
      CHECK(writer.last_offset() == earlier.back().offset);
      CHECK(log.fs.read_all(path_of(segment)).size() == start);
      const std::string cut_bytes = original.substr(start, cut - start);
      const bool nonzero =
          std::any_of(cut_bytes.begin(), cut_bytes.end(), [](char c) { return c != 0; });
      const std::string copy = fmt::format("cut-{}-{}.bytes", segment.substr(0, 20), start);
      CHECK(log.fs.exists(path_of(copy)) == nonzero);
      if (nonzero) CHECK(log.fs.read_all(path_of(copy)) == cut_bytes);
      if (cut > start) {
        const auto* torn = find_warning<warning::TornTailCut>(writer.warnings());
        REQUIRE(torn);
        CHECK(torn->bytes == cut - start);
        CHECK(torn->segment == segment);
        CHECK(torn->position == start);
        CHECK(torn->copy == (nonzero ? copy : ""));
      } else {
        // Nothing to cut; only an index entry that named the removed record is reported.
        for (const Warning& warning : writer.warnings())
          CHECK((std::holds_alternative<warning::IndexMismatch>(warning) ||
                 std::holds_alternative<warning::IndexMismatchFrom>(warning)));
      }
      writer.append(entry(1000, 0, "after the cut"));
      writer.sync();
    }
    std::vector<Entry> expected = earlier;
    expected.push_back(entry(1000, 0, "after the cut"));
    CHECK(log.read_all() == expected);
    CHECK(check_log(log.fs, kDir).problems.empty());
  }
}

TEST_CASE("disk log: a zero-filled tail of the last segment is a clean end") {
  DiskLog log;
  log.write(sample_entries(12));
  const std::string segment = log.segments().back().name;
  const uint64_t size = log.fs.read_all(path_of(segment)).size();
  log.fs.truncate_file(path_of(segment), size + 100);

  CHECK(log.read_all() == log.entries);
  const CheckReport report = check_log(log.fs, kDir);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].kind == CheckProblem::Kind::TornTail);
  CHECK(report.problems[0].file == segment);
  CHECK(report.problems[0].position == size);
  CHECK(report.problems[0].reason.find("zero-filled tail") != std::string::npos);

  {
    DiskLogWriter writer(log.fs, kDir, log.options);
    const auto* torn = find_warning<warning::TornTailCut>(writer.warnings());
    REQUIRE(torn);
    CHECK(torn->bytes == 100);
    CHECK(torn->position == size);
    CHECK(torn->copy.empty());
    CHECK_FALSE(log.has_cut_files());  // nothing but zeros: no copy kept
    log.write(writer, {entry(500, 0)});
  }
  CHECK(log.read_all() == log.entries);
  CHECK(check_log(log.fs, kDir).problems.empty());
}

TEST_CASE("disk log: zeros or a torn record in a segment that is not the last are damage") {
  DiskLog log;
  log.write(sample_entries(20));
  REQUIRE(log.segments().size() >= 3);
  const std::string segment = log.segments()[1].name;
  const uint64_t size = log.fs.read_all(path_of(segment)).size();
  SUBCASE("zero-filled tail") { log.fs.truncate_file(path_of(segment), size + 64); }
  SUBCASE("partial record") { log.fs.truncate_file(path_of(segment), size - 3); }

  const auto error = error_from([&] { log.read_all(); });
  REQUIRE(error);
  CHECK(error->kind() == ErrorKind::Corruption);
  CHECK(std::string(error->what()).find(segment) != std::string::npos);
  const std::vector<CheckProblem> problems = problems_except_index(check_log(log.fs, kDir));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].kind == CheckProblem::Kind::Damage);
  CHECK(problems[0].file == segment);
  // The writer's recovery scans only the tail of the log, so it may open; it never hides the
  // damage from readers.
  const auto open_error = error_kind([&] { DiskLogWriter(log.fs, kDir, log.options); });
  CHECK((!open_error || *open_error == ErrorKind::Corruption));
  CHECK(error_kind([&] { log.read_all(); }) == ErrorKind::Corruption);
}

TEST_CASE("disk log: a flipped byte anywhere in a small log is detected, never returned") {
  const std::vector<Entry> entries = sample_entries(6);
  const DiskLogOptions options{100, 40};
  std::vector<SegmentFile> segments;
  std::vector<std::vector<RecordSpan>> spans;
  {
    DiskLog probe;
    probe.options = options;
    probe.write(entries);
    segments = probe.segments();
    for (const SegmentFile& s : segments) spans.push_back(record_spans(probe.fs, s.name));
  }
  REQUIRE(segments.size() >= 2);

  for (size_t s = 0; s < segments.size(); ++s) {
    for (size_t r = 0; r < spans[s].size(); ++r) {
      const RecordSpan span = spans[s][r];
      const bool last_record = s + 1 == segments.size() && r + 1 == spans[s].size();
      for (uint64_t pos = span.start; pos < span.end; ++pos) {
        for (const std::byte mask : {std::byte{0x01}, std::byte{0xff}}) {
          CAPTURE(segments[s].name);
          CAPTURE(pos);
          CAPTURE(static_cast<int>(mask));
          DiskLog log;
          log.options = options;
          log.write(entries);
          log.fs.corrupt(path_of(segments[s].name), pos, mask);
          // Torn only when the payload of the log's very last record is hit.
          const bool torn = last_record && pos >= span.start + format::kRecordHeaderSize;

          const ReadOutcome outcome = read_catching(log.reader());
          CHECK(is_prefix_of(outcome.got, entries));  // never a damaged value
          if (torn) {
            CHECK_FALSE(outcome.error);
            CHECK(outcome.got.size() == entries.size() - 1);
          } else {
            REQUIRE(outcome.error);
            CHECK(outcome.error->kind() == ErrorKind::Corruption);
            const std::string message = outcome.error->what();
            CHECK(message.find(segments[s].name) != std::string::npos);
            CHECK(message.find(fmt::format("at byte {}", span.start)) != std::string::npos);
          }

          const std::vector<CheckProblem> problems = problems_except_index(check_log(log.fs, kDir));
          REQUIRE(problems.size() == 1);
          CHECK(problems[0].kind ==
                (torn ? CheckProblem::Kind::TornTail : CheckProblem::Kind::Damage));
          CHECK(problems[0].file == segments[s].name);
          CHECK(problems[0].position == span.start);

          // A writer cuts a torn tail; damage it either refuses (when its recovery scan of
          // the tail meets it) or leaves in place for readers to report, never cuts away.
          const auto open_error = error_kind([&] { DiskLogWriter(log.fs, kDir, options); });
          if (torn) {
            CHECK_FALSE(open_error);
            CHECK(log.read_all().size() == entries.size() - 1);
          } else {
            CHECK((!open_error || *open_error == ErrorKind::Corruption));
            CHECK(error_kind([&] { log.read_all(); }) == ErrorKind::Corruption);
          }
        }
      }
    }
  }
}

TEST_CASE("disk log: a missing index is rebuilt on writer open") {
  DiskLog log;
  log.write(sample_entries(30));
  const std::string index_path = path_of(std::string(format::kIndexFileName));
  const std::string original = log.index_bytes();
  log.fs.remove(index_path);

  CHECK(log.read_all() == log.entries);  // readers scan without an index
  const CheckReport report = check_log(log.fs, kDir);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].kind == CheckProblem::Kind::Index);

  DiskLogWriter writer(log.fs, kDir, log.options);
  CHECK(writer.entry_count() == 30);
  CHECK(log.index_bytes() == original);
  CHECK(check_log(log.fs, kDir).problems.empty());
}

TEST_CASE("disk log: a truncated index file is repaired on writer open") {
  DiskLog log;
  log.write(sample_entries(30));
  const std::string index_path = path_of(std::string(format::kIndexFileName));
  const std::string original = log.index_bytes();
  REQUIRE(original.size() > format::kIndexMagic.size() + 4 * format::kIndexEntrySize);
  uint64_t keep = 0;
  SUBCASE("mid-entry") { keep = format::kIndexMagic.size() + 2 * format::kIndexEntrySize + 17; }
  SUBCASE("at an entry boundary") {
    keep = format::kIndexMagic.size() + 3 * format::kIndexEntrySize;
  }
  SUBCASE("inside the magic") { keep = 5; }
  log.fs.truncate_file(index_path, keep);

  CHECK(log.read_all() == log.entries);
  for (size_t i = 0; i < log.entries.size(); ++i) {
    CHECK(read_disk(log.reader(), after(log.entries[i].offset)) ==
          std::vector<Entry>(log.entries.begin() + static_cast<long>(i) + 1, log.entries.end()));
    CHECK(log.reader().offset_of_ordinal(i) == log.entries[i].offset);
  }
  CHECK(log.reader().tail().count == 30);

  DiskLogWriter writer(log.fs, kDir, log.options);
  CHECK(writer.entry_count() == 30);
  CHECK(log.index_bytes() == original);
  CHECK(check_log(log.fs, kDir).problems.empty());
}

TEST_CASE("disk log: index entries pointing past a truncated last segment") {
  const std::vector<Entry> entries = sample_entries(30);
  std::vector<RecordSpan> spans;
  {
    DiskLog probe;
    probe.write(entries);
    spans = record_spans(probe.fs, probe.segments().back().name);
  }
  REQUIRE(spans.size() >= 2);
  // Cut the last segment at each record boundary: the index still names the cut records.
  for (size_t keep = 0; keep < spans.size(); ++keep) {
    CAPTURE(keep);
    DiskLog log;
    log.write(entries);
    log.fs.truncate_file(log.last_segment_path(), spans[keep].start);
    const size_t remaining = entries.size() - (spans.size() - keep);
    const std::vector<Entry> kept(entries.begin(), entries.begin() + static_cast<long>(remaining));

    const DiskLogReader reader = log.reader();
    CHECK(read_disk(reader, everything()) == kept);
    for (const Entry& e : entries) {
      CAPTURE(e.offset);
      CHECK(read_disk(reader, from(e.offset)) == expected_in(kept, from(e.offset), kNoEnd));
    }
    CHECK(reader.tail().count == remaining);
    CHECK(reader.tail().last == kept.back().offset);
    for (size_t i = 0; i < entries.size(); ++i) {
      CAPTURE(i);
      CHECK(reader.offset_of_ordinal(i) ==
            (i < remaining ? std::optional(entries[i].offset) : std::nullopt));
    }
    CHECK_FALSE(check_log(log.fs, kDir).problems.empty());  // the stale index entries

    DiskLogWriter writer(log.fs, kDir, log.options);
    CHECK(writer.entry_count() == remaining);
    CHECK(writer.last_offset() == kept.back().offset);
    CHECK(check_log(log.fs, kDir).problems.empty());
  }
}

TEST_CASE("disk log: offset_of_ordinal and index floor lookups start near the target") {
  DiskLog log;
  log.write(sample_entries(60));
  const DiskLogReader reader = log.reader();
  const OffsetIndexReader index(log.fs, kDir);
  REQUIRE(index.size() > log.segments().size());  // several entries per segment

  // Every index entry names a real record, with its offset and ordinal.
  bool damaged = true;
  const std::vector<IndexEntry> all = index.load_all(damaged);
  CHECK_FALSE(damaged);
  REQUIRE(all.size() == index.size());
  for (const IndexEntry& e : all) {
    CAPTURE(e.offset);
    REQUIRE(e.ordinal < log.entries.size());
    CHECK(log.entries[e.ordinal].offset == e.offset);
    auto file = log.fs.open_read(path_of(segment_file_name(e.segment)));
    SegmentScanner scanner(*file, "", e.position, file->size(), false);
    REQUIRE(scanner.next() == SegmentScanner::Step::Record);
    CHECK(scanner.entry().offset == e.offset);
  }

  // Lookups land on the last index entry at or before the target, within a few records.
  for (size_t i = 0; i < log.entries.size(); ++i) {
    CAPTURE(i);
    CHECK(reader.offset_of_ordinal(i) == log.entries[i].offset);
    const auto by_offset = index.floor(log.entries[i].offset);
    const auto by_ordinal = index.floor_ordinal(i);
    REQUIRE(by_offset);
    REQUIRE(by_ordinal);
    CHECK(*by_offset == *by_ordinal);
    CHECK(by_offset->ordinal <= i);
    CHECK(i - by_offset->ordinal <= 2);
    const auto next = std::find(all.begin(), all.end(), *by_offset) + 1;
    CHECK((next == all.end() || next->ordinal > i));  // the last such entry
  }
  CHECK_FALSE(reader.offset_of_ordinal(log.entries.size()).has_value());
  CHECK_FALSE(index.floor(Offset::before_all()).has_value());
  CHECK(index.floor(kNoEnd) == index.last());
  CHECK(index.floor_ordinal(UINT64_MAX) == index.last());
}

TEST_CASE("disk log: a damaged index entry never changes what reads return") {
  DiskLog log;
  log.write(sample_entries(24));
  const std::string index_path = path_of(std::string(format::kIndexFileName));
  const uint64_t size = log.index_bytes().size();
  for (uint64_t pos = 0; pos < size; pos += 3) {
    CAPTURE(pos);
    log.fs.corrupt(index_path, pos, std::byte{0x10});
    for (size_t i = 0; i < log.entries.size(); i += 5) {
      CHECK(read_disk(log.reader(), from(log.entries[i].offset)) ==
            expected_in(log.entries, from(log.entries[i].offset), kNoEnd));
      CHECK(log.reader().offset_of_ordinal(i) == log.entries[i].offset);
    }
    CHECK(log.reader().tail().count == 24);
    CHECK_FALSE(check_log(log.fs, kDir).problems.empty());
    log.fs.corrupt(index_path, pos, std::byte{0x10});  // undo
  }
  CHECK(check_log(log.fs, kDir).problems.empty());
}

TEST_CASE("disk log: without a shared buffer a LogReader ends at the last whole record") {
  DiskLog log;
  log.write(sample_entries(20));
  // Tear the last record: the index's last entry may name it.
  const uint64_t size = log.fs.read_all(log.last_segment_path()).size();
  log.fs.truncate_file(log.last_segment_path(), size - 1);
  const std::vector<Entry> earlier(log.entries.begin(), log.entries.end() - 1);
  LogReader reader(log.fs, kDir);
  REQUIRE(!reader.stats().buffer);
  CHECK(reader.snapshot().last_seen == earlier.back().offset);
  CHECK(reader.snapshot().last_persisted == earlier.back().offset);
  for (ReadStrategy strategy : kAllStrategies) CHECK(read_log(reader, strategy) == earlier);
  CHECK(reader.offset_from_end(1) == earlier.back().offset);
}

TEST_CASE("disk log: real segments before the last are read through mappings and read-ahead" *
          doctest::test_suite("concurrency")) {
  // PosixFileSystem maps segments before the last one, first in a window of 1 MiB; a scan that
  // goes on hands the rest to a read-ahead thread, in windows of 8 MiB. The last segment is
  // read with pread. 12 MiB segments put window edges inside the first segment, and records
  // of 132 bytes straddle them.
  RealDiskLog log("mapped", 12 << 20, 130'000,
                  [](uint64_t i) { return fmt::format("v{:020}-{}", i, std::string(78, 'x')); });
  const std::vector<SegmentFile> segments = list_segments(log.fs, log.dir);
  REQUIRE(segments.size() == 2);
  const DiskLogReader reader(log.fs, log.dir);
  CHECK(read_disk(reader, everything()) == log.entries);
  // Short ranges that start near the first window edge, through the index.
  const size_t edge = (1 << 20) / 132;
  for (size_t i : {edge - 2, edge, edge + 1}) {
    CAPTURE(i);
    CHECK(read_disk(reader, from(log.entries[i].offset, log.entries[i + 3].offset)) ==
          std::vector<Entry>(log.entries.begin() + i, log.entries.begin() + i + 4));
  }

  // A scan of the whole first segment reads 11 of its 12 MiB through the read-ahead thread's
  // two 8 MiB windows; a short scan starts no thread.
  {
    auto file = log.fs.open_read(join_path(log.dir, segments[0].name));
    SegmentScanner whole(*file, segments[0].name, 0, file->size(), false);
    uint64_t records = 0;
    while (whole.next() == SegmentScanner::Step::Record) ++records;
    CHECK(records == file->size() / 132);
    CHECK(whole.ahead_windows() == 2);
    SegmentScanner short_scan(*file, segments[0].name, 0, file->size(), false);
    for (int i = 0; i < 1000; ++i) REQUIRE(short_scan.next() == SegmentScanner::Step::Record);
    CHECK(short_scan.ahead_windows() == 0);
  }

  // Flips a payload byte of the record at byte damaged_at of the segment `name` (whose bytes
  // are `bytes`) and checks that a read stops before that record, after `before` entries,
  // naming the segment and the record's byte position.
  auto read_stops_at = [&](const std::string& name, std::string bytes, uint64_t damaged_at,
                           uint64_t before) {
    bytes[damaged_at + 40] ^= 0x01;  // inside the payload
    log.fs.write_file(join_path(log.dir, name), as_bytes(bytes));
    const ReadOutcome outcome = read_catching(reader);
    REQUIRE(outcome.error);
    CHECK(outcome.error->kind() == ErrorKind::Corruption);
    CHECK(std::string(outcome.error->what())
              .starts_with(fmt::format("log damaged in segment {} at byte {}: record payload "
                                       "checksum mismatch",
                                       name, damaged_at)));
    CHECK(outcome.got == std::vector<Entry>(log.entries.begin(), log.entries.begin() + before));
  };

  // A flipped byte in the first (mapped) segment: just past the first window edge, where the
  // scan and the read-ahead thread start together, and deep in the second read-ahead window.
  // The read stops before that record and names the segment and the record's byte position.
  const std::string first = join_path(log.dir, segments[0].name);
  auto file = log.fs.open_read(first);
  std::string intact(file->size(), '\0');
  file->read_at(0, std::as_writable_bytes(std::span(intact)));
  for (uint64_t damaged_record : {edge + 10, size_t{10 << 20} / 132}) {
    CAPTURE(damaged_record);
    const uint64_t damaged_at = damaged_record * 132;
    read_stops_at(segments[0].name, intact, damaged_at, damaged_record);
    // check reads on past the damaged record, and finds no other damaged record. (The index
    // entries after it count the record it no longer counts: index problems, not looked at.)
    const CheckReport report = check_log(log.fs, log.dir);
    std::vector<uint64_t> damage;
    for (const CheckProblem& problem : report.problems)
      if (problem.kind == CheckProblem::Kind::Damage) damage.push_back(problem.position);
    CHECK(damage == std::vector<uint64_t>{damaged_at});
    CHECK(report.records == log.entries.size() - 1);
  }

  // The last segment is read with pread, never mapped, but a long scan of it hands that to a
  // read-ahead thread too (windows of 1 MiB), and a flipped byte deep in it stops the read at
  // that record.
  log.fs.write_file(first, as_bytes(intact));
  const std::string last_path = join_path(log.dir, segments[1].name);
  auto last = log.fs.open_read(last_path);
  {
    SegmentScanner whole(*last, segments[1].name, 0, last->size(), true);
    uint64_t records = 0;
    while (whole.next() == SegmentScanner::Step::Record) ++records;
    CHECK(records == last->size() / 132);
    CHECK(whole.ahead_windows() >= 3);
  }
  const uint64_t in_first = file->size() / 132;
  const uint64_t damaged_record = (3 << 20) / 132 + 7;
  std::string last_bytes(last->size(), '\0');
  last->read_at(0, std::as_writable_bytes(std::span(last_bytes)));
  read_stops_at(segments[1].name, last_bytes, damaged_record * 132, in_first + damaged_record);
}

TEST_CASE("disk log: a record longer than a read-ahead window reads back whole" *
          doctest::test_suite("concurrency")) {
  // One 9 MiB value among small ones, in a 32 MiB segment that is not the last: the read-ahead
  // thread maps a window of the record's size for it, and the scan goes on with it.
  RealDiskLog log("big-record", 32 << 20, 200'000, [](uint64_t i) {
    return std::string(i == 30'000 ? (9 << 20) : 100, 'a' + static_cast<char>(i % 26));
  });
  REQUIRE(list_segments(log.fs, log.dir).size() == 2);
  CHECK(read_disk(DiskLogReader(log.fs, log.dir), everything()) == log.entries);
  CHECK(check_log(log.fs, log.dir).problems.empty());
}

TEST_CASE("disk log: a header claiming more than the limit at the tail is cut, not a dead end") {
  // A valid header checksum over a length above kMaxPayloadSize, and the file ends before
  // that length: no record can be there. It used to make the log unwritable, and --repair
  // refused to cut it.
  DiskLog log;
  log.write(sample_entries(12));
  std::string forged;
  encode_record(entry(100, 0, "forged"), forged);
  const uint32_t length = format::kMaxPayloadSize + 1;
  std::memcpy(forged.data() + 8, &length, 4);
  const uint32_t crc = checksum32(as_bytes(std::string_view(forged).substr(4, 28)));
  std::memcpy(forged.data(), &crc, 4);
  const std::string segment = log.segments().back().name;
  const uint64_t size = log.fs.read_all(path_of(segment)).size();
  log.fs.open_append(path_of(segment))->append(as_bytes(forged));

  CHECK(log.read_all() == log.entries);
  const CheckReport report = check_log(log.fs, kDir);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].kind == CheckProblem::Kind::TornTail);
  CHECK(report.problems[0].position == size);
  CHECK_FALSE(report.has_unrepairable_damage());

  SUBCASE("check --repair cuts it") {
    repair_log(log.fs, kDir, std::chrono::milliseconds(50), "test");
  }
  SUBCASE("the next writer cuts it") {
    DiskLogWriter writer(log.fs, kDir, log.options);
    const auto* torn = find_warning<warning::TornTailCut>(writer.warnings());
    REQUIRE(torn);
    CHECK(torn->position == size);
    CHECK(torn->reason.find("more than the limit of") != std::string::npos);
    writer.append(entry(100, 0, "after"));
    writer.sync();
    log.entries.push_back(entry(100, 0, "after"));
  }
  CHECK(log.read_all() == log.entries);
  CHECK(check_log(log.fs, kDir).problems.empty());
  const std::string copy = fmt::format("cut-{}-{}.bytes", segment.substr(0, 20), size);
  CHECK(log.fs.read_all(path_of(copy)) == forged);
}
