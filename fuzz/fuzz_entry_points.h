// What the libFuzzer targets run on one input, shared with the doctest regression test
// (tests/test_crash_recovery.cpp replays testdata/fuzz-regressions/<target>/* through these
// same functions). A broken property throws fuzz::Violation; the fuzz targets turn that into
// an abort so that libFuzzer saves the input, the test turns it into a failure.
//
// Expected rejections are shapelog::Error of the documented kind and are swallowed here;
// anything else (another exception, a crash, a sanitizer report) is a finding.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "segment/disk_log_reader.h"
#include "segment/disk_log_writer.h"
#include "segment/log_checker.h"
#include "segment/log_directory.h"
#include "segment/record_codec.h"
#include "segment/record_format.h"
#include "segment/segment_scanner.h"
#include "shapelog/entry.h"
#include "shapelog/error.h"
#include "shapelog/memory_file_system.h"
#include "shapelog/offset.h"
#include "trace/trace_reader.h"
#include "trace/trace_writer.h"

namespace shapelog::fuzz {

struct Violation : std::logic_error {
  using std::logic_error::logic_error;
};

[[noreturn]] inline void violated(const std::string& what) { throw Violation(what); }

// For the fuzz targets: runs one input, aborts on a Violation (after printing it).
template <class F>
void run_or_abort(F&& f) {
  try {
    f();
  } catch (const Violation& v) {
    std::fprintf(stderr, "fuzz property violated: %s\n", v.what());
    std::abort();
  }
}

// ------------------------------------------------------------------ offsets

// A second, independent reading of the offset syntax: "-1", "N" or "TX_OP", each part a
// non-empty run of ASCII digits whose value fits in 64 bits.
inline std::optional<uint64_t> reference_u64(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

inline std::optional<Offset> reference_offset(std::string_view text) {
  if (text == "-1") return Offset::before_all();
  size_t underscore = text.find('_');
  if (underscore == std::string_view::npos) {
    auto tx = reference_u64(text);
    return tx ? std::optional(Offset(*tx, 0)) : std::nullopt;
  }
  auto tx = reference_u64(text.substr(0, underscore));
  auto op = reference_u64(text.substr(underscore + 1));
  if (!tx || !op) return std::nullopt;
  return Offset(*tx, *op);
}

inline void offset_one_input(std::string_view text) {
  std::optional<Offset> parsed = parse_offset(text);
  std::optional<Offset> expected = reference_offset(text);
  if (parsed.has_value() != expected.has_value() || (parsed && *parsed != *expected) ||
      (parsed && parsed->is_before_all() != expected->is_before_all()))
    violated(fmt::format("parse_offset({:?}) = {}, the syntax says {}", text,
                         parsed ? parsed->to_string() : "rejected",
                         expected ? expected->to_string() : "rejected"));
  if (parsed) {
    std::string shown = parsed->to_string();
    auto again = parse_offset(shown);
    if (!again || *again != *parsed || again->to_string() != shown)
      violated(fmt::format("to_string round trip of {:?}: {:?} does not parse back", text, shown));
  }
  // Any two 64-bit numbers make an offset whose text parses back to it.
  if (text.size() >= 16) {
    uint64_t tx = get_u64(reinterpret_cast<const std::byte*>(text.data()));
    uint64_t op = get_u64(reinterpret_cast<const std::byte*>(text.data() + 8));
    Offset offset(tx, op);
    std::string shown = offset.to_string();
    if (shown != fmt::format("{}_{}", tx, op)) violated("to_string of " + shown);
    auto again = parse_offset(shown);
    if (!again || *again != offset) violated(fmt::format("{:?} does not parse back", shown));
    if (tx == 0 || op != 0) return;
    auto bare = parse_offset(fmt::format("{}", tx));
    if (!bare || *bare != offset) violated(fmt::format("bare {} is not {}", tx, shown));
  }
}

// ------------------------------------------------------------------ traces

inline void trace_one_input(std::string_view text) {
  Trace trace;
  try {
    trace = parse_trace(text, "fuzz.json");
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::BadInput)
      violated(fmt::format("parse_trace threw kind {} (not BadInput): {}",
                           static_cast<int>(error.kind()), error.what()));
    if (std::string_view(error.what()).find("fuzz.json") == std::string_view::npos)
      violated(fmt::format("a rejection does not name the source: {}", error.what()));
    return;
  }
  // Whatever parses can be written back, and reads back the same.
  std::string written;
  try {
    written = write_trace(trace);
  } catch (const Error& error) {
    violated(fmt::format("write_trace refused a parsed trace: {}", error.what()));
  }
  Trace again;
  try {
    again = parse_trace(written, "written.json");
  } catch (const Error& error) {
    violated(fmt::format("a written trace does not parse: {}\n{}", error.what(), written));
  }
  if (!(again == trace)) violated("write then parse changed the trace:\n" + written);
}

// ------------------------------------------------------------------ records

// Input: byte 0 picks the shape, then (for each segment but the last) a 16-bit length, then
// the segment bytes.
//   bits 0-1: segments, 1 + (bits % 3)
//   bit 2:    also recover the log with a DiskLogWriter (cuts a torn tail, writes the
//             index), read it again through the index, append one more entry
struct RecordInput {
  std::vector<std::string> segments;
  bool recover = false;
};

inline RecordInput split_record_input(std::string_view data) {
  RecordInput input;
  if (data.empty()) {
    input.segments.emplace_back();
    return input;
  }
  uint8_t shape = static_cast<uint8_t>(data[0]);
  data.remove_prefix(1);
  size_t count = 1 + (shape & 3) % 3;
  input.recover = (shape & 4) != 0;
  for (size_t i = 0; i + 1 < count; ++i) {
    size_t length = 0;
    if (data.size() >= 2) {
      length = static_cast<uint8_t>(data[0]) | static_cast<size_t>(static_cast<uint8_t>(data[1]))
                                                   << 8;
      data.remove_prefix(2);
    }
    length = std::min(length, data.size());
    input.segments.emplace_back(data.substr(0, length));
    data.remove_prefix(length);
  }
  input.segments.emplace_back(data);
  return input;
}

// Scans one segment directly; every record returned must be exactly the encoding of its
// entry, at increasing positions inside the file.
inline std::vector<Entry> scan_segment_checked(const std::string& bytes, MemoryFileSystem& fs,
                                               const std::string& path, const std::string& name,
                                               bool is_last, bool& damaged) {
  auto file = fs.open_read(path);
  SegmentScanner scanner(*file, name, 0, file->size(), is_last);
  std::vector<Entry> entries;
  uint64_t last_end = 0;
  for (int guard = 0;; ++guard) {
    if (guard > 1'000'000) violated("segment scan does not end");
    SegmentScanner::Step step = scanner.next();
    if (step == SegmentScanner::Step::End) {
      if (scanner.position() != bytes.size()) violated("End before the end of the segment");
      return entries;
    }
    if (step == SegmentScanner::Step::TornTail) {
      if (!is_last) violated("a torn tail in a segment that is not the last");
      if (scanner.damage().position != last_end)
        violated(fmt::format("torn tail at {} but the last record ended at {}",
                             scanner.damage().position, last_end));
      return entries;
    }
    if (step == SegmentScanner::Step::Damaged) {
      damaged = true;
      if (scanner.damage().position != last_end || scanner.damage().position >= bytes.size())
        violated(fmt::format("damage reported at {} (last record ended at {}, size {})",
                             scanner.damage().position, last_end, bytes.size()));
      if (!scanner.can_skip()) return entries;
      scanner.skip();
      if (scanner.position() <= last_end || scanner.position() > bytes.size())
        violated("skip went nowhere or past the end");
      last_end = scanner.position();
      continue;
    }
    uint64_t start = scanner.record_position();
    uint64_t end = scanner.position();
    if (start != last_end || end <= start || end > bytes.size())
      violated(fmt::format("record at [{}, {}) after {} in a file of {}", start, end, last_end,
                           bytes.size()));
    std::string encoded;
    encode_record(scanner.entry(), encoded);
    if (std::string_view(bytes).substr(start, end - start) != encoded)
      violated(fmt::format("record at {} is not the encoding of the entry it returned", start));
    if (scanner.entry().offset.is_before_all()) violated("a record with offset before-all");
    entries.push_back(scanner.entry().owned());
    last_end = end;
  }
}

struct DiskRead {
  std::vector<Entry> entries;
  std::optional<std::string> corruption;
};

inline DiskRead read_whole_log(MemoryFileSystem& fs, const std::string& dir) {
  DiskRead out;
  try {
    const auto keep = [&](const EntryView& e) {
      out.entries.push_back(e.owned());
      return true;
    };
    DiskLogReader(fs, dir).read(ReadRange{}, Offset(UINT64_MAX, UINT64_MAX), keep);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::Corruption)
      violated(fmt::format("a read failed with kind {}: {}", static_cast<int>(error.kind()),
                           error.what()));
    out.corruption = error.what();
  }
  return out;
}

