// The log's published metadata, as one reader sees it at one moment: the writer publishes
// all three together under the shared buffer's seqlock, and a reader reads them whole.
#pragma once

#include <cstdint>

#include "shapelog/offset.h"

namespace shapelog {

struct MetaSnapshot {
  Offset last_persisted;    // the last entry synced to the segments
  Offset last_seen;         // the last entry appended (persisted or buffered)
  uint64_t generation = 0;  // bumped by every trim of the buffer
};

}  // namespace shapelog
