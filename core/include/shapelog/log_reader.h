// A reader of a log directory: any number of them, in any thread or process, without a lock
// and without ever blocking the writer. read() implements the four strategies of
// read_strategy.h as real code paths over one metadata snapshot. Yield points:
// read.snapshot, read.recheck, read.buffer, read.disk, read.validate.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "shapelog/entry.h"
#include "shapelog/file_system.h"
#include "shapelog/meta_snapshot.h"
#include "shapelog/point.h"
#include "shapelog/read_range.h"
#include "shapelog/read_strategy.h"
#include "shapelog/warning.h"

namespace shapelog {

// What `shapelog stat` shows: the log's offsets and sizes, each looked at once, now.
struct LogStats {
  MetaSnapshot meta;
  uint64_t persisted_entries = 0;  // entries in the segments
  struct Segment {
    std::string name;
    uint64_t bytes = 0;
  };
  std::vector<Segment> segments;  // in offset order
  uint64_t index_entries = 0;     // entries of the offset index file
  struct Buffer {
    uint64_t entries = 0;  // buffered, not yet flushed
    uint64_t used_bytes = 0;
    uint64_t capacity = 0;
  };
  std::optional<Buffer> buffer;  // none while the log has no live shared buffer
};

class LogReader {
 public:
  // Throws BadInput unless dir is a log directory.
  LogReader(FileSystem& fs, std::string dir);
  ~LogReader();

  // The metadata now: from the shared buffer, or from the disk log when there is none.
  MetaSnapshot snapshot();

  // Every point a read under this strategy can end a step at, in no particular order.
  static std::span<const Point> points_of(ReadStrategy strategy);

  // Passes the entries of range to sink in offset order (sink returns false to stop). Returns
  // true when the read stopped at the copy limit: the entries after the last one passed are
  // still to be read (read again after it).
  bool read(const ReadRange& range, ReadStrategy strategy, const EntrySink& sink);

  // Bytes a read copies out of the buffer at most (default: no limit), so that reading a
  // large buffer takes bounded memory: a read that reaches it ends early (read() says so).
  void set_copy_limit(uint64_t bytes);

  // The offset of the n-th entry counted from the end (1 = the last), or before-all when the
  // log has fewer than n entries.
  Offset offset_from_end(uint64_t n);

  // For read --follow: a number that changes at every publish (0 while there is no buffer),
  // and a sleep until it is no longer `seen`, at most `timeout`. The writer wakes a follower
  // within microseconds when this process may map the buffer writable; otherwise, or without
  // a buffer, the sleep lasts the timeout.
  uint64_t publications();
  void wait_for_publish(uint64_t seen, std::chrono::milliseconds timeout);

  LogStats stats();

  // Told of an IndexDistrusted warning, once, when the offset index does not hold up.
  void set_warning_sink(WarningSink sink);

 private:
  struct State;  // the disk reader, the buffer mapping, the reused copy (log_reader.cpp)
  std::unique_ptr<State> state_;
};

}  // namespace shapelog
