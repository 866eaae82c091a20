#include "buffer/shared_buffer.h"

#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

#include "buffer/publish_wait.h"
#include "shapelog/error.h"

namespace shapelog {

using namespace buffer_format;

namespace {
constexpr auto kStuckWriterTimeout = std::chrono::seconds(2);
}  // namespace

SharedBuffer::SharedBuffer(std::unique_ptr<SharedRegion> region)
    : region_(std::move(region)),
      header_(reinterpret_cast<Header*>(region_->bytes().data())),
      words_(reinterpret_cast<Word*>(region_->bytes().data() + kHeaderBytes)),
      capacity_(region_->bytes().size() - kHeaderBytes),
      index_(reinterpret_cast<BufferIndex::Slot*>(region_->bytes().data() + kIndexOffset),
             capacity_) {}

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

MetaSnapshot SharedBuffer::meta_fields() const {
  return {load_offset(header_->persisted_set, header_->persisted_tx, header_->persisted_op),
          load_offset(header_->seen_set, header_->seen_tx, header_->seen_op),
          header_->generation.load(std::memory_order_relaxed)};
}

MetaSnapshot SharedBuffer::snapshot() const {
  // The clock is read only once the writer seems stuck: snapshots are frequent, and on some
  // machines reading the clock costs more than the snapshot itself.
  std::optional<std::chrono::steady_clock::time_point> started;
  for (uint64_t spins = 0;; ++spins) {
    uint64_t before = header_->sequence.load(std::memory_order_acquire);
    if ((before & 1) == 0) {
      MetaSnapshot snap = meta_fields();
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

void SharedBuffer::write_meta(const MetaSnapshot& meta) {
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

// ---------------------------------------------------------------- followers

void SharedBuffer::wait_for_publish(uint64_t seen, std::chrono::milliseconds timeout) const {
  if (!follower_region_) {
    std::this_thread::sleep_for(timeout);
    return;
  }
  auto& followers = *reinterpret_cast<Word*>(follower_region_->bytes().data() + kFollowersOffset);
  // Count this follower in, then look (wake_followers() is the other half): a publish either
  // comes before the look, which then sees it, or finds the count and wakes the futex, whose
  // wait returns at once if the word moved before it slept.
  followers.fetch_add(1, std::memory_order_seq_cst);
  if (header_->sequence.load(std::memory_order_seq_cst) == seen)
    publish_wait::wait(header_->sequence, seen, timeout);
  followers.fetch_sub(1, std::memory_order_seq_cst);
}

// ---------------------------------------------------------------- the reader's copy

void BufferCopy::clear() {
  words_.clear();
  count_ = 0;
  interrupted = false;
  saw_upper_or_below = false;
  capped = false;
}

std::vector<Entry> BufferCopy::entries() const {
  std::vector<Entry> entries;
  entries.reserve(count_);
  for_each([&](const EntryView& entry) {
    entries.push_back(entry.owned());
    return true;
  });
  return entries;
}

bool SharedBuffer::intact(uint64_t position) const {
  std::atomic_thread_fence(std::memory_order_acquire);
  return header_->reserved.load(std::memory_order_relaxed) <= position + capacity_;
}

bool SharedBuffer::names_entry(const BufferIndex::Start& start, uint64_t head,
                               uint64_t tail) const {
  if (start.position < head || start.position >= tail) return false;
  // If the writer is overwriting the entry, this reads a mixture that fails the comparison,
  // or the walk's intact() check catches it.
  const Word* at = words_ + (start.position % capacity_) / 8;
  return at[0].load(std::memory_order_relaxed) != kWrap && entry_offset(at) == start.offset;
}

uint64_t SharedBuffer::walk_start(Offset start, uint64_t head, uint64_t tail,
                                  const std::optional<BufferIndex::Start>& resume) const {
  if (start.is_before_all()) return head;
  // A read in pieces continues after the last entry of its previous piece: from there it walks
  // no entry before its range. (From the index it would walk half a stretch on average, which
  // for a large buffer is more than a piece.)
  if (resume && resume->offset == start && names_entry(*resume, head, tail))
    return resume->position;
  // Walking a few stretches from the head costs less than asking the index.
  if (tail - head <= 2 * index_.stretch()) return head;
  // Asked at every copy: a version without the index may have reset the buffer since.
  if (header_->magic.load(std::memory_order_acquire) != kMagic) return head;
  const auto indexed = index_.start_at_or_below(start, head, tail);
  if (!indexed || !names_entry(*indexed, head, tail)) return head;
  return indexed->position;
}

std::vector<Offset> SharedBuffer::indexed_offsets() const {
  std::vector<Offset> offsets;
  if (header_->magic.load(std::memory_order_acquire) != kMagic) return offsets;
  const uint64_t head = header_->head.load(std::memory_order_acquire);
  const uint64_t tail = header_->tail.load(std::memory_order_acquire);
  for (const BufferIndex::Start& start : index_.starts(head, tail)) offsets.push_back(start.offset);
  return offsets;
}

void SharedBuffer::copy(const ReadRange& range, Offset upper, BufferCopy& into,
                        uint64_t max_bytes) const {
  const uint64_t head = header_->head.load(std::memory_order_acquire);
  const uint64_t tail = header_->tail.load(std::memory_order_acquire);
  // Loaded after the tail: a reset (which restarts positions at 0) bumps the generation before
  // any tail it publishes, so a copy that sees such a tail sees the new generation, and does
  // not take the last entry of a copy from before the reset for one of this ring.
  const uint64_t generation = header_->generation.load(std::memory_order_acquire);
  std::optional<BufferIndex::Start> resume;
  if (into.source_ == this && !into.empty() && into.last_generation_ == generation)
    resume = BufferIndex::Start{into.last_position_, into.last_};
  into.clear();
  into.source_ = this;
  into.last_generation_ = generation;
  // Entries before the start entry are below the range and the upper bound, so skipping
  // them changes nothing the walk reports: the start entry itself is at or below both.
  const uint64_t from = walk_start(std::min(range.start, upper), head, tail, resume);
  // Offsets increase along the ring. From a later start, a walk whose offsets do not is not
  // on this lap's entries (one more guard behind the index's own checks): it stops, as at an
  // overwrite. (From the head, the reconciled entries are known to be in order.)
  const bool check_order = from != head;
  Offset previous = Offset::before_all();
  bool in_order = true;
  const bool plausible_all =
      walk_ring(words_, capacity_, from, tail,
                [&](const Word* at, const EntryHead& entry, const RingCursor& cursor) {
                  const Offset offset = entry_offset(at);
                  if (check_order) {
                    in_order = offset > previous;
                    previous = offset;
                    if (!in_order) return false;
                  }
                  if (offset > upper) return false;
                  into.saw_upper_or_below = true;
                  if (range.contains(offset)) {  // payloads nobody asked for are not copied
                    if (into.count_ > 0 && into.words_.size() + entry.footprint > max_bytes) {
                      into.capped = true;
                      return false;
                    }
                    const uint64_t words = entry.footprint / 8;
                    auto* out = reinterpret_cast<uint64_t*>(into.words_.grow(entry.footprint));
                    out[0] = entry_first_word(entry.length, entry.kind);
                    out[1] = offset.tx();
                    out[2] = offset.op();
                    // Four words a step: relaxed atomic loads are not vectorized, so the loop's own
                    // instructions are what a word costs.
                    uint64_t w = kEntryWords;
                    for (; w + 4 <= words; w += 4) {
                      out[w] = at[w].load(std::memory_order_relaxed);
                      out[w + 1] = at[w + 1].load(std::memory_order_relaxed);
                      out[w + 2] = at[w + 2].load(std::memory_order_relaxed);
                      out[w + 3] = at[w + 3].load(std::memory_order_relaxed);
                    }
                    for (; w < words; ++w) out[w] = at[w].load(std::memory_order_relaxed);
                    if (into.count_++ == 0) into.first_ = offset;
                    into.last_ = offset;
                    into.last_position_ = cursor.position();
                  }
                  return true;
                });
  // The walk's one check, after all of its loads: if the writer may have stored into any
  // place from `from` on, nothing copied is trusted. (An implausible entry or offsets out of
  // order with the check passing is damage; what came before it is whole.)
  if (!intact(from)) {
    into.clear();
    into.interrupted = true;
    return;
  }
  into.interrupted = !plausible_all || !in_order;
}

uint64_t SharedBuffer::used_bytes() const {
  return header_->tail.load(std::memory_order_acquire) -
         header_->head.load(std::memory_order_acquire);
}

uint64_t SharedBuffer::buffered_entries() const {
  // For stat: a count, not entries, so a walk the writer overtakes may count a few wrong.
  uint64_t count = 0;
  walk_ring(words_, capacity_, header_->head.load(std::memory_order_acquire),
            header_->tail.load(std::memory_order_acquire),
            [&](const Word*, const EntryHead&, const RingCursor&) {
              ++count;
              return true;
            });
  return count;
}

}  // namespace shapelog
