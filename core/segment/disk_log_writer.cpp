#include "segment/disk_log_writer.h"

#include <algorithm>

#include <fmt/format.h>

#include "segment/index_check.h"
#include "segment/log_directory.h"
#include "segment/record_codec.h"
#include "segment/segment_scanner.h"
#include "shapelog/error.h"

namespace shapelog {

namespace {
constexpr size_t kWriteChunkBytes = 1 << 20;
}

DiskLogWriter::DiskLogWriter(FileSystem& fs, std::string dir, DiskLogOptions options)
    : fs_(fs), dir_(std::move(dir)), options_(options) {
  recover();
}

void DiskLogWriter::check_usable() const {
  if (failure_)
    throw Error(ErrorKind::Io,
                fmt::format("this writer stopped after an earlier failure ({}); nothing more is "
                            "written until the log is reopened",
                            *failure_));
}

// Runs an I/O action; the first failure becomes sticky.
template <class Action>
void DiskLogWriter::guarded(Action&& action) {
  check_usable();
  try {
    action();
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::Io) failure_ = error.what();
    throw;
  }
}

// The longest prefix of the index that agrees with the segments, as far as index_check.h
// can tell without a full scan (the entries before its last one are not read again: that
// is `check`'s job); empty when it is unusable.
std::vector<IndexEntry> DiskLogWriter::usable_index_prefix(
    const std::vector<SegmentFile>& segments) {
  bool damaged = false;
  std::vector<IndexEntry> entries = OffsetIndexReader(fs_, dir_).load_all(damaged);
  if (damaged) warnings_.push_back(warning::IndexDamaged{});
  const IndexCheck check(fs_, dir_, segments);
  const size_t loaded = entries.size();
  if (!entries.empty() && check.first_entry_problem(entries.front())) entries.clear();
  while (entries.size() > 1 &&
         check.link_problem(entries.size() - 1, entries[entries.size() - 2], entries.back()))
    entries.pop_back();
  // (An index that does not match from its first entry on gets recover()'s warning.)
  if (!entries.empty() && entries.size() < loaded)
    warnings_.push_back(warning::IndexMismatchFrom{entries.size()});
  return entries;
}

void DiskLogWriter::cut_torn_tail(const std::string& segment_name, uint64_t position,
                                  const std::string& why) {
  std::string path = join_path(dir_, segment_name);
  auto reader = fs_.open_read(path);
  const uint64_t size = reader->size();
  // In chunks, twice: a tail can be as large as a segment, or larger (a file extended with
  // zeros), and a tail of zeros holds nothing worth a copy.
  std::vector<std::byte> chunk(std::min<uint64_t>(kWriteChunkBytes, size - position));
  auto for_each_chunk = [&](auto&& visit) {
    for (uint64_t at = position; at < size;) {
      const size_t got =
          reader->read_at(at, {chunk.data(), std::min<uint64_t>(chunk.size(), size - at)});
      if (got == 0) break;
      if (!visit(std::span<const std::byte>(chunk.data(), got))) return;
      at += got;
    }
  };
  bool nonzero = false;
  for_each_chunk([&](std::span<const std::byte> bytes) {
    nonzero =
        std::any_of(bytes.begin(), bytes.end(), [](std::byte b) { return b != std::byte{0}; });
    return !nonzero;
  });
  warning::TornTailCut cut{segment_name, position, size - position, why, ""};
  if (nonzero) {
    std::string copy = fmt::format("{}{}-{}.bytes", format::kCutFilePrefix,
                                   segment_name.substr(0, format::kSegmentNameDigits), position);
    // Written under another name and renamed, so a crash never leaves half a copy.
    const std::string temp = join_path(dir_, copy + ".partial");
    if (fs_.exists(temp)) fs_.remove(temp);
    {
      auto out = fs_.open_append(temp);
      for_each_chunk([&](std::span<const std::byte> bytes) {
        out->append(bytes);
        return true;
      });
      out->sync();
    }
    fs_.rename(temp, join_path(dir_, copy));
    fs_.sync_dir(dir_);
    cut.copy = std::move(copy);
  }
  auto writer = fs_.open_append(path);
  writer->truncate(position);
  writer->sync();
  warnings_.push_back(std::move(cut));
}

