// Reads entries from the segment files of a log directory, for any number of readers in any
// process, without a lock. A read is bounded by an end offset fixed when it starts (the
// published last_persisted), so records a writer is appending meanwhile are never looked at.
//
// The offset index only says where to start: each lookup's entry is checked against the
// records first (index_check.h), and when the index does not hold up, the read scans from
// the first segment, so it returns exactly what it returns with no index at all.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "shapelog/entry.h"
#include "shapelog/file_system.h"
#include "shapelog/read_range.h"
#include "shapelog/warning.h"

namespace shapelog {

class DiskLogReader {
 public:
  DiskLogReader(FileSystem& fs, std::string dir);

  // Told, once per DiskLogReader, an IndexDistrusted warning when the offset index does not
  // hold up: the reads go on by scanning, correct but slower.
  void set_warning_sink(WarningSink sink) { warning_sink_ = std::move(sink); }

  // What a read passed to its sink.
  struct ReadSummary {
    uint64_t entries = 0;
    Offset first, last;    // of the entries passed (meaningless when entries == 0)
    bool stopped = false;  // the sink returned false
  };

  // Passes every entry inside range with offset <= end to sink, in order. Throws
  // ErrorKind::Corruption (segment, byte position, reason) on damage; a torn tail at the end
  // of the last segment is the end of the log.
  ReadSummary read(const ReadRange& range, Offset end, const EntrySink& sink) const;

  struct Tail {
    Offset last = Offset::before_all();  // the last readable entry
    uint64_t count = 0;                  // entries in the log
  };
  // Finds the end of the readable log, scanning only after the last index entry.
  Tail tail() const;

  // The offset of the entry numbered `ordinal` (0 = the first entry), if the log has it.
  std::optional<Offset> offset_of_ordinal(uint64_t ordinal) const;

 private:
  struct Position {
    uint64_t segment = 0;  // 0: start at the first segment
    uint64_t byte = 0;
    uint64_t ordinal = 0;  // ordinal of the record at this position
  };
  // Calls visit(entry, ordinal) for every record from `from` on; stops when visit returns
  // false. A template (defined and instantiated in the .cpp only) because a full read calls
  // visit once per entry, and an indirect call per layer there was a fifth of its cost.
  template <class Visit>
  void scan(Position from, Visit&& visit) const;

  enum class Needs { Position, Count };  // what the caller takes from the index entry
  // Where to start for an index lookup: the entry it found, if the entry (and with
  // Needs::Count, its ordinal) checks out against the records; else the start of the log.
  template <class Find>
  Position start_from_index(Find&& find, Needs needs) const;
  void report_index_problem(const std::string& problem) const;

  FileSystem& fs_;
  std::string dir_;
  WarningSink warning_sink_;
  mutable bool reported_ = false;
};

}  // namespace shapelog
