// The chunk index of a log file (log.S.chunk.bin): 64-byte entries of eight u64 BE,
// <min_tx, min_op, start_pos, key_start_pos, max_tx, max_op, end_pos, key_end_pos>, each the
// opening and the closing 32-byte half a live writer appends when a chunk starts and ends
// (Electric's chunk_index.ex). A trailing half is the open last chunk. Entries are read from
// the file when asked (pread), so a large index costs no memory.
#pragma once

#include <cstdint>
#include <optional>

#include "electric/read_only_file.h"
#include "shapelog/offset.h"

namespace shapelog::electric {

inline constexpr uint64_t kChunkEntryBytes = 64;
inline constexpr uint64_t kChunkHalfBytes = 32;

struct ChunkEntry {
  Offset min;
  uint64_t start_pos = 0, key_start_pos = 0;
  bool closed = false;  // false: the open last chunk, which extends to the end of the log
  Offset max;
  uint64_t end_pos = 0, key_end_pos = 0;
};

class ChunkIndex {
 public:
  explicit ChunkIndex(const ReadOnlyFile& file);

  uint64_t file_size() const { return size_; }
  // Full entries, plus one for a trailing half.
  uint64_t count() const { return size_ / kChunkEntryBytes + (has_open_chunk() ? 1 : 0); }
  bool has_open_chunk() const { return size_ % kChunkEntryBytes >= kChunkHalfBytes; }
  // Bytes past the last whole half (size % 32): what Electric's recovery truncates.
  uint64_t stray_bytes() const { return size_ % kChunkHalfBytes; }
  ChunkEntry entry(uint64_t n) const;

  // The chunk to start reading at for the first record at or after `from` (after it, when
  // inclusive is false), as Electric's fetch_chunk/2 binary search: the first closed chunk
  // whose max reaches it, else the open chunk, else nullopt (every chunk ends before it).
  // Assumes what Electric assumes, that maxima increase; the reader checks what it finds.
  std::optional<uint64_t> find(const Offset& from, bool inclusive) const;

 private:
  const ReadOnlyFile& file_;
  uint64_t size_;
};

}  // namespace shapelog::electric