inline void record_reader_one_input(std::string_view data) {
  RecordInput input = split_record_input(data);
  MemoryFileSystem fs;
  const std::string dir = "log";
  fs.create_directories(dir);
  fs.write_file(join_path(dir, std::string(format::kHeaderFileName)),
                as_bytes(format::kHeaderContents));
  std::vector<Entry> scanned;  // every record the scanner returns, all segments
  bool scan_damaged = false;
  for (size_t i = 0; i < input.segments.size(); ++i) {
    std::string name = segment_file_name(i + 1);
    std::string path = join_path(dir, name);
    fs.write_file(path, as_bytes(input.segments[i]));
    bool damaged = false;
    for (Entry& e : scan_segment_checked(input.segments[i], fs, path, name,
                                         i + 1 == input.segments.size(), damaged))
      scanned.push_back(std::move(e));
    scan_damaged = scan_damaged || damaged;
  }
  for (size_t i = 1; i < scanned.size(); ++i)
    if (scanned[i].offset <= scanned[i - 1].offset) scan_damaged = true;

  CheckReport report = check_log(fs, dir);
  DiskRead read = read_whole_log(fs, dir);
  bool check_damaged = report.has_unrepairable_damage();
  if (check_damaged != scan_damaged)
    violated(fmt::format("check says damaged={} but the scan says damaged={}", check_damaged,
                         scan_damaged));
  if (!check_damaged) {
    if (read.corruption) violated("check found no damage but a read failed: " + *read.corruption);
    if (read.entries != scanned) violated("the reader and the scanner return different entries");
    if (report.records != scanned.size())
      violated(fmt::format("check counts {} records, the scan {}", report.records, scanned.size()));
    Offset last = scanned.empty() ? Offset::before_all() : scanned.back().offset;
    if (report.last != last) violated("check's last offset differs from the scan's");
    DiskLogReader::Tail tail = DiskLogReader(fs, dir).tail();
    if (tail.last != last || tail.count != scanned.size())
      violated(fmt::format("tail() is {} / {}, the scan found {} / {}", tail.last, tail.count, last,
                           scanned.size()));
    if (!scanned.empty()) {
      auto middle = DiskLogReader(fs, dir).offset_of_ordinal(scanned.size() / 2);
      if (!middle || *middle != scanned[scanned.size() / 2].offset)
        violated("offset_of_ordinal disagrees with the scan");
    }
  } else {
    // Whatever a read returned before it stopped is a prefix of what the scan returned.
    if (read.entries.size() > scanned.size() ||
        !std::equal(read.entries.begin(), read.entries.end(), scanned.begin()))
      violated("a read of a damaged log returned entries the scan did not");
  }

  if (!input.recover) return;
  std::optional<Error> refused;
  try {
    DiskLogWriter writer(fs, dir);
    if (check_damaged) violated("a writer opened a damaged log");
    if (writer.last_offset() != (scanned.empty() ? Offset::before_all() : scanned.back().offset))
      violated("the recovered writer's last offset differs from the scan");
    Offset next = scanned.empty() || scanned.back().offset.tx() == UINT64_MAX
                      ? Offset(0, 0)
                      : Offset(scanned.back().offset.tx() + 1, 0);
    if (!scanned.empty() && scanned.back().offset.tx() == UINT64_MAX) return;
    Entry extra{next, ValueKind::String, "appended after recovery"};
    writer.append(extra);
    writer.sync();
    scanned.push_back(extra);
  } catch (const Error& error) {
    if (!check_damaged || error.kind() != ErrorKind::Corruption)
      violated(fmt::format("recovery failed with kind {}: {}", static_cast<int>(error.kind()),
                           error.what()));
    return;
  }
  CheckReport after = check_log(fs, dir);
  if (after.damage_count() != 0)
    violated(fmt::format("after recovery check still finds {} problem(s): {}", after.damage_count(),
                         after.problems.front().reason));
  DiskRead again = read_whole_log(fs, dir);
  if (again.corruption || again.entries != scanned)
    violated("after recovery the log does not read back as the scanned entries plus one");
}

}  // namespace shapelog::fuzz