void DiskLogWriter::recover() {
  std::vector<SegmentFile> segments = list_segments(fs_, dir_);
  std::vector<IndexEntry> index = usable_index_prefix(segments);
  size_t valid_count = index.size();
  std::string index_path = join_path(dir_, std::string(format::kIndexFileName));
  uint64_t index_file_size = fs_.exists(index_path) ? fs_.open_read(index_path)->size() : 0;
  bool index_matches =
      index_file_size == format::kIndexMagic.size() + index.size() * format::kIndexEntrySize;
  if (index.empty() && !segments.empty() && index_file_size > format::kIndexMagic.size())
    warnings_.push_back(warning::IndexMismatch{});

  // Scan from the last trustworthy index entry (it is encoded again by the scan) to the end.
  uint64_t start_segment = segments.empty() ? 0 : segments.front().number;
  uint64_t start_byte = 0;
  if (!index.empty()) {
    start_segment = index.back().segment;
    start_byte = index.back().position;
    entry_count_ = index.back().ordinal;
    index.pop_back();
  }
  std::string new_index;
  for (const IndexEntry& entry : index) encode_index_entry(entry, new_index);
  size_t entries_found = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    const SegmentFile& segment = segments[i];
    if (segment.number < start_segment) continue;
    auto file = fs_.open_read(join_path(dir_, segment.name));
    uint64_t from = segment.number == start_segment ? start_byte : 0;
    SegmentScanner scanner(*file, segment.name, from, file->size(), i + 1 == segments.size());
    bool first = true;
    for (;;) {
      SegmentScanner::Step step = scanner.next();
      if (step == SegmentScanner::Step::End) break;
      if (step == SegmentScanner::Step::TornTail) {
        cut_torn_tail(segment.name, scanner.damage().position, scanner.damage().reason);
        break;
      }
      if (step == SegmentScanner::Step::Damaged) {
        const Damage& damage = scanner.damage();
        throw Error(ErrorKind::Corruption,
                    fmt::format("cannot open the log for writing: segment {} is damaged at byte "
                                "{} ({}); run 'shapelog check' for the full report",
                                damage.segment, damage.position, damage.reason));
      }
      const EntryView& entry = scanner.entry();
      if (entry.offset <= last_offset_)
        throw Error(
            ErrorKind::Corruption,
            fmt::format("cannot open the log for writing: segment {} at byte {} holds "
                        "offset {} after {}; run 'shapelog check'",
                        segment.name, scanner.record_position(), entry.offset, last_offset_));
      uint64_t position = scanner.record_position();
      if (first || position - last_indexed_position_ >= options_.index_interval_bytes) {
        encode_index_entry({entry.offset, entry_count_, segment.number, position}, new_index);
        last_indexed_position_ = position;
        ++entries_found;
      }
      first = false;
      last_offset_ = entry.offset;
      ++entry_count_;
    }
    segment_number_ = segment.number;
    segment_size_ = scanner.position();
  }

  if (!index_matches || index.size() + entries_found != valid_count)
    fs_.write_file(index_path, as_bytes(std::string(format::kIndexMagic) + new_index));
  index_ = fs_.open_append(index_path);
  if (segment_number_ != 0) {
    segment_ = fs_.open_append(join_path(dir_, segment_file_name(segment_number_)));
    // A writer that died after writing but before syncing (or whose sync failed) may have
    // left records that are only in the page cache. Everything found here is about to be
    // published as persisted, so it must be durable first, and so must the segment's name.
    segment_->sync();
    fs_.sync_dir(dir_);
  }
}

void DiskLogWriter::start_segment(uint64_t number) {
  segment_ = fs_.open_append(join_path(dir_, segment_file_name(number)));
  segment_number_ = number;
  segment_size_ = 0;
  last_indexed_position_ = 0;
  directory_dirty_ = true;
}

void DiskLogWriter::write_pending() {
  if (pending_.empty()) return;
  segment_->append(pending_.bytes());
  pending_.clear();
}

void DiskLogWriter::append(const EntryView& entry) {
  guarded([&] {
    if (entry.offset <= last_offset_)
      throw Error(ErrorKind::Internal,
                  fmt::format("append of offset {} after {}", entry.offset, last_offset_));
    const uint64_t record_size = encoded_size(entry);
    if (segment_number_ == 0 ||
        (segment_size_ > 0 && segment_size_ + record_size > options_.segment_bytes)) {
      if (segment_) {
        write_pending();
        segment_->sync();
      }
      start_segment(segment_number_ + 1);
    }
    uint64_t position = segment_size_;
    if (position == 0 || position - last_indexed_position_ >= options_.index_interval_bytes) {
      encode_index_entry({entry.offset, entry_count_, segment_number_, position}, pending_index_);
      last_indexed_position_ = position;
    }
    encode_record(entry, pending_.grow(encoded_size(entry)));
    unsynced_ = true;
    segment_size_ += record_size;
    last_offset_ = entry.offset;
    ++entry_count_;
    if (pending_.size() >= kWriteChunkBytes) write_pending();
  });
}

void DiskLogWriter::sync() {
  guarded([&] {
    if (!segment_ || !unsynced_) return;
    write_pending();
    segment_->sync();
    if (directory_dirty_) {
      fs_.sync_dir(dir_);
      directory_dirty_ = false;
    }
    if (!pending_index_.empty()) {
      index_->append(as_bytes(pending_index_));
      pending_index_.clear();
    }
    unsynced_ = false;
  });
}

}  // namespace shapelog
