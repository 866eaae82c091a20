// warning: each kind of warning reads as the prose users have seen on stderr, in the HTML page
// and in replay --json's "warnings" since before warnings were values; these texts are the
// contract, so they are spelled out whole here.
#include <string>

#include <doctest/doctest.h>

#include "shapelog/warning.h"

using namespace shapelog;
using namespace shapelog::warning;

TEST_CASE("warning: recovery of the disk log reads as before") {
  CHECK(warning_text(IndexDamaged{}) ==
        "the offset index was damaged; rebuilt it from the segments");
  CHECK(warning_text(IndexMismatch{}) == "the offset index did not match the segments; rebuilt it");
  CHECK(warning_text(IndexMismatchFrom{1}) ==
        "the offset index did not match the segments from entry 1 on; rebuilt it from there");
  CHECK(warning_text(IndexRebuilt{}) == "rebuilt the offset index");
  CHECK(warning_text(TornTailCut{"00000000000000000001.seg", 4096, 100, "zero-filled tail", ""}) ==
        "cut a torn tail of 100 bytes from segment 00000000000000000001.seg at byte 4096 "
        "(zero-filled tail); they were all zeros, so no copy was kept");
  CHECK(warning_text(TornTailCut{"00000000000000000002.seg", 7, 20, "a record cut short",
                                 "cut-00000000000000000002-7.bytes"}) ==
        "cut a torn tail of 20 bytes from segment 00000000000000000002.seg at byte 7 (a record "
        "cut short); the cut bytes are in cut-00000000000000000002-7.bytes");
}

TEST_CASE("warning: a reader's distrust of the offset index reads as before") {
  CHECK(warning_text(IndexDistrusted{"index entry 3 fails its checksum"}) ==
        "the offset index does not match the log: index entry 3 fails its checksum; reads scan "
        "the segments instead, which returns the same entries more slowly; run 'shapelog check "
        "--repair' to rebuild the index");
}

TEST_CASE("warning: the writer's opening of the shared buffer reads as before") {
  CHECK(warning_text(BufferReset{"it is from before the last reboot", Offset(10, 0)}) ==
        "reset the shared buffer because it is from before the last reboot; entries that were "
        "buffered but not flushed are gone, the disk log (last entry 10_0) is the truth");
  CHECK(warning_text(BufferEntriesDropped{Offset(9, 0), Offset(2, 0), Offset(3, 0),
                                          "cut-buffer-9_0.bytes"}) ==
        "the disk log ends at 9_0, above buffered entries 2_0..3_0 that were never flushed, so a "
        "record on disk was not written by this log's writer; those entries cannot follow it "
        "and were dropped from the buffer, their records kept in cut-buffer-9_0.bytes; run "
        "'shapelog check' and look at the segments' last records");
  CHECK(warning_text(BufferAheadOfDisk{Offset(5, 1), Offset(4, 0)}) ==
        "the shared buffer says 5_1 is persisted but the disk log ends at 4_0; trusting the disk");
}

TEST_CASE("warning: schedule divergences name the element as the trace wrote it") {
  CHECK(warning_text(ActorAlreadyFinished{{2, "r", 1, ""}}) ==
        "schedule[2] (r for 1 step): r has already finished; the element does nothing");
  CHECK(warning_text(ActorAlreadyFinished{{3, "w", {}, "flush.trim"}}) ==
        "schedule[3] (w until flush.trim): w has already finished; the element does nothing");
  CHECK(warning_text(ActorAlreadyFinished{{4, "w", {}, "done"}}) ==
        "schedule[4] (w until done): w has already finished; the element does nothing");
  CHECK(warning_text(UntilNotReached{{0, "reader", {}, "read.recheck"}}) ==
        "schedule[0] (reader until read.recheck): reader finished without reaching read.recheck");
  CHECK(warning_text(StepsRanOut{{1, "w", 5, ""}, 1}) ==
        "schedule[1] (w for 5 steps): w finished after 1 of 5 steps");
}
