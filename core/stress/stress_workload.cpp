#include "stress/stress_workload.h"

namespace shapelog::stress_workload {

namespace {
// Transactions come in blocks of four (t = 4b+1 .. 4b+4) with 2, 3, 4 and 1 entries.
constexpr uint64_t kBlockEntries = 10;
constexpr uint64_t kFirstIndexInBlock[5] = {0, 2, 5, 9, 10};

Entry make(uint64_t tx, uint64_t op) { return offset_entry(Offset(tx, op)); }
}  // namespace

uint64_t entries_before_tx(uint64_t tx) {
  if (tx == 0) return 0;
  uint64_t block = (tx - 1) / 4;
  return block * kBlockEntries + kFirstIndexInBlock[(tx - 1) % 4];
}

Entry entry_at(uint64_t index) {
  uint64_t block = index / kBlockEntries;
  uint64_t rest = index % kBlockEntries;
  uint64_t k = 0;
  while (rest >= kFirstIndexInBlock[k + 1]) ++k;
  return make(4 * block + 1 + k, rest - kFirstIndexInBlock[k]);
}

uint64_t index_at_or_above(Offset offset) {
  if (offset.is_before_all() || offset.tx() == 0) return 0;
  uint64_t first = entries_before_tx(offset.tx());
  uint64_t size = entries_before_tx(offset.tx() + 1) - first;
  return offset.op() < size ? first + offset.op() : first + size;
}

std::vector<Entry> transaction(uint64_t tx) {
  std::vector<Entry> entries;
  for (uint64_t op = 0; op <= tx % 4; ++op) entries.push_back(make(tx, op));
  return entries;
}

}  // namespace shapelog::stress_workload
