#include "segment/index_check.h"

#include <array>

#include <fmt/format.h>

#include "segment/record_codec.h"
#include "segment/segment_scanner.h"

namespace shapelog {

IndexCheck::IndexCheck(FileSystem& fs, std::string dir, std::vector<SegmentFile> segments)
    : fs_(fs), dir_(std::move(dir)), segments_(std::move(segments)) {}

const SegmentFile* IndexCheck::segment(uint64_t number) const {
  for (const SegmentFile& s : segments_)
    if (s.number == number) return &s;
  return nullptr;
}

std::optional<std::string> IndexCheck::first_entry_problem(const IndexEntry& first) const {
  if (segments_.empty())
    return fmt::format("index entry 0 names segment {}, but the log has no segment", first.segment);
  if (first.segment != segments_.front().number || first.position != 0 || first.ordinal != 0)
    return fmt::format(
        "index entry 0 says entry #{} at segment {} byte {}, not the log's first "
        "record (segment {} byte 0)",
        first.ordinal, first.segment, first.position, segments_.front().name);
  return record_problem(0, first);
}

std::optional<std::string> IndexCheck::record_problem(uint64_t number,
                                                      const IndexEntry& entry) const {
  const SegmentFile* file_of = segment(entry.segment);
  if (!file_of)
    return fmt::format("index entry {} names segment {}, which does not exist", number,
                       entry.segment);
  auto file = fs_.open_read(join_path(dir_, file_of->name));
  const uint64_t size = file->size();
  if (entry.position >= size)
    return fmt::format("index entry {} points at byte {} of segment {}, past its end ({} bytes)",
                       number, entry.position, file_of->name, size);
  // Exactly the record's bytes: a scanner would read a whole window, on every lookup.
  std::array<std::byte, format::kRecordHeaderSize> header_bytes{};
  HeaderCheck header_check = HeaderCheck::BadField;
  RecordHeader header{};
  if (file->read_at(entry.position, header_bytes) == header_bytes.size())
    header = decode_record_header(header_bytes, header_check);
  std::string payload;
  bool intact = header_check == HeaderCheck::Ok &&
                entry.position + format::kRecordHeaderSize + header.length <= size;
  if (intact) {
    payload.resize(header.length);
    intact = file->read_at(entry.position + format::kRecordHeaderSize,
                           {reinterpret_cast<std::byte*>(payload.data()), payload.size()}) ==
                 payload.size() &&
             checksum32(as_bytes(payload)) == header.payload_crc;
  }
  if (!intact)
    return fmt::format(
        "index entry {} points at segment {} byte {}, where no intact record "
        "starts",
        number, file_of->name, entry.position);
  if (header.offset != entry.offset)
    return fmt::format(
        "index entry {} says offset {} at segment {} byte {}, but the record "
        "there is {}",
        number, entry.offset, file_of->name, entry.position, header.offset);
  return std::nullopt;
}

std::optional<std::string> IndexCheck::link_problem(uint64_t number, const IndexEntry& previous,
                                                    const IndexEntry& entry) const {
  if (auto problem = record_problem(number - 1, previous)) return problem;
  if (auto problem = record_problem(number, entry)) return problem;
  auto broken = [&](std::string_view why) {
    return fmt::format(
        "index entries {} and {} say {} entries lie between them ({} to {}), "
        "but {}",
        number - 1, number, entry.ordinal - std::min(entry.ordinal, previous.ordinal),
        previous.offset, entry.offset, why);
  };
  if (entry.ordinal <= previous.ordinal) return broken("the entries are out of order");
  // Count the records from previous up to entry: in previous's segment, and, if entry starts
  // the next one, to that segment's end.
  const SegmentFile* from = segment(previous.segment);
  const bool next_segment = entry.segment != previous.segment;
  if (next_segment &&
      (entry.position != 0 || from == &segments_.back() || (from + 1)->number != entry.segment))
    return broken("the second is not in the same segment or at the start of the next");
  auto file = fs_.open_read(join_path(dir_, from->name));
  const uint64_t size = file->size();
  if (!next_segment && entry.position <= previous.position)
    return broken("the second does not come after the first");
  SegmentScanner scanner(*file, from->name, previous.position, next_segment ? size : entry.position,
                         false);
  uint64_t records = 0;
  for (;;) {
    SegmentScanner::Step step = scanner.next();
    if (step == SegmentScanner::Step::End) break;
    if (step != SegmentScanner::Step::Record)
      return broken(
          fmt::format("the records between them do not end where the second starts "
                      "({})",
                      scanner.damage().reason));
    ++records;
  }
  if (records != entry.ordinal - previous.ordinal)
    return broken(fmt::format("the segments hold {}", records));
  return std::nullopt;
}

}  // namespace shapelog
