// Reads the records of one segment file in order, through a read-ahead window, and tells a
// clean end, a torn tail and damage apart (record_format.h says which is which). It never
// returns the bytes of a record that failed its checksums.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/entry.h"
#include "storage/file_system.h"

namespace shapelog {

// Where and why a segment could not be read further.
struct Damage {
  std::string segment;  // file name
  uint64_t position = 0;
  std::string reason;
  bool torn_tail = false;  // true: a clean end left by a crash, truncated on recovery
};

class SegmentScanner {
 public:
  enum class Step { Record, End, TornTail, Damaged };

  // Scans `file` (named `name`) from byte `start` up to `size` (the file size when the scan
  // began: bytes a writer appends later are not looked at). `is_last` says whether this is
  // the log's last segment, the only one that may have a torn tail.
  SegmentScanner(const ReadableFile& file, std::string name, uint64_t start, uint64_t size,
                 bool is_last);

  Step next();

  // After Record: the entry and where its record starts and ends.
  const Entry& entry() const { return entry_; }
  uint64_t record_position() const { return record_position_; }
  uint64_t position() const { return position_; }

  // After TornTail or Damaged: what and where.
  const Damage& damage() const { return damage_; }
  // After Damaged: true when the header was sound, so the scan can go on after the record.
  bool can_skip() const { return skip_to_ != 0; }
  void skip();

 private:
  Step fail(std::string reason, bool torn);
  bool fill(uint64_t pos, size_t length);
  const std::byte* window_at(uint64_t pos) const;
  bool zeros_to_end(uint64_t pos);

  const ReadableFile& file_;
  std::string name_;
  uint64_t position_;
  uint64_t size_;
  bool is_last_;

  std::vector<std::byte> window_;
  uint64_t window_start_ = 0;

  Entry entry_;
  uint64_t record_position_ = 0;
  Damage damage_;
  uint64_t skip_to_ = 0;
};

}  // namespace shapelog
