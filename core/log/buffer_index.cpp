#include "log/buffer_index.h"

#include <algorithm>
#include <span>

namespace shapelog {

namespace {
// Small rings get fewer slots than kSlots' worth rather than stretches of a few entries.
constexpr uint64_t kMinStretchBytes = 4096;
}  // namespace

BufferIndex::BufferIndex(Slot* slots, uint64_t capacity)
    : slots_(slots), stretch_(std::max(capacity / kSlots, kMinStretchBytes)) {}

void BufferIndex::record(uint64_t position, Offset offset) {
  const uint64_t stretch = position / stretch_;
  Slot& slot = slots_[stretch % kSlots];
  // The metadata's seqlock pattern (shared_buffer.cpp, write_meta), one slot at a time.
  const uint64_t base = slot.sequence.load(std::memory_order_relaxed) & ~1ull;
  slot.sequence.store(base + 1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  slot.position.store(position, std::memory_order_relaxed);
  slot.tx.store(offset.tx(), std::memory_order_relaxed);
  slot.op.store(offset.op(), std::memory_order_relaxed);
  slot.sequence.store(base + 2, std::memory_order_release);
  next_ = (stretch + 1) * stretch_;
}

void BufferIndex::clear() {
  for (Slot& slot : std::span(slots_, kSlots)) {
    slot.sequence.store(0, std::memory_order_relaxed);
    slot.position.store(0, std::memory_order_relaxed);
    slot.tx.store(0, std::memory_order_relaxed);
    slot.op.store(0, std::memory_order_relaxed);
  }
  next_ = 0;
}

std::optional<BufferIndex::Start> BufferIndex::start_at_or_below(Offset at_most, uint64_t head,
                                                                 uint64_t tail) const {
  std::optional<Start> best;
  for (const Slot& slot : std::span(slots_, kSlots)) {
    const uint64_t before = slot.sequence.load(std::memory_order_acquire);
    if (before == 0 || (before & 1) != 0) continue;
    const Start start{slot.position.load(std::memory_order_relaxed),
                      Offset(slot.tx.load(std::memory_order_relaxed),
                             slot.op.load(std::memory_order_relaxed))};
    std::atomic_thread_fence(std::memory_order_acquire);
    if (slot.sequence.load(std::memory_order_relaxed) != before) continue;
    if (start.position < head || start.position >= tail || start.offset > at_most) continue;
    if (!best || start.position > best->position) best = start;
  }
  return best;
}

}  // namespace shapelog
