#include "segment/disk_log_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "segment/index_check.h"
#include "segment/log_directory.h"
#include "segment/offset_index.h"
#include "segment/segment_scanner.h"
#include "shapelog/error.h"

namespace shapelog {

DiskLogReader::DiskLogReader(FileSystem& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}

template <class Visit>
void DiskLogReader::scan(Position from, Visit&& visit) const {
  std::vector<SegmentFile> segments = list_segments(fs_, dir_);
  uint64_t ordinal = from.ordinal;
  Offset previous = Offset::before_all();
  for (size_t i = 0; i < segments.size(); ++i) {
    const SegmentFile& segment = segments[i];
    if (segment.number < from.segment) continue;
    uint64_t start = segment.number == from.segment ? from.byte : 0;
    auto file = fs_.open_read(join_path(dir_, segment.name));
    // Invariant: start_from_index checked that a record starts here.
    if (start > file->size())
      throw Error(ErrorKind::Internal, "scan started past the end of a segment");
    SegmentScanner scanner(*file, segment.name, start, file->size(), i + 1 == segments.size());
    auto in_order = [&](const EntryView& entry, uint64_t record_position) {
      if (entry.offset <= previous)
        throw Error(ErrorKind::Corruption,
                    fmt::format("log damaged in segment {} at byte {}: offset {} does not follow "
                                "{}; run 'shapelog check' for the full report",
                                segment.name, record_position, entry.offset, previous));
      previous = entry.offset;
    };
    for (;;) {
      // Most of a long read: the records the read-ahead thread checked.
      if (!scanner.for_each_checked([&](const EntryView& entry, uint64_t record_position) {
            in_order(entry, record_position);
            return visit(entry, ordinal++);
          }))
        return;
      SegmentScanner::Step step = scanner.next();
      if (step == SegmentScanner::Step::End || step == SegmentScanner::Step::TornTail) break;
      if (step == SegmentScanner::Step::Damaged) {
        const Damage& damage = scanner.damage();
        throw Error(ErrorKind::Corruption,
                    fmt::format("log damaged in segment {} at byte {}: {}; run 'shapelog check' "
                                "for the full report",
                                damage.segment, damage.position, damage.reason));
      }
      const EntryView& entry = scanner.entry();
      in_order(entry, scanner.record_position());
      if (!visit(entry, ordinal++)) return;
    }
  }
}

void DiskLogReader::report_index_problem(const std::string& problem) const {
  if (reported_ || !warning_sink_) return;
  reported_ = true;
  warning_sink_(warning::IndexDistrusted{problem});
}

template <class Find>
DiskLogReader::Position DiskLogReader::start_from_index(Find&& find, Needs needs) const {
  const OffsetIndexReader index(fs_, dir_);
  const IndexLookup lookup = find(index);
  auto distrust = [&](const std::string& problem) {
    report_index_problem(problem);
    return Position{};
  };
  if (lookup.unreadable)
    return distrust(index.bad_magic()
                        ? "the index file does not start with the index magic"
                        : fmt::format("index entry {} fails its checksum", *lookup.unreadable));
  if (!lookup.found) return Position{};  // no index, or no entry before the target
  // Listed after the lookup: a writer creates a segment before it indexes it.
  const IndexCheck check(fs_, dir_, list_segments(fs_, dir_));
  // The first entry ties the index to this log, and catches most indexes of another log.
  const std::optional<IndexEntry> first = index.at(0);
  if (!first) return distrust("index entry 0 fails its checksum");
  if (auto problem = check.first_entry_problem(*first)) return distrust(*problem);
  const uint64_t number = *lookup.found;
  const std::optional<IndexEntry> entry = index.at(number);
  if (!entry) return distrust(fmt::format("index entry {} fails its checksum", number));
  std::optional<std::string> problem;
  if (needs == Needs::Count && number > 0) {
    const std::optional<IndexEntry> previous = index.at(number - 1);
    problem = previous ? check.link_problem(number, *previous, *entry)
                       : fmt::format("index entry {} fails its checksum", number - 1);
  } else if (number > 0) {
    problem = check.record_problem(number, *entry);
  }
  if (problem) return distrust(*problem);
  return Position{entry->segment, entry->position, entry->ordinal};
}

DiskLogReader::ReadSummary DiskLogReader::read(const ReadRange& range, Offset end,
                                               const EntrySink& sink) const {
  ReadSummary summary;
  if (end.is_before_all() || (range.to && *range.to < range.start)) return summary;
  if (range.to) end = std::min(end, *range.to);
  const Position from = start_from_index(
      [&](const OffsetIndexReader& index) { return index.find_floor(range.start); },
      Needs::Position);
  scan(from, [&](const EntryView& entry, uint64_t) {
    if (entry.offset > end) return false;
    // Offsets increase (scan checks), so once one entry is past the start, all are.
    if (summary.entries == 0) {
      if (!range.above_start(entry.offset)) return true;
      summary.first = entry.offset;
    }
    ++summary.entries;
    summary.last = entry.offset;
    summary.stopped = !sink(entry);
    return !summary.stopped;
  });
  return summary;
}

DiskLogReader::Tail DiskLogReader::tail() const {
  const Position from = start_from_index(
      [](const OffsetIndexReader& index) { return index.find_last(); }, Needs::Count);
  Tail tail;
  tail.count = from.ordinal;
  scan(from, [&](const EntryView& entry, uint64_t ordinal) {
    tail.last = entry.offset;
    tail.count = ordinal + 1;
    return true;
  });
  return tail;
}

std::optional<Offset> DiskLogReader::offset_of_ordinal(uint64_t wanted) const {
  const Position from = start_from_index(
      [&](const OffsetIndexReader& index) { return index.find_floor_ordinal(wanted); },
      Needs::Count);
  std::optional<Offset> found;
  scan(from, [&](const EntryView& entry, uint64_t ordinal) {
    if (ordinal == wanted) found = entry.offset;
    return ordinal < wanted;
  });
  return found;
}

}  // namespace shapelog
