// The layout of the shared buffer file ("buffer" in a log directory), in one place for the
// code that maps it (shared_buffer*.cpp) and the tests that damage it on purpose.
//
// A 4 KiB header of 8-byte words (Header below; from byte 1024 the ring's index,
// buffer_index.h), then a data area of `capacity` bytes used as a ring of 8-byte words.
// Entries are addressed by a logical byte position that only grows; position p lives at
// p % capacity. An entry is
//   word 0: length << 8 | kind      (kWrap instead: the next entry starts a new lap)
//   word 1: tx   word 2: op         then the payload, little-endian, padded to whole words.
// head..tail holds the published, not yet trimmed entries; see shared_buffer.h for who
// stores what in which order.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "buffer/buffer_index.h"
#include "segment/record_format.h"
#include "shapelog/offset.h"

namespace shapelog::buffer_format {

// "SLBUF002": the header's ring index (buffer_index.h) is kept. "SLBUF001" is the same layout
// from versions without the index: readers use such a buffer without its index, and a writer
// takes it over, clearing the index area first. Versions that know only SLBUF001 reset a
// SLBUF002 buffer, and leave the index area as it was: the magic they write back is what
// tells readers not to trust it.
inline constexpr uint64_t kMagic = 0x3230304655424c53;
inline constexpr uint64_t kMagicWithoutIndex = 0x3130304655424c53;
inline constexpr uint64_t kHeaderBytes = 4096;  // the data area starts here
inline constexpr uint64_t kIndexOffset = 1024;  // where the header's BufferIndex slots begin
inline constexpr uint64_t kWrap = ~0ull;        // word 0 of a wrap marker
inline constexpr uint64_t kEntryWords = 3;      // words before an entry's payload

static_assert(std::endian::native == std::endian::little,
              "a payload's words hold its bytes in order only on little-endian machines");

using Word = std::atomic<uint64_t>;
static_assert(Word::is_always_lock_free && sizeof(Word) == 8,
              "the shared buffer needs lock-free 64-bit atomics");

inline bool known_magic(uint64_t magic) { return magic == kMagic || magic == kMagicWithoutIndex; }

struct Header {
  Word magic;
  Word capacity;
  Word boot_hash;
  Word sequence;  // seqlock over the six offset words and generation
  Word seen_set, seen_tx, seen_op;
  Word persisted_set, persisted_tx, persisted_op;
  Word generation;
  Word head;
  Word tail;
  Word reserved;
};
static_assert(sizeof(Header) <= kIndexOffset && kIndexOffset + BufferIndex::kBytes <= kHeaderBytes);

// A word on a cache line of its own after the index: how many followers (read --follow) sleep
// on the sequence word's futex (publish_wait.h). The writer wakes them after a publish only
// when it is not zero. Versions before it leave it zero; a follower killed while asleep
// leaves it one too high, which costs the writer a needless wake per publish, nothing more.
inline constexpr uint64_t kFollowersOffset = kIndexOffset + BufferIndex::kBytes;
static_assert(kFollowersOffset % 64 == 0 && kFollowersOffset + 8 <= kHeaderBytes);

// Byte positions of header words, for tests that read or damage them in the file.
inline constexpr uint64_t kMagicByte = offsetof(Header, magic);
inline constexpr uint64_t kCapacityByte = offsetof(Header, capacity);
inline constexpr uint64_t kSequenceByte = offsetof(Header, sequence);
inline constexpr uint64_t kHeadByte = offsetof(Header, head);
inline constexpr uint64_t kReservedByte = offsetof(Header, reserved);

constexpr uint64_t words_for(uint64_t bytes) { return (bytes + 7) / 8; }

// Bytes an entry with a payload of `length` bytes takes in the data area.
constexpr uint64_t entry_footprint(uint64_t length) {
  return (kEntryWords + words_for(length)) * 8;
}

// Word 0 of an entry.
constexpr uint64_t entry_first_word(uint64_t length, uint64_t kind) { return length << 8 | kind; }

// What word 0 of an entry (never a wrap marker) says: its length and kind, and its footprint.
struct EntryHead {
  uint64_t length, kind, footprint;
};

constexpr EntryHead entry_head(uint64_t first) {
  const uint64_t length = first >> 8;
  return {length, first & 0xff, entry_footprint(length)};
}

// A logical position (it only grows) and its slot in the ring (position % capacity), moved
// together. Only the constructor computes the modulo; advancing adds to both and wraps the
// slot by comparison, so walking the ring costs no division per entry.
class RingCursor {
 public:
  RingCursor(uint64_t position, uint64_t capacity)
      : position_(position), slot_(position % capacity), capacity_(capacity) {}
  uint64_t position() const { return position_; }
  uint64_t slot() const { return slot_; }
  // True when `bytes` from here end inside the ring (an entry never runs past its end).
  bool fits(uint64_t bytes) const { return slot_ + bytes <= capacity_; }
  void advance(uint64_t bytes) {
    position_ += bytes;
    slot_ += bytes;
    if (slot_ == capacity_) slot_ = 0;
  }
  void next_lap() {
    position_ += capacity_ - slot_;
    slot_ = 0;
  }

 private:
  uint64_t position_, slot_;
  const uint64_t capacity_;
};

// True when an entry with this head, at the cursor, has a known kind and ends inside the
// ring and by `end`. Anything else is a place the writer is overwriting (for a reader) or
// damage.
inline bool plausible(const EntryHead& head, const RingCursor& at, uint64_t end) {
  return head.kind <= format::kKindJson && at.fits(head.footprint) &&
         at.position() + head.footprint <= end;
}

inline Offset entry_offset(const Word* at) {
  return Offset(at[1].load(std::memory_order_relaxed), at[2].load(std::memory_order_relaxed));
}

// The framing walk over the entries between logical positions from and to, with relaxed
// loads and no check that the writer left them alone (a reader makes that check itself).
// visit(words, head, cursor) gets each entry's first word in the ring, its head and its
// position (the cursor, not yet advanced past it), and returns false to stop. Returns false
// at an implausible entry (damage, or a place the writer is overwriting), whose position goes
// to *implausible_at if given, true otherwise.
template <class Visit>
bool walk_ring(const Word* data, uint64_t capacity, uint64_t from, uint64_t to, Visit&& visit,
               uint64_t* implausible_at = nullptr) {
  for (RingCursor at(from, capacity); at.position() < to;) {
    const Word* words = data + at.slot() / 8;
    const uint64_t first = words[0].load(std::memory_order_relaxed);
    if (first == kWrap) {
      at.next_lap();
      continue;
    }
    const EntryHead head = entry_head(first);
    if (!plausible(head, at, to)) {
      if (implausible_at) *implausible_at = at.position();
      return false;
    }
    if (!visit(words, head, at)) return true;
    at.advance(head.footprint);
  }
  return true;
}

}  // namespace shapelog::buffer_format
