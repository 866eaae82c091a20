// The log stress writes: transaction t holds 1 + t % 4 entries, each valued with its own
// offset string (the trace format's default value), so any entry can be computed from its
// index and any read can be judged without keeping the log in memory.
#pragma once

#include <cstdint>
#include <vector>

#include "shapelog/entry.h"

namespace shapelog::stress_workload {

constexpr uint64_t kMaxTransactionEntries = 4;

Entry entry_at(uint64_t index);
// The index of the first entry at or above offset.
uint64_t index_at_or_above(Offset offset);
std::vector<Entry> transaction(uint64_t tx);
uint64_t entries_before_tx(uint64_t tx);

}  // namespace shapelog::stress_workload
