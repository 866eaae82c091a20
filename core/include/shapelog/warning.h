// What the log or a replay noticed and carried on past: recovery of the disk log, a reader's
// distrust of the offset index, the writer's reconciling of the shared buffer, a schedule that
// diverged. Each situation is a
// value with its own fields, so that tests match the situation and its numbers; the CLI
// prints warning_text(), the prose users see (and scripts read in `replay --json`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "shapelog/offset.h"

namespace shapelog {

namespace warning {

// Recovery of the disk log (segment/disk_log_writer.cpp) and `check --repair`.

struct IndexDamaged {};     // a bad magic, or an entry failing its checksum, in the index file
struct IndexMismatch {};    // the index's first entry does not match the segments: rebuilt whole
struct IndexMismatchFrom {  // entries from `entry` on do not match: rebuilt from there
  size_t entry = 0;
};
struct IndexRebuilt {};  // `check --repair` rebuilt the index, as it always does

// A reader (segment/disk_log_reader.cpp) found the index wrong and reads by scanning, which
// returns the same entries more slowly, until `check --repair` or the next writer rebuilds it.
struct IndexDistrusted {
  std::string problem;  // what is wrong, e.g. "index entry 3 fails its checksum"
};

struct TornTailCut {
  std::string segment;    // the segment file's name
  uint64_t position = 0;  // where the cut starts
  uint64_t bytes = 0;     // how many were cut
  std::string reason;     // why they are a torn tail, as the scanner says
  std::string copy;       // the file that keeps them; empty when they were all zeros
};

// The writer's opening of the shared buffer (buffer/shared_buffer_open.cpp).

struct BufferReset {
  std::string reason;  // why the buffer cannot be trusted ("it is from before the last reboot")
  Offset disk_last;
};
// The disk ends above buffered entries that were never flushed: a record no flush of this
// buffer wrote. The entries first..last were dropped, their records kept in `copy`.
struct BufferEntriesDropped {
  Offset disk_last;
  Offset first, last;
  std::string copy;
};
struct BufferAheadOfDisk {  // the buffer says `persisted` is persisted; the disk ends before
  Offset persisted;
  Offset disk_last;
};

// Divergences from a trace's schedule (replay/schedule_policies.cpp; trace format,
// "Schedule").

// A schedule element as the trace wrote it: "schedule[1] (w for 5 steps)", "(w until
// flush.trim)", "(w until done)".
struct ScheduleElementRef {
  size_t index = 0;
  std::string actor;
  std::optional<uint64_t> steps;  // set for a `steps` element
  std::string until;              // otherwise: its point, or "done"
};
struct ActorAlreadyFinished {  // the element did nothing
  ScheduleElementRef element;
};
struct UntilNotReached {  // the actor finished without reaching element.until
  ScheduleElementRef element;
};
struct StepsRanOut {  // the actor finished after `taken` of the element's steps
  ScheduleElementRef element;
  uint64_t taken = 0;
};

}  // namespace warning

using Warning =
    std::variant<warning::IndexDamaged, warning::IndexMismatch, warning::IndexMismatchFrom,
                 warning::IndexRebuilt, warning::IndexDistrusted, warning::TornTailCut,
                 warning::BufferReset, warning::BufferEntriesDropped, warning::BufferAheadOfDisk,
                 warning::ActorAlreadyFinished, warning::UntilNotReached, warning::StepsRanOut>;

// The warning as users read it, without a prefix or a newline.
std::string warning_text(const Warning& warning);

// The texts of warnings, in order (replay --json's "warnings").
std::vector<std::string> warning_texts(const std::vector<Warning>& warnings);

// Told of a warning as it happens (the CLI prints it to stderr).
using WarningSink = std::function<void(const Warning& warning)>;

}  // namespace shapelog
