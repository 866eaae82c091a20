#include "buffer/buffer_index.h"

#include <algorithm>
#include <span>

namespace shapelog {

namespace {
// Small rings get fewer slots than kSlots' worth rather than stretches of a few entries.
constexpr uint64_t kMinStretchBytes = 4096;
// The position of a cleared slot: never inside a reader's [head, tail).
constexpr uint64_t kNoPosition = ~0ull;

// The metadata's seqlock pattern (shared_buffer.cpp, write_meta), one slot at a time.
void store_slot(BufferIndex::Slot& slot, uint64_t position, Offset offset) {
  const uint64_t base = slot.sequence.load(std::memory_order_relaxed) & ~1ull;
  slot.sequence.store(base + 1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  slot.position.store(position, std::memory_order_relaxed);
  slot.tx.store(offset.tx(), std::memory_order_relaxed);
  slot.op.store(offset.op(), std::memory_order_relaxed);
  slot.sequence.store(base + 2, std::memory_order_release);
}
}  // namespace

BufferIndex::BufferIndex(Slot* slots, uint64_t capacity)
    : slots_(slots), stretch_(std::max(capacity / kSlots, kMinStretchBytes)) {}

void BufferIndex::publish_noted() {
  for (const Start& start : noted_) {
    store_slot(slots_[start.position / stretch_ % kSlots], start.position, start.offset);
    next_ = stretch_end(start.position);
  }
  noted_.clear();
}

void BufferIndex::clear() {
  for (Slot& slot : std::span(slots_, kSlots)) store_slot(slot, kNoPosition, Offset(0, 0));
  next_ = 0;
  noted_.clear();
}

void BufferIndex::forget_at_or_after(uint64_t position) {
  for (Slot& slot : std::span(slots_, kSlots)) {
    const uint64_t named = slot.position.load(std::memory_order_relaxed);
    if (slot.sequence.load(std::memory_order_relaxed) != 0 && named != kNoPosition &&
        named >= position)
      store_slot(slot, kNoPosition, Offset(0, 0));
  }
}

std::optional<BufferIndex::Start> BufferIndex::read_slot(const Slot& slot, uint64_t head,
                                                         uint64_t tail) {
  const uint64_t before = slot.sequence.load(std::memory_order_acquire);
  if (before == 0 || (before & 1) != 0) return std::nullopt;
  const Start start{
      slot.position.load(std::memory_order_relaxed),
      Offset(slot.tx.load(std::memory_order_relaxed), slot.op.load(std::memory_order_relaxed))};
  std::atomic_thread_fence(std::memory_order_acquire);
  if (slot.sequence.load(std::memory_order_relaxed) != before) return std::nullopt;
  if (start.position < head || start.position >= tail) return std::nullopt;
  return start;
}

std::optional<BufferIndex::Start> BufferIndex::start_at_or_below(Offset at_most, uint64_t head,
                                                                 uint64_t tail) const {
  std::optional<Start> best;
  for (const Slot& slot : std::span(slots_, kSlots)) {
    const std::optional<Start> start = read_slot(slot, head, tail);
    if (!start || start->offset > at_most) continue;
    if (!best || start->position > best->position) best = start;
  }
  return best;
}

std::vector<BufferIndex::Start> BufferIndex::starts(uint64_t head, uint64_t tail) const {
  std::vector<Start> starts;
  for (const Slot& slot : std::span(slots_, kSlots))
    if (const std::optional<Start> start = read_slot(slot, head, tail)) starts.push_back(*start);
  std::sort(starts.begin(), starts.end(),
            [](const Start& a, const Start& b) { return a.position > b.position; });
  return starts;
}

}  // namespace shapelog
