// Appends records to the segment files of a log directory. There is one DiskLogWriter per
// log at a time: the caller holds the writer lock for the writer's whole life.
//
// Opening recovers the log: it finds the end of the last segment, truncates a torn tail
// (keeping a copy of non-zero cut bytes in a cut- file), and checks and extends the offset
// index. A failed write or sync poisons the writer: every later call fails with the first
// error, because after a failed fsync nobody knows which bytes reached the disk.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/byte_buffer.h"
#include "segment/log_directory.h"
#include "segment/offset_index.h"
#include "segment/record_format.h"
#include "shapelog/entry.h"
#include "shapelog/file_system.h"
#include "shapelog/log_options.h"
#include "shapelog/warning.h"

namespace shapelog {

class DiskLogWriter {
 public:
  DiskLogWriter(FileSystem& fs, std::string dir, DiskLogOptions options = {});

  Offset last_offset() const { return last_offset_; }
  uint64_t entry_count() const { return entry_count_; }
  // What recovery did (a torn tail cut, an index rebuilt), for the user.
  const std::vector<Warning>& warnings() const { return warnings_; }

  // Queues a record; it reaches the file at the latest on sync(). Offsets must increase.
  void append(const EntryView& entry);
  // Writes what is queued, makes it durable, then extends the index.
  void sync();

 private:
  void recover();
  std::vector<IndexEntry> usable_index_prefix(const std::vector<SegmentFile>& segments);
  void cut_torn_tail(const std::string& segment_name, uint64_t position, const std::string& why);
  void start_segment(uint64_t number);
  void write_pending();
  void check_usable() const;
  template <class Action>
  void guarded(Action&& action);

  FileSystem& fs_;
  std::string dir_;
  DiskLogOptions options_;

  Offset last_offset_ = Offset::before_all();
  uint64_t entry_count_ = 0;
  std::vector<Warning> warnings_;

  uint64_t segment_number_ = 0;  // 0: no segment yet
  std::unique_ptr<WritableFile> segment_;
  uint64_t segment_size_ = 0;  // including queued bytes
  uint64_t last_indexed_position_ = 0;
  ByteBuffer pending_;         // encoded records not yet written
  std::string pending_index_;  // encoded index entries not yet written
  std::unique_ptr<WritableFile> index_;
  bool directory_dirty_ = false;  // a segment was created since the last sync
  bool unsynced_ = false;         // records were appended since the last sync
  std::optional<std::string> failure_;
};

}  // namespace shapelog
