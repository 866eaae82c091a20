// The writer's side of the shared buffer (shared_buffer.h): storing entries behind the tail,
// publishing them, trimming what a flush persisted, and walking its own entries for a flush.
#include <cstring>

#include <fmt/format.h>

#include "buffer/publish_wait.h"
#include "buffer/shared_buffer.h"
#include "shapelog/error.h"

namespace shapelog {

using namespace buffer_format;

uint64_t SharedBuffer::entry_footprint(const EntryView& entry) {
  return buffer_format::entry_footprint(entry.bytes.size());
}

void SharedBuffer::entries_after(Offset after,
                                 const std::function<void(const EntryView&)>& visit) const {
  // The writer's own entries: nothing overwrites them while it walks, so each view points
  // into the ring and no payload is copied (a flush copies each value once, into the
  // segment's write chunk). Plain reads of the payload words race with nothing: every other
  // process only reads them too.
  const uint64_t tail = header_->tail.load(std::memory_order_relaxed);
  uint64_t damaged_at = 0;
  const bool whole = walk_ring(
      words_, capacity_, header_->head.load(std::memory_order_relaxed), tail,
      [&](const Word* at, const EntryHead& head, const RingCursor&) {
        const Offset offset = entry_offset(at);
        if (offset > after)
          visit(EntryView(offset, static_cast<ValueKind>(head.kind),
                          {reinterpret_cast<const char*>(at + kEntryWords), head.length}));
        return true;
      },
      &damaged_at);
  // Invariant: the writer's entries between head and tail are whole (open_for_writer resets a
  // buffer whose entries are not).
  if (!whole)
    throw Error(ErrorKind::Internal,
                fmt::format("the shared buffer's entry at position {} is damaged", damaged_at));
}

// ---------------------------------------------------------------- writer side

namespace {

constexpr uint64_t kLargerThanRing = ~0ull;

// Where each entry goes: the logical position after laying out `entries` behind `tail`, or
// kLargerThanRing if one of them is larger than the ring. place(p, slot, entry) gets each
// entry's position and its slot in the ring, and a null entry for a wrap marker.
template <class Entries, class Place>
uint64_t lay_out(uint64_t tail, uint64_t capacity, const Entries& entries, Place&& place) {
  RingCursor at(tail, capacity);
  for (size_t i = 0; i < entries.size(); ++i) {
    const EntryView entry = entry_at(entries, i);
    const uint64_t footprint = SharedBuffer::entry_footprint(entry);
    if (footprint > capacity) return kLargerThanRing;
    if (!at.fits(footprint)) {
      place(at.position(), at.slot(), nullptr);
      at.next_lap();
    }
    place(at.position(), at.slot(), &entry);
    at.advance(footprint);
  }
  return at.position();
}

// Stores a payload as whole little-endian words, the last one zero-padded.
inline void store_payload(Word* at, std::string_view bytes) {
  const size_t size = bytes.size();
  const char* data = bytes.data();
  size_t i = 0;
  for (uint64_t word; i < size / 8; ++i) {
    std::memcpy(&word, data + i * 8, 8);
    at[i].store(word, std::memory_order_relaxed);
  }
  const size_t rest = size % 8;
  if (rest == 0) return;
  uint64_t word = 0;
  if (size >= 8) {
    // The last 8 bytes in one load, shifted down to the `rest` bytes not stored yet. Copying
    // them one by one into a word stalls the load that follows (store forwarding fails).
    std::memcpy(&word, data + size - 8, 8);
    word >>= (8 - rest) * 8;
  } else {
    std::memcpy(&word, data, rest);
  }
  at[i].store(word, std::memory_order_relaxed);
}

}  // namespace

template <class Entries>
bool SharedBuffer::write_entries(const Entries& entries) {
  // One pass finds where the entries end, a second stores them.
  uint64_t tail = header_->tail.load(std::memory_order_relaxed);
  uint64_t end = lay_out(tail, capacity_, entries, [](uint64_t, uint64_t, const EntryView*) {});
  if (end == kLargerThanRing || end - header_->head.load(std::memory_order_relaxed) > capacity_)
    return false;
  // Invariant: reserved never decreases, so a reader's intact() check stays sound even
  // after a writer died between raising it and publishing.
  if (end > header_->reserved.load(std::memory_order_relaxed))
    header_->reserved.store(end, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  index_.drop_noted();  // what an earlier write noted was never published
  lay_out(tail, capacity_, entries, [&](uint64_t p, uint64_t slot, const EntryView* entry) {
    Word* at = words_ + slot / 8;
    if (!entry) {
      at[0].store(kWrap, std::memory_order_relaxed);
      return;
    }
    at[0].store(entry_first_word(entry->bytes.size(), static_cast<uint64_t>(entry->kind)),
                std::memory_order_relaxed);
    at[1].store(entry->offset.tx(), std::memory_order_relaxed);
    at[2].store(entry->offset.op(), std::memory_order_relaxed);
    store_payload(at + kEntryWords, entry->bytes);
    index_.note(p, entry->offset);
  });
  pending_tail_ = end;
  return true;
}

template bool SharedBuffer::write_entries(const std::vector<Entry>& entries);
template bool SharedBuffer::write_entries(const PackedEntries& entries);

void SharedBuffer::publish_seen(Offset last_seen) {
  header_->tail.store(pending_tail_, std::memory_order_release);
  MetaSnapshot meta = snapshot();
  write_meta({meta.last_persisted, last_seen, meta.generation});
  index_.publish_noted();
  wake_followers();
}

void SharedBuffer::publish_seen_and_persisted(Offset offset) {
  MetaSnapshot meta = snapshot();
  write_meta({offset, offset, meta.generation});
  wake_followers();
}

void SharedBuffer::wake_followers() {
  // The other half of wait_for_publish()'s handshake: the publish's store, a full fence, the
  // count. Either this load sees the follower's count, or its load sees the publish.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  const auto& followers =
      *reinterpret_cast<const Word*>(region_->bytes().data() + kFollowersOffset);
  if (followers.load(std::memory_order_relaxed) != 0) publish_wait::wake_all(header_->sequence);
}

void SharedBuffer::publish_persisted(Offset last_persisted) {
  MetaSnapshot meta = snapshot();
  write_meta({last_persisted, meta.last_seen, meta.generation});
}

void SharedBuffer::trim(Offset through) {
  uint64_t head = header_->head.load(std::memory_order_relaxed);
  uint64_t tail = header_->tail.load(std::memory_order_relaxed);
  // The writer walks its own entries: nothing overwrites them meanwhile.
  // The new head is where the first entry above `through` starts: the end of the entry (or
  // wrap marker) before it. Only offsets are needed, so no payload is copied.
  // A flush trims everything it wrote, and that is usually all there is: when every buffered
  // entry (none is above last_seen) is at or below `through`, there is nothing to walk.
  MetaSnapshot meta = snapshot();
  uint64_t new_head = tail;
  uint64_t previous_end = head;
  if (through < meta.last_seen)
    walk_ring(words_, capacity_, head, tail,
              [&](const Word* at, const EntryHead& entry, const RingCursor& position) {
                if (entry_offset(at) > through) {
                  new_head = previous_end;
                  return false;
                }
                previous_end = position.position() + entry.footprint;
                return true;
              });
  write_meta({meta.last_persisted, meta.last_seen, meta.generation + 1});
  header_->head.store(new_head, std::memory_order_release);
}

}  // namespace shapelog
