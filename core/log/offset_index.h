// The sparse offset index (record_format.h, "index"): a few entries per segment that let a
// reader start a scan close to any offset or entry number. Lookups binary-search the file
// with positioned reads, so they cost O(log n) reads and no memory. The index is derived
// data: the writer checks and extends it on open, and rebuilds it when it does not match the
// segments.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/offset.h"
#include "storage/file_system.h"

namespace shapelog {

struct IndexEntry {
  Offset offset;
  uint64_t ordinal = 0;   // entries before this one in the log
  uint64_t segment = 0;   // segment number
  uint64_t position = 0;  // byte position of the record in the segment

  bool operator==(const IndexEntry&) const = default;
};

void encode_index_entry(const IndexEntry& entry, std::string& out);

// Read side. Lookups return nullopt when the index is missing, empty, or unreadable at the
// probed place; callers then scan from the first segment.
class OffsetIndexReader {
 public:
  OffsetIndexReader(FileSystem& fs, const std::string& dir);

  // The last entry whose offset is <= target.
  std::optional<IndexEntry> floor(Offset target) const;
  // The last entry whose ordinal is <= ordinal.
  std::optional<IndexEntry> floor_ordinal(uint64_t ordinal) const;
  std::optional<IndexEntry> last() const;
  uint64_t size() const { return count_; }

  // Every entry in order, stopping at the first that fails its checksum; `damaged` is set
  // then (and when the magic is wrong). For the writer's recovery and for check.
  std::vector<IndexEntry> load_all(bool& damaged) const;

 private:
  std::optional<IndexEntry> at(uint64_t i) const;
  template <class Key>
  std::optional<IndexEntry> floor_by(Key key_of, decltype(key_of(IndexEntry{})) target) const;

  std::unique_ptr<ReadableFile> file_;
  uint64_t count_ = 0;
  bool bad_magic_ = false;
};

}  // namespace shapelog
