// A sparse index of the shared buffer's ring, kept in the buffer file's header. The ring is
// cut into stretches of stretch() bytes of logical position; for each of the last kSlots
// stretches the index holds the position and offset of the first entry written in it. A
// reader that wants the entries after offset S starts its walk at the latest indexed entry at
// or below S instead of at the head, so a read near the end of a full buffer walks one
// stretch, not the whole buffer.
//
// One writer records, any number of readers look up, without locks. Each slot is a seqlock of
// its own, and a reader uses a slot only when it read it whole and its position lies inside the
// [head, tail) the reader loaded; it then still checks the entry it finds there (its offset,
// and the ring's intact() test). A stale, torn or damaged slot therefore costs a walk from the
// head, never a wrong read.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/offset.h"

namespace shapelog {

class BufferIndex {
 public:
  static constexpr size_t kSlots = 64;
  struct Slot {
    std::atomic<uint64_t> sequence;  // odd while the writer updates the slot; 0: never used
    std::atomic<uint64_t> position;
    std::atomic<uint64_t> tx;
    std::atomic<uint64_t> op;
  };
  static constexpr size_t kBytes = kSlots * sizeof(Slot);

  // slots: kSlots slots in the mapped buffer file, for a ring of capacity bytes.
  BufferIndex(Slot* slots, uint64_t capacity);

  // Bytes of logical position per slot: a reader that starts from the index walks at most
  // about this much before its range.
  uint64_t stretch() const { return stretch_; }

  // Writer: an entry with this offset was written at this logical position. Positions only
  // grow from call to call.
  void note(uint64_t position, Offset offset) {
    if (position >= next_) record(position, offset);
  }
  // Writer: forgets every slot (the buffer is being reset).
  void clear();

  struct Start {
    uint64_t position;
    Offset offset;
  };
  // Reader: the indexed entry with the largest position in [head, tail) whose offset is at or
  // below `at_most`, or nothing.
  std::optional<Start> start_at_or_below(Offset at_most, uint64_t head, uint64_t tail) const;

 private:
  void record(uint64_t position, Offset offset);

  Slot* slots_;
  uint64_t stretch_;
  uint64_t next_ = 0;  // writer: the first position of the next stretch to record
};

}  // namespace shapelog
