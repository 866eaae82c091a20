// How a LogWriter lays out the log on disk and buffers it in memory. The defaults suit logs
// of small entries; a test shrinks them to make segments roll and the ring wrap.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace shapelog {

inline constexpr uint64_t kDefaultSegmentBytes = 64ull << 20;
inline constexpr uint64_t kDefaultIndexIntervalBytes = 4 << 10;
inline constexpr uint64_t kDefaultBufferCapacity = 4 << 20;
// The bounds of a buffer's capacity in bytes, as `append --buffer-capacity` and a trace's
// options accept it.
inline constexpr uint64_t kMinBufferCapacity = 4096;
inline constexpr uint64_t kMaxBufferCapacity = uint64_t{1} << 30;

struct DiskLogOptions {
  uint64_t segment_bytes = kDefaultSegmentBytes;  // roll to a new segment past this
  // The offset index names about one record per this many bytes of segment data.
  uint64_t index_interval_bytes = kDefaultIndexIntervalBytes;
};

struct WriterOptions {
  std::chrono::milliseconds lock_timeout{10'000};
  std::string holder_note = "shapelog";  // who holds the lock, shown to waiting writers
  // The shared buffer's data bytes (at least kMinBufferCapacity), used when creating it.
  uint64_t buffer_capacity = kDefaultBufferCapacity;
  // append flushes by itself once this many bytes are buffered; 0: never.
  uint64_t flush_threshold = 64 << 10;
  DiskLogOptions disk;
};

}  // namespace shapelog
