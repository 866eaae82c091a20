#include "electric/chunk_index.h"

#include <fmt/format.h>

#include "shapelog/error.h"

namespace shapelog::electric {

namespace {

uint64_t be64(const unsigned char* p) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = value << 8 | p[i];
  return value;
}

}  // namespace

ChunkIndex::ChunkIndex(const ReadOnlyFile& file) : file_(file), size_(file.size()) {}

ChunkEntry ChunkIndex::entry(uint64_t n) const {
  unsigned char bytes[kChunkEntryBytes];
  const bool closed = n < size_ / kChunkEntryBytes;
  const size_t want = closed ? kChunkEntryBytes : kChunkHalfBytes;
  if (file_.read_at(n * kChunkEntryBytes, reinterpret_cast<char*>(bytes), want) != want)
    throw Error(ErrorKind::Io, fmt::format("{} became shorter while being read (entry {}); "
                                           "was it truncated by Electric's recovery? Run the "
                                           "command again",
                                           file_.path(), n));
  ChunkEntry entry;
  entry.min = Offset(be64(bytes), be64(bytes + 8));
  entry.start_pos = be64(bytes + 16);
  entry.key_start_pos = be64(bytes + 24);
  entry.closed = closed;
  if (closed) {
    entry.max = Offset(be64(bytes + 32), be64(bytes + 40));
    entry.end_pos = be64(bytes + 48);
    entry.key_end_pos = be64(bytes + 56);
  }
  return entry;
}

std::optional<uint64_t> ChunkIndex::find(const Offset& from, bool inclusive) const {
  uint64_t low = 0, high = size_ / kChunkEntryBytes;  // first closed chunk reaching `from`
  while (low < high) {
    uint64_t mid = low + (high - low) / 2;
    Offset max = entry(mid).max;
    if (inclusive ? max < from : !(from < max)) low = mid + 1;
    else high = mid;
  }
  if (low < size_ / kChunkEntryBytes) return low;
  if (has_open_chunk()) return low;
  return std::nullopt;
}

}  // namespace shapelog::electric
