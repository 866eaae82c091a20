#include "log/shared_buffer.h"

#include <bit>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "common/error.h"
#include "log/record_codec.h"
#include "log/record_format.h"

namespace shapelog {

namespace {

// "SLBUF002": the header's ring index (buffer_index.h) is kept. "SLBUF001" is the same layout
// from versions without the index: readers use such a buffer without its index, and a writer
// takes it over, clearing the index area first. Versions that know only SLBUF001 reset a
// SLBUF002 buffer, and leave the index area as it was: the magic they write back is what
// tells readers not to trust it.
constexpr uint64_t kMagic = 0x3230304655424c53;
constexpr uint64_t kMagicWithoutIndex = 0x3130304655424c53;
constexpr uint64_t kHeaderBytes = 4096;
constexpr uint64_t kIndexOffset = 1024;  // where the header's BufferIndex slots begin
constexpr uint64_t kWrap = ~0ull;
constexpr uint64_t kEntryWords = 3;
constexpr auto kStuckWriterTimeout = std::chrono::seconds(2);

static_assert(std::endian::native == std::endian::little,
              "a payload's words hold its bytes in order only on little-endian machines");

using Word = std::atomic<uint64_t>;
static_assert(Word::is_always_lock_free && sizeof(Word) == 8,
              "the shared buffer needs lock-free 64-bit atomics");

constexpr uint64_t words_for(uint64_t bytes) { return (bytes + 7) / 8; }

bool known_magic(uint64_t magic) { return magic == kMagic || magic == kMagicWithoutIndex; }

uint64_t boot_hash(FileSystem& fs) { return checksum32(as_bytes(fs.boot_id())) | (1ull << 32); }

}  // namespace

struct SharedBuffer::Header {
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

SharedBuffer::SharedBuffer(std::unique_ptr<SharedRegion> region)
    : region_(std::move(region)),
      header_(reinterpret_cast<Header*>(region_->bytes().data())),
      words_(reinterpret_cast<Word*>(region_->bytes().data() + kHeaderBytes)),
      capacity_(region_->bytes().size() - kHeaderBytes),
      index_(reinterpret_cast<BufferIndex::Slot*>(region_->bytes().data() + kIndexOffset),
             capacity_) {
  static_assert(sizeof(Header) <= kIndexOffset &&
                kIndexOffset + BufferIndex::kBytes <= kHeaderBytes);
}

SharedBuffer::~SharedBuffer() = default;

// ---------------------------------------------------------------- metadata seqlock

namespace {

Offset load_offset(const Word& set, const Word& tx, const Word& op) {
  if (set.load(std::memory_order_relaxed) == 0) return Offset::before_all();
  return Offset(tx.load(std::memory_order_relaxed), op.load(std::memory_order_relaxed));
}

void store_offset(Word& set, Word& tx, Word& op, Offset offset) {
  set.store(offset.is_before_all() ? 0 : 1, std::memory_order_relaxed);
  tx.store(offset.tx(), std::memory_order_relaxed);
  op.store(offset.op(), std::memory_order_relaxed);
}

}  // namespace

MetaSnapshot SharedBuffer::snapshot() const {
  // The clock is read only once the writer seems stuck: snapshots are frequent, and on some
  // machines reading the clock costs more than the snapshot itself.
  std::optional<std::chrono::steady_clock::time_point> started;
  for (uint64_t spins = 0;; ++spins) {
    uint64_t before = header_->sequence.load(std::memory_order_acquire);
    if ((before & 1) == 0) {
      MetaSnapshot snap{
          load_offset(header_->persisted_set, header_->persisted_tx, header_->persisted_op),
          load_offset(header_->seen_set, header_->seen_tx, header_->seen_op),
          header_->generation.load(std::memory_order_relaxed)};
      std::atomic_thread_fence(std::memory_order_acquire);
      if (header_->sequence.load(std::memory_order_relaxed) == before) return snap;
    }
    if (spins % 1024 == 1023) {
      std::this_thread::yield();
      auto now = std::chrono::steady_clock::now();
      if (!started) started = now;
      if (now - *started > kStuckWriterTimeout)
        throw Error(ErrorKind::Io,
                    "the shared buffer's metadata has been mid-update for 2 s: a writer died "
                    "while publishing; run 'shapelog flush' to repair it");
    }
  }
}

void SharedBuffer::write_meta(const Meta& meta) {
  // An odd sequence left by a writer that died mid-update is rounded down, then moved on.
  uint64_t base = header_->sequence.load(std::memory_order_relaxed) & ~1ull;
  header_->sequence.store(base + 1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  store_offset(header_->persisted_set, header_->persisted_tx, header_->persisted_op,
               meta.last_persisted);
  store_offset(header_->seen_set, header_->seen_tx, header_->seen_op, meta.last_seen);
  header_->generation.store(meta.generation, std::memory_order_relaxed);
  header_->sequence.store(base + 2, std::memory_order_release);
}

// ---------------------------------------------------------------- the ring of entries

namespace {

// A logical position and its slot in the ring, moved together: no step divides.
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

// An entry's first word (never a wrap marker): its length and kind, and its footprint.
struct EntryHead {
  uint64_t length, kind, footprint;
};

EntryHead entry_head(uint64_t first) {
  const uint64_t length = first >> 8;
  return {length, first & 0xff, (kEntryWords + words_for(length)) * 8};
}

// True when an entry with this head, at the cursor, has a known kind and ends inside the
// ring and by `end`. Anything else is a place the writer is overwriting (for a reader) or
// damage.
bool plausible(const EntryHead& head, const RingCursor& at, uint64_t end) {
  return head.kind <= format::kKindJson && at.fits(head.footprint) &&
         at.position() + head.footprint <= end;
}

Offset entry_offset(const Word* at) {
  return Offset(at[1].load(std::memory_order_relaxed), at[2].load(std::memory_order_relaxed));
}

}  // namespace

uint64_t SharedBuffer::entry_footprint(const EntryView& entry) {
  return (kEntryWords + words_for(entry.bytes.size())) * 8;
}

bool SharedBuffer::intact(uint64_t position) const {
  std::atomic_thread_fence(std::memory_order_acquire);
  return header_->reserved.load(std::memory_order_relaxed) <= position + capacity_;
}

template <class Visit>
bool SharedBuffer::walk(uint64_t from, uint64_t to, Visit&& visit) const {
  return walk(from, to, [](Offset) { return true; }, visit);
}

template <class Want, class Visit>
bool SharedBuffer::walk(uint64_t from, uint64_t to, Want&& want, Visit&& visit) const {
  Entry entry;
  for (RingCursor at(from, capacity_); at.position() < to;) {
    const Word* words = words_ + at.slot() / 8;
    const uint64_t first = words[0].load(std::memory_order_relaxed);
    if (first == kWrap) {
      if (!intact(at.position())) return false;
      at.next_lap();
      continue;
    }
    const EntryHead head = entry_head(first);
    // Nonsense here means the writer is overwriting this place; the check below confirms.
    if (!plausible(head, at, to)) return false;
    entry.offset = entry_offset(words);
    entry.kind = static_cast<ValueKind>(head.kind);
    entry.bytes.clear();
    if (want(entry.offset)) {  // payloads nobody asked for are not copied
      entry.bytes.resize(words_for(head.length) * 8);
      for (uint64_t i = 0; i < words_for(head.length); ++i) {
        uint64_t word = words[kEntryWords + i].load(std::memory_order_relaxed);
        std::memcpy(entry.bytes.data() + i * 8, &word, 8);
      }
      entry.bytes.resize(head.length);
    }
    if (!intact(at.position())) return false;
    at.advance(head.footprint);
    if (!visit(entry, at.position())) return true;
  }
  return true;
}

uint64_t SharedBuffer::walk_start(Offset start, uint64_t head, uint64_t tail) const {
  // Walking a few stretches from the head costs less than asking the index.
  if (start.is_before_all() || tail - head <= 2 * index_.stretch()) return head;
  // Asked at every copy: a version without the index may have reset the buffer since.
  if (header_->magic.load(std::memory_order_acquire) != kMagic) return head;
  const auto indexed = index_.start_at_or_below(start, head, tail);
  if (!indexed) return head;
  // The entry there must be the one the slot names; if the writer is overwriting it, this
  // reads a mixture that fails the comparison, or the walk's intact() check catches it.
  const Word* at = words_ + (indexed->position % capacity_) / 8;
  if (at[0].load(std::memory_order_relaxed) == kWrap || entry_offset(at) != indexed->offset)
    return head;
  return indexed->position;
}

BufferCopy SharedBuffer::copy(const ReadRange& range, Offset upper) const {
  BufferCopy result;
  uint64_t head = header_->head.load(std::memory_order_acquire);
  uint64_t tail = header_->tail.load(std::memory_order_acquire);
  auto wanted = [&](Offset offset) { return offset <= upper && range.contains(offset); };
  // Entries before the start entry are below the range and the upper bound, so skipping
  // them changes nothing the walk reports: the start entry itself is at or below both.
  const uint64_t from = walk_start(std::min(range.start, upper), head, tail);
  auto take = [&](const Entry& entry) {
    if (entry.offset > upper) return false;
    result.saw_upper_or_below = true;
    if (range.contains(entry.offset)) result.entries.push_back(entry);
    return true;
  };
  if (from == head) {
    result.interrupted = !walk(head, tail, wanted, [&](const Entry& entry, uint64_t) {
      return take(entry);
    });
    return result;
  }
  // Offsets increase along the ring. From an indexed start, a walk whose offsets do not is not
  // on this lap's entries (one more guard behind the index's own checks): it stops, as at an
  // overwrite. (From the head, the reconciled entries are known to be in order.)
  Offset previous = Offset::before_all();
  bool in_order = true;
  const bool whole = walk(from, tail, wanted, [&](const Entry& entry, uint64_t) {
    in_order = entry.offset > previous;
    previous = entry.offset;
    return in_order && take(entry);
  });
  result.interrupted = !whole || !in_order;
  return result;
}

uint64_t SharedBuffer::used_bytes() const {
  return header_->tail.load(std::memory_order_acquire) -
         header_->head.load(std::memory_order_acquire);
}

uint64_t SharedBuffer::buffered_entries() const {
  uint64_t count = 0;
  walk(header_->head.load(std::memory_order_acquire),
       header_->tail.load(std::memory_order_acquire), [](Offset) { return false; },
       [&](const Entry&, uint64_t) {
         ++count;
         return true;
       });
  return count;
}

void SharedBuffer::entries_after(Offset after,
                                 const std::function<void(const EntryView&)>& visit) const {
  // The writer's own entries: nothing overwrites them while it walks, so each view points
  // into the ring and no payload is copied (a flush copies each value once, into the
  // segment's write chunk). Plain reads of the payload words race with nothing: every other
  // process only reads them too.
  const uint64_t tail = header_->tail.load(std::memory_order_relaxed);
  for (RingCursor at(header_->head.load(std::memory_order_relaxed), capacity_);
       at.position() < tail;) {
    const Word* words = words_ + at.slot() / 8;
    const uint64_t first = words[0].load(std::memory_order_relaxed);
    if (first == kWrap) {
      at.next_lap();
      continue;
    }
    const EntryHead head = entry_head(first);
    // Invariant: the writer's entries between head and tail are whole (open_for_writer
    // resets a buffer whose entries are not).
    if (!plausible(head, at, tail))
      throw Error(ErrorKind::Internal,
                  fmt::format("the shared buffer's entry at position {} is damaged",
                              at.position()));
    const Offset offset = entry_offset(words);
    if (offset > after)
      visit(EntryView(offset, static_cast<ValueKind>(head.kind),
                      {reinterpret_cast<const char*>(words + kEntryWords), head.length}));
    at.advance(head.footprint);
  }
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
    at[0].store(entry->bytes.size() << 8 | static_cast<uint64_t>(entry->kind),
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
}

void SharedBuffer::publish_seen_and_persisted(Offset offset) {
  MetaSnapshot meta = snapshot();
  write_meta({offset, offset, meta.generation});
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
    walk(head, tail, [](Offset) { return false; }, [&](const Entry& entry, uint64_t end) {
      if (entry.offset > through) {
        new_head = previous_end;
        return false;
      }
      previous_end = end;
      return true;
    });
  write_meta({meta.last_persisted, meta.last_seen, meta.generation + 1});
  header_->head.store(new_head, std::memory_order_release);
}

// ---------------------------------------------------------------- opening

std::unique_ptr<SharedBuffer> SharedBuffer::open_for_reader(FileSystem& fs,
                                                            const std::string& dir) {
  std::string path = join_path(dir, std::string(format::kBufferFileName));
  if (!fs.exists(path)) return nullptr;
  uint64_t size = fs.open_read(path)->size();
  if (size < kHeaderBytes + kMinCapacity) return nullptr;
  // Read-only: a reader needs no write access to the log directory.
  std::unique_ptr<SharedBuffer> buffer(new SharedBuffer(fs.map_shared_read_only(path, size)));
  const Header& header = *buffer->header_;
  if (!known_magic(header.magic.load(std::memory_order_acquire)) ||
      header.capacity.load(std::memory_order_relaxed) != buffer->capacity_ ||
      header.boot_hash.load(std::memory_order_relaxed) != boot_hash(fs))
    return nullptr;
  return buffer;
}

void SharedBuffer::initialize(uint64_t boot, Offset disk_last, uint64_t generation) {
  header_->magic.store(0, std::memory_order_relaxed);
  header_->capacity.store(capacity_, std::memory_order_relaxed);
  header_->boot_hash.store(boot, std::memory_order_relaxed);
  header_->head.store(0, std::memory_order_relaxed);
  header_->tail.store(0, std::memory_order_relaxed);
  header_->reserved.store(0, std::memory_order_relaxed);
  index_.clear();
  pending_tail_ = 0;
  write_meta({disk_last, disk_last, generation});
  header_->magic.store(kMagic, std::memory_order_release);
}

// Why the mapped buffer cannot be trusted, or empty when it can.
std::string SharedBuffer::damage_reason(uint64_t boot) const {
  const Header& h = *header_;
  if (!known_magic(h.magic.load(std::memory_order_relaxed))) return "it is not initialized";
  if (h.capacity.load(std::memory_order_relaxed) != capacity_) return "its size is wrong";
  if (h.boot_hash.load(std::memory_order_relaxed) != boot)
    return "it is from before the last reboot";
  uint64_t head = h.head.load(std::memory_order_relaxed);
  uint64_t tail = h.tail.load(std::memory_order_relaxed);
  uint64_t reserved = h.reserved.load(std::memory_order_relaxed);
  if (head > tail || tail > reserved || reserved - head > capacity_)
    return "its positions are inconsistent";
  Offset previous = Offset::before_all();
  bool ordered = true;
  bool complete = walk(head, tail, [&](const Entry& entry, uint64_t) {
    ordered = entry.offset > previous;
    previous = entry.offset;
    return ordered;
  });
  if (!complete || !ordered) return "its entries are damaged";
  return {};
}

std::unique_ptr<SharedBuffer> SharedBuffer::open_for_writer(FileSystem& fs,
                                                            const std::string& dir,
                                                            uint64_t capacity, Offset disk_last,
                                                            std::vector<std::string>& warnings) {
  std::string path = join_path(dir, std::string(format::kBufferFileName));
  uint64_t existing = fs.exists(path) ? fs.open_read(path)->size() : 0;
  bool reuse = existing >= kHeaderBytes + kMinCapacity;
  uint64_t size = reuse ? existing : kHeaderBytes + words_for(capacity) * 8;
  std::unique_ptr<SharedBuffer> buffer(new SharedBuffer(fs.map_shared(path, size)));
  Header& header = *buffer->header_;
  uint64_t boot = boot_hash(fs);

  std::string damage = reuse ? buffer->damage_reason(boot) : "";
  if (!reuse || !damage.empty()) {
    uint64_t generation = known_magic(header.magic.load(std::memory_order_relaxed))
                              ? header.generation.load(std::memory_order_relaxed) + 1
                              : 1;
    if (existing > 0)
      warnings.push_back(fmt::format(
          "reset the shared buffer because {}; entries that were buffered but not flushed "
          "are gone, the disk log (last entry {}) is the truth",
          reuse ? damage : "it is too small", disk_last));
    buffer->initialize(boot, disk_last, generation);
    return buffer;
  }

  // Reconcile with the disk: entries on disk are persisted whatever the metadata says (a
  // flush may have died between its write and its publish); the buffer holds the rest.
  buffer->pending_tail_ = header.tail.load(std::memory_order_relaxed);
  MetaSnapshot meta = buffer->snapshot_or_stale();
  std::optional<Offset> first_buffered;
  Offset last_seen = disk_last;
  // The disk may end past last_persisted only at a buffered entry: a flush that died after
  // writing them and before publishing. Ending anywhere else, it holds a record no flush of
  // this buffer wrote, and the trim below drops buffered entries that no disk holds.
  bool disk_end_explained = disk_last <= meta.last_persisted;
  std::string dropped;  // those entries, as records
  std::optional<Offset> first_dropped, last_dropped;
  buffer->entries_after(Offset::before_all(), [&](const EntryView& entry) {
    if (!first_buffered) first_buffered = entry.offset;
    last_seen = std::max(last_seen, entry.offset);
    if (entry.offset == disk_last) disk_end_explained = true;
    if (entry.offset > meta.last_persisted && entry.offset <= disk_last) {
      encode_record(entry, dropped);
      if (!first_dropped) first_dropped = entry.offset;
      last_dropped = entry.offset;
    }
  });
  if (!disk_end_explained && first_dropped) {
    const std::string copy =
        fmt::format("{}buffer-{}.bytes", format::kCutFilePrefix, disk_last.to_string());
    fs.write_file(join_path(dir, copy), as_bytes(dropped));
    warnings.push_back(fmt::format(
        "the disk log ends at {}, above buffered entries {}..{} that were never flushed, so a "
        "record on disk was not written by this log's writer; those entries cannot follow it "
        "and were dropped from the buffer, their records kept in {}; run 'shapelog check' and "
        "look at the segments' last records",
        disk_last, *first_dropped, *last_dropped, copy));
  }
  if (meta.last_persisted > disk_last)
    warnings.push_back(fmt::format(
        "the shared buffer says {} is persisted but the disk log ends at {}; trusting the disk",
        meta.last_persisted, disk_last));
  // An odd sequence is a writer killed inside write_meta: rewriting evens it out, even when
  // the fields it left are right, or every snapshot would wait for it forever.
  const bool mid_update = header.sequence.load(std::memory_order_relaxed) & 1;
  if (mid_update || meta.last_persisted != disk_last || meta.last_seen != last_seen)
    buffer->write_meta({disk_last, last_seen, meta.generation});
  if (first_buffered && *first_buffered <= disk_last) buffer->trim(disk_last);
  // The index: a buffer from a version without it gets a cleared one, and then its magic;
  // otherwise the slots stay, but none may name a position at or past the tail, which this
  // writer lays out afresh (none does: slots are recorded after publishing, buffer_index.h).
  if (header.magic.load(std::memory_order_relaxed) == kMagicWithoutIndex) {
    buffer->index_.clear();
    header.magic.store(kMagic, std::memory_order_release);
  } else {
    buffer->index_.forget_at_or_after(header.tail.load(std::memory_order_relaxed));
  }
  return buffer;
}

// The metadata as it stands, even when a dead writer left the sequence odd.
MetaSnapshot SharedBuffer::snapshot_or_stale() const {
  if (header_->sequence.load(std::memory_order_relaxed) & 1)
    return {load_offset(header_->persisted_set, header_->persisted_tx, header_->persisted_op),
            load_offset(header_->seen_set, header_->seen_tx, header_->seen_op),
            header_->generation.load(std::memory_order_relaxed)};
  return snapshot();
}

}  // namespace shapelog
