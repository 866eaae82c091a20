// The sparse offset index (record_format.h, "index"): a few entries per segment that let a
// reader start a scan close to any offset or entry number. Lookups binary-search the file
// with positioned reads, so they cost O(log n) reads and no memory. The index is derived
// data and nothing here trusts it: an entry is only a claim, which index_check.h checks
// against the segments before a reader or the writer starts from it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shapelog/file_system.h"
#include "shapelog/offset.h"

namespace shapelog {

struct IndexEntry {
  Offset offset;
  uint64_t ordinal = 0;   // entries before this one in the log
  uint64_t segment = 0;   // segment number
  uint64_t position = 0;  // byte position of the record in the segment

  bool operator==(const IndexEntry&) const = default;
};

void encode_index_entry(const IndexEntry& entry, std::string& out);

// Where a lookup landed.
struct IndexLookup {
  std::optional<uint64_t> found;       // the number of the entry, if one fits
  std::optional<uint64_t> unreadable;  // the entry that failed its checksum (or the magic, 0)
};

// Read side. The IndexEntry lookups return nullopt when the index is missing, empty, or
// unreadable at the probed place; callers then scan from the first segment.
class OffsetIndexReader {
 public:
  OffsetIndexReader(FileSystem& fs, const std::string& dir);

  // The last entry whose offset is <= target.
  std::optional<IndexEntry> floor(Offset target) const;
  // The last entry whose ordinal is <= ordinal.
  std::optional<IndexEntry> floor_ordinal(uint64_t ordinal) const;
  std::optional<IndexEntry> last() const;
  uint64_t size() const { return count_; }

  // The same lookups by entry number, telling "no entry fits" from "the index is unreadable".
  IndexLookup find_floor(Offset target) const;
  IndexLookup find_floor_ordinal(uint64_t ordinal) const;
  IndexLookup find_last() const;
  // Entry number i, if it passes its checksum.
  std::optional<IndexEntry> at(uint64_t i) const;
  // True when the file exists but does not start with the index magic.
  bool bad_magic() const { return bad_magic_; }

  // Every entry in order, stopping at the first that fails its checksum; `damaged` is set
  // then (and when the magic is wrong). For the writer's recovery and for check.
  std::vector<IndexEntry> load_all(bool& damaged) const;

 private:
  template <class Key>
  IndexLookup floor_by(Key key_of, decltype(key_of(IndexEntry{})) target) const;
  std::optional<IndexEntry> entry_of(const IndexLookup& lookup) const;

  std::unique_ptr<ReadableFile> file_;
  uint64_t count_ = 0;
  bool bad_magic_ = false;
};

}  // namespace shapelog
