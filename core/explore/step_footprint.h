// Which steps commute, for partial-order reduction. A step is named by the point it ends at;
// its footprint is the shared state it reads or writes:
//
//   step            reads              writes
//   append.buffer   -                  bytes behind the tail (no reader looks there)
//   append.publish  -                  tail, last_seen (and last_persisted, when a
//                                      transaction larger than the buffer went to disk)
//   flush.write     -                  records above last_persisted (no read reaches them)
//   flush.publish   -                  last_persisted
//   flush.trim      -                  head, generation
//   read.snapshot   last_persisted, last_seen, generation
//   read.recheck    last_persisted
//   read.buffer     head, tail (and the entries between them)
//   read.disk       records at or below a bound <= last_persisted (never rewritten)
//   read.validate   generation
//
// Two steps of different actors are dependent when one writes what the other reads or
// writes. Reads never conflict with reads, so steps of different readers always commute.
// Why the two "no reader looks there" rows hold: a reader copies only head..tail, and the
// writer writes behind the tail into room that head..tail does not use; a disk read is
// bounded by the last_persisted it saw or, after a trim, by an upper bound that the
// trimming flush had already persisted.
#pragma once

#include "shapelog/point.h"

namespace shapelog {

bool steps_commute(Point a, Point b);

// Whether a step ending at this point writes state that another actor's step can read. The
// per-read split of explore (search_plan.h) holds only while no reader's step does.
bool writes_shared_state(Point point);

}  // namespace shapelog
