// A sparse index of the shared buffer's ring, kept in the buffer file's header. The ring is
// cut into stretches of stretch() bytes of logical position; for each of the last kSlots
// stretches the index holds the position and offset of the first entry written in it. A
// reader that wants the entries after offset S starts its walk at the latest indexed entry at
// or below S instead of at the head, so a read near the end of a full buffer walks one
// stretch, not the whole buffer.
//
// One writer records, any number of readers look up, without locks. The writer records an
// entry only once it is published (below the tail), never an entry it has only written: a
// writer that dies between writing and publishing leaves no slot behind for the next writer
// to lay other entries over. Each slot is a seqlock of its own, and a reader uses a slot only
// when it read it whole and its position lies inside the [head, tail) the reader loaded; it
// then still checks the entry it finds there (its offset, the ring's intact() test, and that
// offsets increase from it). A torn or damaged slot therefore costs a walk from the head.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "shapelog/offset.h"

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

  struct Start {
    uint64_t position;
    Offset offset;
  };

  // slots: kSlots slots in the mapped buffer file, for a ring of capacity bytes.
  BufferIndex(Slot* slots, uint64_t capacity);

  // Bytes of logical position per slot: a reader that starts from the index walks at most
  // about this much before its range.
  uint64_t stretch() const { return stretch_; }

  // Writer: an entry with this offset was written at this logical position (positions grow
  // from call to call). It is kept if it is the first of a stretch not yet recorded, and
  // goes into its slot at publish_noted(), once it is published.
  void note(uint64_t position, Offset offset) {
    const uint64_t next = noted_.empty() ? next_ : stretch_end(noted_.back().position);
    if (position >= next) noted_.push_back({position, offset});
  }
  // Writer: the noted entries are published; records them.
  void publish_noted();
  // Writer: the noted entries will not be published (a write the writer did not publish).
  void drop_noted() { noted_.clear(); }
  // Writer: forgets every slot (the buffer is being reset, or was last written by a version
  // of shapelog that kept no index).
  void clear();
  // Writer: forgets the slots that name a position at or after this one.
  void forget_at_or_after(uint64_t position);

  // Reader: the indexed entry with the largest position in [head, tail) whose offset is at or
  // below `at_most`, or nothing.
  std::optional<Start> start_at_or_below(Offset at_most, uint64_t head, uint64_t tail) const;
  // Reader: the indexed entries in [head, tail), the latest first.
  std::vector<Start> starts(uint64_t head, uint64_t tail) const;

 private:
  // The slot's entry, if the slot was read whole and names a position in [head, tail).
  static std::optional<Start> read_slot(const Slot& slot, uint64_t head, uint64_t tail);
  uint64_t stretch_end(uint64_t position) const { return (position / stretch_ + 1) * stretch_; }

  Slot* slots_;
  uint64_t stretch_;
  uint64_t next_ = 0;         // writer: the first position of the next stretch to record
  std::vector<Start> noted_;  // writer: entries to record once published
};

}  // namespace shapelog
