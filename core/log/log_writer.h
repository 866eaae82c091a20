// The one writer of a log directory: takes the lock, recovers the disk log, opens and
// reconciles the shared buffer, then appends transactions into the buffer and flushes them
// to the segments. Yield points: append.buffer, append.publish, flush.write, flush.publish,
// flush.trim.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "buffer/shared_buffer.h"
#include "common/entry.h"
#include "common/warning.h"
#include "segment/disk_log_writer.h"
#include "storage/file_system.h"

namespace shapelog {

struct WriterOptions {
  std::chrono::milliseconds lock_timeout{10'000};
  std::string holder_note = "shapelog";  // who holds the lock, shown to waiting writers
  uint64_t buffer_capacity = SharedBuffer::kDefaultCapacity;  // used when creating the buffer
  // append flushes by itself once this many bytes are buffered; 0: never.
  uint64_t flush_threshold = 64 << 10;
  DiskLogOptions disk;
};

class LogWriter {
 public:
  // Creates the log directory if needed.
  LogWriter(FileSystem& fs, std::string dir, WriterOptions options = {});

  // Appends one transaction; offsets must strictly increase and be above last_seen(). The
  // transaction becomes visible to readers whole, at append.publish. A transaction larger
  // than the buffer is written straight to disk and published as persisted.
  void append(const std::vector<Entry>& transaction) { append_entries(transaction); }
  // The same for millions of small entries (append of stdin lines).
  void append(const PackedEntries& transaction) { append_entries(transaction); }
  // Writes the buffered entries to disk and syncs, publishes last_persisted, trims.
  void flush();

  MetaSnapshot snapshot() const { return buffer_->snapshot(); }
  // The last entry on disk (synced or not): what a flush.write step has written so far.
  Offset disk_last() const { return disk_->last_offset(); }
  // What recovery and the buffer's reconciling did, for the user.
  const std::vector<Warning>& warnings() const { return warnings_; }

 private:
  // append() for both kinds of transaction (defined and instantiated in the .cpp).
  template <class Transaction>
  void append_entries(const Transaction& transaction);
  // The flush; ends_op marks flush.trim as the end of the op (not so inside an append that
  // had to make room).
  void flush_steps(bool ends_op);

  FileSystem& fs_;
  std::string dir_;
  WriterOptions options_;
  std::vector<Warning> warnings_;
  std::unique_ptr<FileLock> lock_;
  std::unique_ptr<DiskLogWriter> disk_;
  std::unique_ptr<SharedBuffer> buffer_;
};

}  // namespace shapelog
