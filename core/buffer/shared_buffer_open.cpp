// Opening the shared buffer (shared_buffer.h): mapping it for a reader, and for the writer
// checking it and reconciling it with the disk log, or resetting it.
#include <optional>

#include <fmt/format.h>

#include "buffer/shared_buffer.h"
#include "segment/record_codec.h"
#include "segment/record_format.h"
#include "shapelog/error.h"
#include "shapelog/log_options.h"

namespace shapelog {

using namespace buffer_format;

namespace {
uint64_t boot_hash(FileSystem& fs) { return checksum32(as_bytes(fs.boot_id())) | (1ull << 32); }
}  // namespace

std::unique_ptr<SharedBuffer> SharedBuffer::open_for_reader(FileSystem& fs,
                                                            const std::string& dir) {
  std::string path = join_path(dir, std::string(format::kBufferFileName));
  if (!fs.exists(path)) return nullptr;
  uint64_t size = fs.open_read(path)->size();
  if (size < kHeaderBytes + kMinBufferCapacity) return nullptr;
  // Read-only: a reader needs no write access to the log directory.
  std::unique_ptr<SharedBuffer> buffer(new SharedBuffer(fs.map_shared_read_only(path, size)));
  const Header& header = *buffer->header_;
  if (!known_magic(header.magic.load(std::memory_order_acquire)) ||
      header.capacity.load(std::memory_order_relaxed) != buffer->capacity_ ||
      header.boot_hash.load(std::memory_order_relaxed) != boot_hash(fs))
    return nullptr;
  return buffer;
}

void SharedBuffer::initialize(uint64_t boot, Offset disk_last, uint64_t generation) {
  header_->magic.store(0, std::memory_order_relaxed);
  header_->capacity.store(capacity_, std::memory_order_relaxed);
  header_->boot_hash.store(boot, std::memory_order_relaxed);
  header_->head.store(0, std::memory_order_relaxed);
  header_->tail.store(0, std::memory_order_relaxed);
  header_->reserved.store(0, std::memory_order_relaxed);
  index_.clear();
  pending_tail_ = 0;
  write_meta({disk_last, disk_last, generation});
  header_->magic.store(kMagic, std::memory_order_release);
}

// Why the mapped buffer cannot be trusted, or empty when it can.
std::string SharedBuffer::damage_reason(uint64_t boot) const {
  const Header& h = *header_;
  if (!known_magic(h.magic.load(std::memory_order_relaxed))) return "it is not initialized";
  if (h.capacity.load(std::memory_order_relaxed) != capacity_) return "its size is wrong";
  if (h.boot_hash.load(std::memory_order_relaxed) != boot)
    return "it is from before the last reboot";
  uint64_t head = h.head.load(std::memory_order_relaxed);
  uint64_t tail = h.tail.load(std::memory_order_relaxed);
  uint64_t reserved = h.reserved.load(std::memory_order_relaxed);
  if (head > tail || tail > reserved || reserved - head > capacity_)
    return "its positions are inconsistent";
  // The writer holds the lock and reserved - head <= capacity: nothing overwrites these
  // entries, so the framing walk needs no check against reserved.
  Offset previous = Offset::before_all();
  bool ordered = true;
  bool complete = walk_ring(words_, capacity_, head, tail,
                            [&](const Word* at, const EntryHead&, const RingCursor&) {
                              const Offset offset = entry_offset(at);
                              ordered = offset > previous;
                              previous = offset;
                              return ordered;
                            });
  if (!complete || !ordered) return "its entries are damaged";
  return {};
}

std::unique_ptr<SharedBuffer> SharedBuffer::open_for_writer(FileSystem& fs, const std::string& dir,
                                                            uint64_t capacity, Offset disk_last,
                                                            std::vector<Warning>& warnings) {
  std::string path = join_path(dir, std::string(format::kBufferFileName));
  uint64_t existing = fs.exists(path) ? fs.open_read(path)->size() : 0;
  bool reuse = existing >= kHeaderBytes + kMinBufferCapacity;
  uint64_t size = reuse ? existing : kHeaderBytes + words_for(capacity) * 8;
  std::unique_ptr<SharedBuffer> buffer(new SharedBuffer(fs.map_shared(path, size)));
  Header& header = *buffer->header_;
  uint64_t boot = boot_hash(fs);

  std::string damage = reuse ? buffer->damage_reason(boot) : "";
  if (!reuse || !damage.empty()) {
    uint64_t generation = known_magic(header.magic.load(std::memory_order_relaxed))
                              ? header.generation.load(std::memory_order_relaxed) + 1
                              : 1;
    if (existing > 0)
      warnings.push_back(warning::BufferReset{reuse ? damage : "it is too small", disk_last});
    buffer->initialize(boot, disk_last, generation);
    return buffer;
  }

  // Reconcile with the disk: entries on disk are persisted whatever the metadata says (a
  // flush may have died between its write and its publish); the buffer holds the rest.
  buffer->pending_tail_ = header.tail.load(std::memory_order_relaxed);
  MetaSnapshot meta = buffer->snapshot_or_stale();
  std::optional<Offset> first_buffered;
  Offset last_seen = disk_last;
  // The disk may end past last_persisted only at a buffered entry: a flush that died after
  // writing them and before publishing. Ending anywhere else, it holds a record no flush of
  // this buffer wrote, and the trim below drops buffered entries that no disk holds.
  bool disk_end_explained = disk_last <= meta.last_persisted;
  std::string dropped;  // those entries, as records
  std::optional<Offset> first_dropped, last_dropped;
  buffer->entries_after(Offset::before_all(), [&](const EntryView& entry) {
    if (!first_buffered) first_buffered = entry.offset;
    last_seen = std::max(last_seen, entry.offset);
    if (entry.offset == disk_last) disk_end_explained = true;
    if (entry.offset > meta.last_persisted && entry.offset <= disk_last) {
      encode_record(entry, dropped);
      if (!first_dropped) first_dropped = entry.offset;
      last_dropped = entry.offset;
    }
  });
  if (!disk_end_explained && first_dropped) {
    const std::string copy =
        fmt::format("{}buffer-{}.bytes", format::kCutFilePrefix, disk_last.to_string());
    fs.write_file(join_path(dir, copy), as_bytes(dropped));
    warnings.push_back(
        warning::BufferEntriesDropped{disk_last, *first_dropped, *last_dropped, copy});
  }
  if (meta.last_persisted > disk_last)
    warnings.push_back(warning::BufferAheadOfDisk{meta.last_persisted, disk_last});
  // An odd sequence is a writer killed inside write_meta: rewriting evens it out, even when
  // the fields it left are right, or every snapshot would wait for it forever.
  const bool mid_update = header.sequence.load(std::memory_order_relaxed) & 1;
  if (mid_update || meta.last_persisted != disk_last || meta.last_seen != last_seen)
    buffer->write_meta({disk_last, last_seen, meta.generation});
  if (first_buffered && *first_buffered <= disk_last) buffer->trim(disk_last);
  // The index: a buffer from a version without it gets a cleared one, and then its magic;
  // otherwise the slots stay, but none may name a position at or past the tail, which this
  // writer lays out afresh (none does: slots are recorded after publishing, buffer_index.h).
  if (header.magic.load(std::memory_order_relaxed) == kMagicWithoutIndex) {
    buffer->index_.clear();
    header.magic.store(kMagic, std::memory_order_release);
  } else {
    buffer->index_.forget_at_or_after(header.tail.load(std::memory_order_relaxed));
  }
  return buffer;
}

void SharedBuffer::attach_follower(FileSystem& fs, const std::string& dir) {
  if (follower_region_) return;
  try {
    follower_region_ =
        fs.map_shared(join_path(dir, std::string(format::kBufferFileName)), kHeaderBytes);
  } catch (const Error&) {
    // No write access: the follower sleeps its timeout between looks.
  }
}

// The metadata as it stands, even when a dead writer left the sequence odd.
MetaSnapshot SharedBuffer::snapshot_or_stale() const {
  if (header_->sequence.load(std::memory_order_relaxed) & 1) return meta_fields();
  return snapshot();
}

}  // namespace shapelog
