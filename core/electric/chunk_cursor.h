// Checks a chunk index against the records of its log while they are scanned in order:
// each entry's start_pos and end_pos on record boundaries, its min and max the offsets of the
// records there, entries contiguous (start = previous end, the first at 0), offsets
// increasing between entries, every record in some chunk. One entry in memory at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "electric/chunk_index.h"
#include "electric/log_offset.h"
#include "electric/log_record_reader.h"

namespace shapelog::electric {

// kind, byte position in the chunk file, reason, and whether it is damage (false: a state
// a live writer leaves, which Electric's recovery trims).
using ChunkReport =
    std::function<void(const char* kind, uint64_t pos, const std::string& reason, bool damage)>;

class ChunkCursor {
 public:
  ChunkCursor(const ChunkIndex& index, const LogOffset& last_persisted, ChunkReport report);

  void on_record(const LogRecord& record);
  // After the last whole record, which ends at log_end.
  void finish(uint64_t log_end);

 private:
  void load(uint64_t n);  // makes entry n current, checking it against the previous one
  void advance() { load(n_ + 1); }
  uint64_t entry_pos() const { return n_ * kChunkEntryBytes; }

  const ChunkIndex& index_;
  LogOffset last_persisted_;
  ChunkReport report_;
  uint64_t n_ = 0;
  std::optional<ChunkEntry> entry_, previous_;
  bool start_checked_ = false;
  uint64_t uncovered_ = 0, first_uncovered_ = 0;
};

}  // namespace shapelog::electric
