#include "log/disk_log_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.h"
#include "log/log_directory.h"
#include "log/offset_index.h"
#include "log/segment_scanner.h"

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
    if (start > file->size()) {
      // An index entry past the end of its segment: the index is stale (a writer is about
      // to fix it). Scan from the first segment instead of trusting it.
      if (from.segment != 0) return scan(Position{}, visit);
      throw Error(ErrorKind::Internal, "scan started past the end of a segment");
    }
    SegmentScanner scanner(*file, segment.name, start, file->size(), i + 1 == segments.size());
    for (;;) {
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
      if (entry.offset <= previous)
        throw Error(ErrorKind::Corruption,
                    fmt::format("log damaged in segment {} at byte {}: offset {} does not follow "
                                "{}; run 'shapelog check' for the full report",
                                segment.name, scanner.record_position(), entry.offset, previous));
      previous = entry.offset;
      if (!visit(entry, ordinal++)) return;
    }
  }
}

DiskLogReader::ReadSummary DiskLogReader::read(const ReadRange& range, Offset end,
                                               const EntrySink& sink) const {
  ReadSummary summary;
  if (end.is_before_all() || (range.to && *range.to < range.start)) return summary;
  if (range.to) end = std::min(end, *range.to);
  Position from;
  if (auto hint = OffsetIndexReader(fs_, dir_).floor(range.start))
    from = Position{hint->segment, hint->position, hint->ordinal};
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
  Position from;
  if (auto hint = OffsetIndexReader(fs_, dir_).last())
    from = Position{hint->segment, hint->position, hint->ordinal};
  auto scan_tail = [&](Position start) {
    Tail tail;
    tail.count = start.ordinal;
    scan(start, [&](const EntryView& entry, uint64_t ordinal) {
      tail.last = entry.offset;
      tail.count = ordinal + 1;
      return true;
    });
    return tail;
  };
  Tail tail = scan_tail(from);
  // The last index entry names a record that is gone (a torn tail cut, or about to be): the
  // index is stale, and the last entry lies before it. Scan from the start instead.
  if (tail.last.is_before_all() && from.ordinal > 0) tail = scan_tail(Position{});
  return tail;
}

std::optional<Offset> DiskLogReader::offset_of_ordinal(uint64_t wanted) const {
  Position from;
  if (auto hint = OffsetIndexReader(fs_, dir_).floor_ordinal(wanted))
    from = Position{hint->segment, hint->position, hint->ordinal};
  std::optional<Offset> found;
  scan(from, [&](const EntryView& entry, uint64_t ordinal) {
    if (ordinal == wanted) found = entry.offset;
    return ordinal < wanted;
  });
  return found;
}

}  // namespace shapelog
