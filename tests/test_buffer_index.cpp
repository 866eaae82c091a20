// BufferIndex: the shared buffer's sparse index of where entries start in the ring.
#include <memory>

#include <doctest/doctest.h>

#include "buffer/buffer_index.h"
#include "log_test_support.h"

using namespace shapelog;

namespace {

// An index over a ring of 64 stretches of 4 KiB, in slots of its own.
struct Index {
  static constexpr uint64_t kCapacity = BufferIndex::kSlots * 4096;
  std::unique_ptr<BufferIndex::Slot[]> slots =
      std::make_unique<BufferIndex::Slot[]>(BufferIndex::kSlots);
  BufferIndex index{slots.get(), kCapacity};
};

// What SharedBuffer does for an entry it writes and publishes on its own.
void publish(BufferIndex& index, uint64_t position, Offset offset) {
  index.note(position, offset);
  index.publish_noted();
}

std::optional<uint64_t> start_position(const BufferIndex& index, Offset at_most, uint64_t head,
                                       uint64_t tail) {
  auto start = index.start_at_or_below(at_most, head, tail);
  if (!start) return std::nullopt;
  return start->position;
}

}  // namespace

TEST_CASE("buffer index: the last indexed entry at or below an offset, inside head and tail") {
  Index ix;
  REQUIRE(ix.index.stretch() == 4096);
  // The first entry of each stretch is recorded; 100 shares stretch 0 with 0.
  publish(ix.index, 0, Offset(1, 0));
  publish(ix.index, 100, Offset(2, 0));
  publish(ix.index, 5000, Offset(3, 0));
  publish(ix.index, 9000, Offset(4, 0));
  publish(ix.index, 12300, Offset(5, 0));

  CHECK(start_position(ix.index, Offset(3, 5), 0, 20000) == 5000u);
  CHECK(start_position(ix.index, Offset(3, 0), 0, 20000) == 5000u);  // the offset itself
  CHECK(start_position(ix.index, Offset(2, 9), 0, 20000) == 0u);     // 100 was not recorded
  CHECK(start_position(ix.index, Offset(0, 7), 0, 20000) == std::nullopt);
  CHECK(start_position(ix.index, Offset(9, 0), 9500, 20000) == 12300u);
  CHECK(start_position(ix.index, Offset(9, 0), 0, 12300) == 9000u);  // the tail is exclusive
  CHECK(start_position(ix.index, Offset(9, 0), 12301, 20000) == std::nullopt);
  const auto start = ix.index.start_at_or_below(Offset(9, 0), 0, 20000);
  REQUIRE(start);
  CHECK(start->offset == Offset(5, 0));
}

TEST_CASE("buffer index: slots are reused a lap later, and cleared on reset") {
  Index ix;
  const uint64_t stretch = ix.index.stretch();
  // Three laps' worth of stretches, one entry at the start of each.
  for (uint64_t s = 0; s < 3 * BufferIndex::kSlots; ++s)
    publish(ix.index, s * stretch, Offset(s + 1, 0));
  const uint64_t end = 3 * BufferIndex::kSlots * stretch;
  // The last lap is there; the laps before it were written over.
  CHECK(start_position(ix.index, Offset(~0ull, 0), 0, end) == end - stretch);
  CHECK(start_position(ix.index, Offset(2 * BufferIndex::kSlots + 1, 0), 0, end) ==
        2 * BufferIndex::kSlots * stretch);
  CHECK(start_position(ix.index, Offset(BufferIndex::kSlots, 0), 0, end) == std::nullopt);
  ix.index.clear();
  CHECK(start_position(ix.index, Offset(~0ull, 0), 0, end) == std::nullopt);
  publish(ix.index, end + 10, Offset(1'000, 0));  // recording starts again after a clear
  CHECK(start_position(ix.index, Offset(~0ull, 0), 0, end + 11) == end + 10);
}

TEST_CASE("buffer index: a slot in mid-update is not used") {
  Index ix;
  publish(ix.index, 0, Offset(1, 0));
  publish(ix.index, 4096, Offset(2, 0));
  ix.slots[1].sequence.fetch_add(1);  // as a writer that died inside record() leaves it
  CHECK(start_position(ix.index, Offset(5, 0), 0, 10000) == 0u);
}

TEST_CASE("buffer index: slots at or after a position can be forgotten") {
  Index ix;
  publish(ix.index, 0, Offset(1, 0));
  publish(ix.index, 4096, Offset(2, 0));
  publish(ix.index, 8192, Offset(3, 0));
  ix.index.forget_at_or_after(4096);
  CHECK(start_position(ix.index, Offset(9, 0), 0, 10000) == 0u);
  CHECK(start_position(ix.index, Offset(9, 0), 1, 10000) == std::nullopt);
}
