// The one writer of a log directory: takes the lock, recovers the disk log, opens and
// reconciles the shared buffer, then appends transactions into the buffer and flushes them
// to the segments. Yield points: append.buffer, append.publish, flush.write, flush.publish,
// flush.trim.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "shapelog/entry.h"
#include "shapelog/file_system.h"
#include "shapelog/log_options.h"
#include "shapelog/meta_snapshot.h"
#include "shapelog/packed_entries.h"
#include "shapelog/warning.h"

namespace shapelog {

class LogWriter {
 public:
  // Creates the log directory if needed. Throws when another writer holds the lock past
  // options.lock_timeout.
  LogWriter(FileSystem& fs, std::string dir, WriterOptions options = {});
  ~LogWriter();  // releases the lock; what is buffered stays for the next writer or a flush

  // Appends one transaction; offsets must strictly increase and be above last_seen(). The
  // transaction becomes visible to readers whole, at append.publish. A transaction larger
  // than the buffer is written straight to disk and published as persisted.
  void append(const std::vector<Entry>& transaction);
  // The same for millions of small entries (append of stdin lines).
  void append(const PackedEntries& transaction);
  // Writes the buffered entries to disk and syncs, publishes last_persisted, trims.
  void flush();

  MetaSnapshot snapshot() const;
  // The last entry on disk (synced or not): what a flush.write step has written so far.
  Offset disk_last() const;
  // What recovery and the buffer's reconciling did, for the user.
  const std::vector<Warning>& warnings() const;

 private:
  struct State;  // the lock, the disk log writer and the buffer mapping (log_writer.cpp)
  std::unique_ptr<State> state_;
};

}  // namespace shapelog
