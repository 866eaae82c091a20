// Reads the records of one segment file in order, through a read-ahead window, and tells a
// clean end, a torn tail and damage apart (record_format.h says which is which). It never
// returns the bytes of a record that failed its checksums.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "segment/read_ahead.h"
#include "segment/record_codec.h"
#include "segment/record_format.h"
#include "shapelog/entry.h"
#include "shapelog/file_system.h"

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

  Step next() {
    // Inline, for a full read's sake: the usual record, whole and intact inside the window,
    // checked here or already by the read-ahead thread.
    if (position_ >= window_start_ && position_ < window_start_ + window_size_) {
      const std::byte* at = window_at(position_);
      const size_t available = window_start_ + window_size_ - position_;
      RecordHeader header;
      if (checked_ahead() ? checked_record(at, available, header)
                          : intact_record(at, available, header)) {
        skip_to_ = 0;
        record_position_ = position_;
        entry_ = entry_at(header, position_);
        position_ += format::kRecordHeaderSize + header.length;
        return Step::Record;
      }
    }
    return next_checked();
  }

  // Passes the records the read-ahead thread has checked, from the scan's position on, to
  // visit(entry, record_position), in order, as next() would return them, while visit returns
  // true; returns false once it did not (the scan then goes on after that record). It returns
  // at the first record the thread has not checked (yet): next() then takes it. A full read's
  // loop: here each record costs a few loads and the call, with the scan's state in registers.
  template <class Visit>
  bool for_each_checked(Visit&& visit) {
    skip_to_ = 0;
    while (checked_ahead() && position_ >= window_start_) {
      // checked_until_ lies inside the thread's window, which is the window now.
      const uint64_t window_end = window_start_ + window_size_;
      const uint64_t until = std::min(checked_until_, window_end);
      uint64_t pos = position_;
      while (pos < until) {
        RecordHeader header;
        if (!checked_record(window_at(pos), window_end - pos, header)) break;
        const uint64_t record = pos;
        pos += format::kRecordHeaderSize + header.length;
        if (!visit(entry_at(header, record), record)) {
          record_position_ = record;
          position_ = pos;
          return false;
        }
      }
      if (pos == position_) break;  // nothing the window holds whole
      record_position_ = position_ = pos;
    }
    return true;
  }

  // After Record: the entry (its bytes valid until the next call) and where its record
  // starts and ends.
  const EntryView& entry() const { return entry_; }
  uint64_t record_position() const { return record_position_; }
  uint64_t position() const { return position_; }

  // How many windows the read-ahead thread has handed over (0 for a short scan).
  uint64_t ahead_windows() const { return ahead_windows_; }

  // After TornTail or Damaged: what and where.
  const Damage& damage() const { return damage_; }
  // After Damaged: true when the header was sound, so the scan can go on after the record.
  bool can_skip() const { return skip_to_ != 0; }
  void skip();

 private:
  // next() for every case: window refills, the end, torn tails and damage.
  Step next_checked();
  // True if the read-ahead thread has checked the record at position_.
  bool checked_ahead() {
    if (position_ < checked_until_) return true;
    if (ahead_window_)
      checked_until_ = ahead_window_->checked_until.load(std::memory_order_acquire);
    return position_ < checked_until_;
  }
  void start_read_ahead();
  // Makes the read-ahead thread's next window the window, if it holds [pos, pos+length).
  bool take_ahead_window(uint64_t pos, size_t length);
  EntryView entry_at(const RecordHeader& header, uint64_t record_position) const {
    return EntryView(
        header.offset, header.kind == format::kKindJson ? ValueKind::Json : ValueKind::String,
        {reinterpret_cast<const char*>(window_at(record_position)) + format::kRecordHeaderSize,
         header.length});
  }
  Step fail(std::string reason, bool torn);
  // Makes bytes [pos, pos+length) available in the window; false if the file is shorter.
  // The check is inline because it runs twice per record and almost always succeeds.
  bool fill(uint64_t pos, size_t length) {
    return (pos >= window_start_ && pos + length <= window_start_ + window_size_) ||
           refill(pos, length);
  }
  bool refill(uint64_t pos, size_t length);
  const std::byte* window_at(uint64_t pos) const { return window_ + (pos - window_start_); }
  bool zeros_to_end(uint64_t pos);

  const ReadableFile& file_;
  std::string name_;
  const uint64_t start_;
  uint64_t position_;
  uint64_t size_;
  bool is_last_;

  // The window is the bytes [window_start_, window_start_ + window_size_) of the file, either
  // mapped (segments before the last one, which nothing ever cuts: here or by the read-ahead
  // thread) or read (the last segment: into buffer_, or by the read-ahead thread into its own).
  const std::byte* window_ = nullptr;
  uint64_t window_start_ = 0;
  size_t window_size_ = 0;
  std::unique_ptr<MappedBytes> mapping_;
  std::vector<std::byte> buffer_;

  // Started once a scan of a mapped segment outgrows its first window; see read_ahead.h.
  std::unique_ptr<ReadAhead> read_ahead_;
  std::shared_ptr<const AheadWindow> ahead_window_;  // read_ahead_'s, when it is the window
  bool read_ahead_started_ = false;
  uint64_t ahead_windows_ = 0;
  uint64_t checked_until_ = 0;  // ahead_window_->checked_until when last asked

  EntryView entry_;
  uint64_t record_position_ = 0;
  Damage damage_;
  uint64_t skip_to_ = 0;
};

}  // namespace shapelog
